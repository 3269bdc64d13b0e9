"""README's "Input limits" table, made from the limits and the contract's field specs.

``python -m matchmaker.dataio.limits_table`` prints it; a test checks that
README.md holds exactly this table, so the documentation cannot drift.
"""
from __future__ import annotations

from collections.abc import Iterator

from . import limits as L
from .contract import JUDGMENT, PRODUCT, REQUEST, SUPPLIER, Field

RECORDS = (("supplier", SUPPLIER), ("product", PRODUCT), ("request", REQUEST), ("judgment", JUDGMENT))


def _number(value: float) -> str:
    return f"{value:,}" if value >= 10_000 else str(value)  # 1,000,000 but 1800 (a year)


def describe(rule: Field) -> str | None:
    """A field's limit in words (None for a field bounded only by its code table or format)."""
    if rule.kind == "str":
        return f"{_number(rule.max_length)} characters" if rule.max_length else None
    if rule.kind in ("int", "number"):
        high = "this year" if callable(rule.high) else _number(rule.high)
        return f"{'a whole number' if rule.kind == 'int' else 'a number'} from {_number(rule.low)} to {high}"
    if rule.kind == "list":
        each = describe(rule.item) if rule.item and rule.item.kind == "str" else None
        return f"{_number(rule.max_items)} items" + (f", each at most {each}" if each else "")
    return None


def rows() -> Iterator[tuple[str, str]]:
    """``(what, limit)`` for every input limit, in README order."""
    yield "a line of an import file", f"{_number(L.LINE_BYTES)} bytes"
    yield "lists and objects nested in a line", f"{L.DEPTH} levels"
    yield "a page's form, as sent", f"{_number(L.REQUEST_BYTES)} bytes (more: the 413 page)"
    yield "a search (`q` of the catalog, the workspace and `/api/search`)", f"{L.QUERY_CHARS} characters (more: cut)"
    for record, spec in RECORDS:
        for name, rule in spec.items():
            if limit := describe(rule):
                yield f"{record} `{name}`", limit
    yield "a buyer's introduction message", f"{_number(L.MESSAGE_CHARS)} characters"
    yield "a specialist's note on a match", f"{_number(L.NOTE_CHARS)} characters"


def markdown() -> str:
    """The table as README.md shows it."""
    return "\n".join(["| input | limit |", "|---|---|", *(f"| {what} | {limit} |" for what, limit in rows())])


if __name__ == "__main__":
    print(markdown())
