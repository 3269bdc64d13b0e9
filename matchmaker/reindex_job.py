"""The nightly reindex job behind ``matchmaker reindex`` (the scheduler and a person call the same function).

A run is incremental when it can be: if the live version was built with the
same :func:`fingerprint` (schema, encoders, analysis code, ranking profile),
the new version starts as a copy of it and takes only the suppliers added or
changed since the live version read the database, and the deletions. Any
difference, a live version without build info, or ``--full`` rebuilds
everything.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select

from indexers.build import build_index, fingerprint
from indexers.build import rollback as rollback_version
from search.synonyms import DEFAULT_PATH as SYNONYMS_FILE

from .dataio.exporter import index_record, iter_suppliers
from .extensions import db
from .locks import job_lock
from .models import Supplier
from .models._columns import as_utc, utcnow
from .search_service import embedding_cache, get_search, load_in_order
from .search_sync import apply_or_enqueue, clear_before, drain_outbox, wall_clock

LOCK = "reindex"  # one reindex at a time across every host sharing the database (matchmaker/locks.py)
# An incremental run re-applies suppliers changed a little before the last run read the database:
# the hosts' clocks may differ, and applying a supplier twice is harmless.
CLOCK_MARGIN = timedelta(minutes=10)
CHUNK = 500


def run_reindex(*, full: bool = False, re_embed: bool = False, batch_size: int = 256, keep: int = 2,
                rollback: bool = False, if_missing: bool = False,
                progress: Callable[[int, int], None] | None = None) -> dict:
    """The work behind ``matchmaker reindex``, holding the reindex lock; returns the summary.

    Raises :class:`~matchmaker.locks.LockHeld` at once when another run, on any
    host, holds the lock. ``progress(done, total)`` is called after each loaded batch.
    ``full``: rebuild every document even when a copy of the live version would do;
    ``re_embed``: a full rebuild that embeds every profile again (the cache is not read).
    """
    with job_lock(LOCK):
        return _run(full=full or re_embed, re_embed=re_embed, batch_size=batch_size, keep=keep, rollback=rollback,
                    if_missing=if_missing, progress=progress)


def _run(*, full, re_embed, batch_size, keep, rollback, if_missing, progress) -> dict:
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
    info = {"fingerprint": index_fingerprint(service), "since": started_at.isoformat()}
    copy = None if full else copy_if_current(backend, info["fingerprint"])
    if copy is None:
        report = build_index(backend, service.encoders, stream(), expected, cache=embedding_cache(),
                             use_cache=not re_embed, batch_size=batch_size, keep=keep, progress=advance, info=info)
    else:
        version, since = copy
        try:
            changed, deleted, present = changes_since(backend, version, since)
        except BaseException:
            backend.drop_version(version)
            raise
        streamed.update(present)
        expected = len(changed)  # what the progress counts
        report = build_index(backend, service.encoders, records_of(changed), len(present), cache=embedding_cache(),
                             batch_size=batch_size, keep=keep, progress=advance, target=version, deletions=deleted,
                             info=info)
    catch_up(streamed, started_at)
    clear_before(queued_before)  # queued changes older than this build are in it; newer ones are applied now
    applied, queued = drain_outbox()
    return {"action": "build", **report.as_dict(), "outbox_applied": applied, "outbox_queued": queued,
            "message": "Indexed " + report.summary() + "."}


def differences(known: set[str], moment: datetime) -> tuple[list[str], list[str], set[str]]:
    """The database against a set of ``known`` ids as of ``moment``:
    ``(ids changed since or not known, known ids deleted since, every id now)``."""
    rows = db.session.execute(select(Supplier.external_id, Supplier.updated_at)).all()
    present = {external_id for external_id, _ in rows}
    changed = sorted(external_id for external_id, updated in rows
                     if external_id not in known or as_utc(updated) >= moment)
    return changed, sorted(known - present), present


def catch_up(streamed: set[str], started_at) -> None:
    """Apply what changed while the build streamed: live sync wrote it to the version now replaced."""
    changed, deleted, _ = differences(streamed, started_at)
    if changed or deleted:
        apply_or_enqueue(changed + deleted)


def index_fingerprint(service) -> str:
    """The fingerprint a version built now would carry (see :func:`indexers.build.fingerprint`)."""
    synonyms = hashlib.sha256(SYNONYMS_FILE.read_bytes()).hexdigest() if service.synonyms else ""
    # The backend's own layout too: a version of an older layout is rebuilt rather than copied.
    layout = getattr(service.backend, "layout", "")
    return fingerprint(service.backend.schema, service.encoders, repr(service.profile), synonyms, layout)


def copy_if_current(backend, wanted: str):
    """``(a copy of the live version, when it read the database)`` if its fingerprint is ``wanted``, else None."""
    live = backend.live_version()
    built = backend.build_info(live) if live else {}
    if not built.get("since") or built.get("fingerprint") != wanted:
        return None
    return backend.copy_version(live), datetime.fromisoformat(built["since"])


def changes_since(backend, version: str, since: datetime) -> tuple[list[str], list[str], set[str]]:
    """What ``version`` (a copy made before this call) lacks: ``(changed or added ids, deleted ids, every id)``.

    Read after the copy, so whatever the copy missed is in the database by now.
    """
    return differences(backend.doc_ids(version), since - CLOCK_MARGIN)


def records_of(external_ids: list[str]):
    """Index records of ``external_ids``, loaded a chunk at a time."""
    for start in range(0, len(external_ids), CHUNK):
        for row in load_in_order(external_ids[start:start + CHUNK], with_products=True):
            yield index_record(row)
