"""The nightly reindex job behind ``matchmaker reindex`` (the scheduler and a person call the same function)."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from indexers.build import build_index
from indexers.build import rollback as rollback_version

from .dataio.exporter import iter_suppliers
from .extensions import db
from .locks import job_lock
from .models import Supplier
from .models._columns import as_utc, utcnow
from .search_service import embedding_cache, get_search
from .search_sync import apply_or_enqueue, clear_before, drain_outbox, wall_clock

LOCK = "reindex"  # one reindex at a time across every host sharing the database (matchmaker/locks.py)


def run_reindex(*, full: bool = False, batch_size: int = 256, keep: int = 2, rollback: bool = False,
                if_missing: bool = False, progress: Callable[[int, int], None] | None = None) -> dict:
    """The work behind ``matchmaker reindex``, holding the reindex lock; returns the summary.

    Raises :class:`~matchmaker.locks.LockHeld` at once when another run, on any
    host, holds the lock. ``progress(done, total)`` is called after each loaded batch.
    """
    with job_lock(LOCK):
        return _run(full=full, batch_size=batch_size, keep=keep, rollback=rollback, if_missing=if_missing,
                    progress=progress)


def _run(*, full, batch_size, keep, rollback, if_missing, progress) -> dict:
    service = get_search()
    backend = service.backend
    if rollback:
        version = rollback_version(backend)
        return {"action": "rollback", "version": version, "message": f"Rolled back: {version} is live again."}
    if if_missing and backend.live_version():
        return {"action": "none", "version": backend.live_version(),
                "message": f"The search index is built already ({backend.live_version()})."}
    started_at = utcnow()
    queued_before = wall_clock()  # the outbox's own clock (its rows never carry the demo's fixed clock)
    expected = db.session.scalar(select(func.count(Supplier.id))) or 0
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, expected)
    streamed: set[str] = set()

    def stream():
        for record in iter_suppliers(for_index=True):
            streamed.add(record["external_id"])
            yield record
    report = build_index(backend, service.encoders, stream(), expected, cache=embedding_cache(),
                         use_cache=not full, batch_size=batch_size, keep=keep, progress=advance)
    catch_up(streamed, started_at)
    clear_before(queued_before)  # queued changes older than this build are in it; newer ones are applied now
    applied, queued = drain_outbox()
    return {"action": "build", **report.as_dict(), "outbox_applied": applied, "outbox_queued": queued,
            "message": "Indexed " + report.summary() + "."}


def catch_up(streamed: set[str], started_at) -> None:
    """Apply what changed while the build streamed: live sync wrote it to the version now replaced."""
    rows = db.session.execute(select(Supplier.external_id, Supplier.updated_at)).all()
    present = {external_id for external_id, _ in rows}
    changes = {external_id for external_id, updated in rows
               if as_utc(updated) >= started_at or external_id not in streamed}
    changes |= streamed - present  # deleted while the build ran
    if changes:
        apply_or_enqueue(sorted(changes))
