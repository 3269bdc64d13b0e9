"""The nightly reindex job behind ``matchmaker reindex`` (the scheduler and a person call the same function).

A run is incremental when it can be: if the live version was built with the
same :func:`fingerprint` (schema, encoders, analysis code, ranking profile),
the new version starts as a copy of it and takes only the suppliers the
outbox journal names since the live version read the database, plus any the
copy lacks, minus the deletions. Any difference, a live version without a
watermark, or ``--full`` rebuilds everything.

Every build records the outbox watermark (the newest journal row) when it
starts reading. Changes after it, which live sync wrote to the version being
replaced, are re-applied to the new version once it is live; a rollback does
the same for the version it brings back. Supplier timestamps play no part:
a change counts because the transaction that made it wrote a journal row.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from sqlalchemy import func, select

from indexers.build import build_index, fingerprint
from indexers.build import rollback as rollback_version
from search.synonyms import DEFAULT_PATH as SYNONYMS_FILE

from .dataio.exporter import index_record, iter_suppliers
from .extensions import db
from .locks import job_lock
from .models import Supplier
from .search_service import embedding_cache, get_search, load_in_order
from .search_sync import (apply_or_enqueue, drain_outbox, journal_since, mark_applied_through, prune, wall_clock,
                          watermark)

LOCK = "reindex"  # one reindex at a time across every host sharing the database (matchmaker/locks.py)
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
        caught_up = catch_up(backend.build_info(version))
        return {"action": "rollback", "version": version, "caught_up": caught_up,
                "message": f"Rolled back: {version} is live again"
                           + (f", and {caught_up} supplier change(s) since its build re-applied." if caught_up
                              else ".")}
    if if_missing and backend.live_version():
        return {"action": "none", "version": backend.live_version(),
                "message": f"The search index is built already ({backend.live_version()})."}
    # The watermark before the first read: every change after it is re-applied once the new version is live.
    mark, read_at = watermark(), wall_clock()
    total = done = 0  # what the progress counts to, and how far it is

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:  # suppliers imported while the build reads make it more than counted at the start
            progress(done, max(total, done))
    info = {"fingerprint": index_fingerprint(service), "since": read_at.isoformat(), "outbox_watermark": str(mark)}
    copy = None if full else copy_if_current(backend, info["fingerprint"])
    if copy is None:
        total = db.session.scalar(select(func.count(Supplier.id))) or 0
        report = build_index(backend, service.encoders, iter_suppliers(for_index=True), cache=embedding_cache(),
                             use_cache=not re_embed, batch_size=batch_size, keep=keep, progress=advance, info=info)
    else:
        version, built = copy
        try:
            changed, deleted, held = changes_since(backend, version, built)
        except BaseException:
            backend.drop_version(version)
            raise
        total = len(changed)
        report = build_index(backend, service.encoders, records_of(changed), cache=embedding_cache(),
                             batch_size=batch_size, keep=keep, progress=advance, target=version, deletions=deleted,
                             held=held, info=info)
    caught_up = catch_up(info)
    mark_applied_through(mark)  # pending changes up to the watermark are in the build (or were just re-applied)
    applied, queued = drain_outbox()
    pruned = prune_journal(backend)
    return {"action": "build", **report.as_dict(), "caught_up": caught_up, "outbox_applied": applied,
            "outbox_queued": queued, "journal_pruned": pruned, "message": "Indexed " + report.summary() + "."}


def _read_mark(built: dict) -> int | None:
    """A version's outbox watermark from its build info (None for a version built before watermarks)."""
    try:
        return int(built["outbox_watermark"])
    except (KeyError, TypeError, ValueError):
        return None


def catch_up(built: dict) -> int:
    """Re-apply to the live version every supplier the journal names since it was built; return how many.

    Live sync wrote those changes to whichever version was live then (the one
    a build replaced, or the one a rollback left). A version without a
    watermark cannot tell: ``matchmaker check-index --fix`` finds its drift.
    """
    mark = _read_mark(built)
    if mark is None:
        return 0
    changed = journal_since(mark)
    if changed:
        apply_or_enqueue(changed)
    return len(changed)


def prune_journal(backend) -> int:
    """Drop applied journal rows older than every kept version's watermark; return how many."""
    marks = [mark for mark in (_read_mark(backend.build_info(v.name)) for v in backend.versions()) if mark is not None]
    return prune(min(marks)) if marks else 0


def index_fingerprint(service) -> str:
    """The fingerprint a version built now would carry (see :func:`indexers.build.fingerprint`)."""
    synonyms = hashlib.sha256(SYNONYMS_FILE.read_bytes()).hexdigest() if service.synonyms else ""
    # The backend's own layout too: a version of an older layout is rebuilt rather than copied.
    layout = getattr(service.backend, "layout", "")
    return fingerprint(service.backend.schema, service.encoders, repr(service.profile), synonyms, layout)


def copy_if_current(backend, wanted: str) -> tuple[str, dict] | None:
    """``(a copy of the live version, its build info)`` if its fingerprint is ``wanted`` and it has a
    watermark, else None."""
    live = backend.live_version()
    built = backend.build_info(live) if live else {}
    if _read_mark(built) is None or built.get("fingerprint") != wanted:
        return None
    return backend.copy_version(live), built


def changes_since(backend, version: str, built: dict) -> tuple[list[str], list[str], set[str]]:
    """What ``version`` (a copy of the live version made before this call) lacks:
    ``(changed or added ids, deleted ids, the ids it holds)``.

    Changed: the suppliers the journal names since the copied version read the
    database, and any the copy lacks. Read after the copy, so whatever the copy
    missed is in the journal and the database by now.
    """
    known = backend.doc_ids(version)
    present = set(db.session.scalars(select(Supplier.external_id)))
    changed = (set(journal_since(_read_mark(built))) | (present - known)) & present
    return sorted(changed), sorted(known - present), known


def records_of(external_ids: list[str]):
    """Index records of ``external_ids``, loaded a chunk at a time."""
    for start in range(0, len(external_ids), CHUNK):
        for row in load_in_order(external_ids[start:start + CHUNK], with_products=True):
            yield index_record(row)
