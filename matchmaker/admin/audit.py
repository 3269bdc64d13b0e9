"""How the audit log shows an event's details: field, value before, value after."""
from __future__ import annotations

from typing import Any, NamedTuple


class Change(NamedTuple):
    """One field of an audit event; ``has_before`` is False when no earlier value was kept (a creation)."""

    field: str
    before: Any
    after: Any
    has_before: bool


def changes(details: dict[str, Any] | None) -> list[Change]:
    """``details`` as rows: ``before`` and ``after`` dicts side by side, any other key as a value without a before."""
    details = details or {}
    before, after = details.get("before"), details.get("after")
    paired = isinstance(before, dict) or isinstance(after, dict)
    rows = []
    if paired:
        before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        for key in dict.fromkeys([*before, *after]):  # each field once, in the order recorded
            rows.append(Change(key, before.get(key), after.get(key), key in before))
    for key, value in details.items():
        if not (paired and key in ("before", "after")):
            rows.append(Change(key, None, value, False))
    return rows
