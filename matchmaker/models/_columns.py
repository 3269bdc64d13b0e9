"""Column helpers shared by the models, and the clock every timestamp comes from."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

_fixed_now: ContextVar[datetime | None] = ContextVar("matchmaker_fixed_now", default=None)


def as_utc(moment: datetime) -> datetime:
    """``moment`` with its zone: SQLite hands timezone-aware columns back naive, and they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    """Timezone-aware now, as a callable default (never evaluated at import)."""
    return _fixed_now.get() or datetime.now(timezone.utc)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Within the block, everything the app records happens at ``moment``.

    For writing history after the fact (the demo's months of past work, tests
    of ages and waiting times) through the same services as live actions.
    """
    token = _fixed_now.set(as_utc(moment))
    try:
        yield
    finally:
        _fixed_now.reset(token)
