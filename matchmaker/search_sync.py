"""Index sync through a transactional outbox: a supplier change and its search change commit together.

``after_flush`` writes one ``search_outbox`` row per created, changed or
deleted supplier *in the flushing transaction*, whatever the state of the
search backend or ``SEARCH_SYNC``, so the row exists exactly when the change
does (a rollback takes both away). What happens next depends on ``SEARCH_SYNC``:

- ``worker`` (the default): nothing more in the request. ``matchmaker worker``
  (:mod:`matchmaker.sync_worker`) applies due rows in batches, embedding through
  the cache; a web request never embeds or waits for the index.
- ``inline``: the committing process applies its own rows right after the
  commit (tests, scripts that want read-your-writes without a worker).
- ``off``: nobody applies them; the nightly reindex brings the index up to date.

An applied row is stamped ``applied_at`` and kept as a journal: a reindex or
a rollback re-applies the rows written after the version it makes live read
the database (:func:`journal_since`), and :func:`prune` drops rows no kept
version needs. A row that fails is kept pending with ``attempts``,
``last_error`` and a ``next_attempt_at`` that backs off exponentially. A
database write is never lost or rolled back because search failed.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import Flask, current_app
from sqlalchemy import delete, event, func, insert, inspect, or_, select, text, update
from sqlalchemy.orm import Session, selectinload

from indexers.documents import supplier_document
from indexers.embedding import embed_records

from search.backend import NOT_BUILT, BackendError

from .dataio.exporter import index_record
from .extensions import db
from .models import Product, SearchOutboxEntry, Supplier
from .models._columns import as_utc, utcnow
from .search_service import embedding_cache, get_search

MODES = ("worker", "inline", "off")
WRITTEN = "matchmaker.search_outbox"  # session.info key: {outbox row id: supplier external id} of this transaction
MAX_BACKOFF_SECONDS = 300
ISOLATION_GIVE_UP = 3  # consecutive single failures after a failed batch: the backend is down, not one row
TABLE = SearchOutboxEntry.__table__
PENDING = TABLE.c.applied_at.is_(None)  # a row not applied yet (applied rows are the journal)


def wall_clock() -> datetime:
    """Real time for the outbox (never the fixed clock the demo writes its history with)."""
    return datetime.now(timezone.utc)


def backoff(attempts: int) -> timedelta:
    """How long a change that failed ``attempts`` times waits: 2, 4, 8 … seconds, at most five minutes."""
    return timedelta(seconds=min(2 ** max(attempts, 1), MAX_BACKOFF_SECONDS))


def flushed_changes(session: Session) -> dict[str, str]:
    """The suppliers this flush creates, changes or deletes: ``{external_id: "upsert" | "delete"}``."""
    changes: dict[str, str] = {}
    dirty, deleted = session.dirty, session.deleted  # each a fresh set per call: read once
    for obj in [*session.new, *dirty]:
        if isinstance(obj, Supplier):
            if obj in dirty and not session.is_modified(obj, include_collections=True):
                continue
            changes[obj.external_id] = "upsert"
            for previous in inspect(obj).attrs.external_id.history.deleted or ():
                changes[previous] = "delete"
        elif isinstance(obj, Product) and obj.supplier is not None:
            changes.setdefault(obj.supplier.external_id, "upsert")
    for obj in deleted:
        if isinstance(obj, Supplier):
            changes[obj.external_id] = "delete"
        elif isinstance(obj, Product) and obj.supplier is not None and obj.supplier not in deleted:
            changes.setdefault(obj.supplier.external_id, "upsert")
    return changes


def touch_suppliers(session: Session, _context, _instances) -> None:
    """``before_flush``: a supplier whose products alone changed gets a new ``updated_at`` (and version) too.

    The incremental nightly build finds changed suppliers by ``updated_at``
    (``matchmaker/reindex_job.py``), and a stale edit is refused by version:
    both must see a product edit as an edit of its supplier.
    """
    now = utcnow()
    new, deleted = session.new, session.deleted  # each a fresh set per call: read once (imports flush 100k rows)
    for obj in [*new, *session.dirty, *deleted]:
        supplier = obj.supplier if isinstance(obj, Product) else obj if isinstance(obj, Supplier) else None
        if supplier is None or supplier in new or supplier in deleted:
            continue
        if obj is supplier and not session.is_modified(supplier, include_collections=True):
            continue
        if not inspect(supplier).attrs.updated_at.history.added:
            supplier.updated_at = now


def write_outbox(session: Session, _context) -> None:
    """``after_flush``: queue this flush's supplier changes in the same transaction."""
    changes = flushed_changes(session)
    if not changes:
        return
    now = wall_clock()
    rows = [{"supplier_external_id": external_id, "operation": op, "attempts": 0, "created_at": now}
            for external_id, op in changes.items()]
    ids = session.connection().execute(insert(TABLE).returning(TABLE.c.id, TABLE.c.supplier_external_id),
                                       rows).all()
    session.info.setdefault(WRITTEN, {}).update(dict(ids))


def forget_changes(session: Session, *_args) -> None:
    """``after_rollback``: the rows went with the transaction."""
    session.info.pop(WRITTEN, None)


def sync_after_commit(session: Session) -> None:
    """``after_commit``: in ``inline`` mode apply this transaction's rows now; else leave them to the worker."""
    written = session.info.pop(WRITTEN, None)
    if written and current_app.config.get("SEARCH_SYNC", "worker") == "inline":
        apply_rows([(row_id, external_id, 0) for row_id, external_id in written.items()])


def apply_changes(external_ids: Iterable[str]) -> int:
    """Bring these suppliers in the live index up to the database: upsert those that exist, delete the rest.

    Returns how many were applied. Nothing to do before the first reindex:
    that build will include them.
    """
    wanted = list(dict.fromkeys(external_ids))
    if not wanted:
        return 0
    service = get_search()
    if service.backend.live_version() is None:
        # Kept, not dropped: the first build (or the rebuild of a lost index) marks them applied.
        raise BackendError(NOT_BUILT)
    # A session of its own: this runs inside after_commit, and in the worker outside any request.
    with Session(db.engine) as session:
        rows = session.scalars(select(Supplier).options(selectinload(Supplier.products))
                               .where(Supplier.external_id.in_(wanted))).all()
        records = [index_record(row) for row in rows]
    found = {record["external_id"] for record in records}
    deletes = [external_id for external_id in wanted if external_id not in found]
    if records:
        vectors, _ = embed_records(records, service.encoders, embedding_cache())
        service.backend.bulk_index(supplier_document(r, v) for r, v in zip(records, vectors))
    if deletes:
        service.backend.delete(deletes)
    return len(wanted)


@dataclass
class BatchResult:
    """What one pass over the outbox did: rows taken, suppliers applied and failed, rows removed."""

    taken: int = 0
    applied: int = 0
    failed: int = 0
    rows: int = 0
    error: str | None = None


Row = tuple[int, str, int]  # (outbox id, supplier external id, attempts so far)


def apply_rows(rows: Sequence[Row]) -> BatchResult:
    """Apply these outbox rows (one index write per supplier), delete those applied, back off the rest.

    Several suppliers go in one batch first; if it fails they are retried one
    at a time, so one bad profile cannot hold up the others. After a few
    single failures in a row the backend is taken to be down and the rest
    wait for their backoff too.
    """
    by_supplier: dict[str, list[Row]] = {}
    for row in rows:
        by_supplier.setdefault(row[1], []).append(row)
    result = BatchResult(taken=len(rows))
    if len(by_supplier) > 1:
        try:
            apply_changes(by_supplier)
        except Exception as exc:  # noqa: BLE001 - any failure must leave the committed data alone
            result.error = _describe(exc)
        else:
            _done(rows)
            result.applied, result.rows = len(by_supplier), len(rows)
            return result
    misses = 0
    for external_id, its_rows in by_supplier.items():
        if misses >= ISOLATION_GIVE_UP:
            _failed(its_rows, result.error)
            result.failed += 1
            continue
        try:
            apply_changes([external_id])
        except Exception as exc:  # noqa: BLE001 - as above
            misses += 1
            result.error = _describe(exc)
            _failed(its_rows, result.error)
            result.failed += 1
        else:
            misses = 0
            _done(its_rows)
            result.applied += 1
            result.rows += len(its_rows)
    return result


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _done(rows: Sequence[Row]) -> None:
    _stamp_applied(TABLE.c.id.in_([row[0] for row in rows]))


def _stamp_applied(*where) -> int:
    """Stamp the pending rows matching ``where`` applied (kept as the journal); return how many."""
    with db.engine.begin() as connection:
        return connection.execute(update(TABLE).where(PENDING, *where)
                                  .values(applied_at=wall_clock(), next_attempt_at=None)).rowcount


def _failed(rows: Sequence[Row], error: str | None) -> None:
    now = wall_clock()
    current_app.logger.warning("search sync failed for %s: %s", rows[0][1], error)
    with db.engine.begin() as connection:
        for row_id, _, attempts in rows:
            connection.execute(update(TABLE).where(TABLE.c.id == row_id).values(
                attempts=attempts + 1, last_error=error, next_attempt_at=now + backoff(attempts + 1)))


def due_rows(limit: int, *, due_only: bool = True, through: int | None = None) -> list[Row]:
    """The oldest ``limit`` outbox rows (only those whose backoff is over, unless ``due_only`` is false;
    only up to the id ``through`` when given)."""
    query = (select(TABLE.c.id, TABLE.c.supplier_external_id, TABLE.c.attempts).where(PENDING)
             .order_by(TABLE.c.id).limit(limit))
    if through is not None:
        query = query.where(TABLE.c.id <= through)
    if due_only:
        query = query.where(or_(TABLE.c.next_attempt_at.is_(None), TABLE.c.next_attempt_at <= wall_clock()))
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def process_outbox(limit: int = 200) -> BatchResult:
    """Apply up to ``limit`` due outbox rows, oldest first (one pass of the worker)."""
    return apply_rows(due_rows(limit))


def drain_outbox(batch_size: int = 500) -> tuple[int, int]:
    """Apply every change queued when called, backoff or not; return (suppliers applied, suppliers still queued).

    Changes queued meanwhile are left to the worker: under a steady stream of
    edits a drain that chased them would never end (the nightly job calls this).
    """
    applied, seen, through = 0, 0, watermark()
    while True:
        rows = due_rows(batch_size + seen, due_only=False, through=through)[seen:]
        if not rows:
            break
        result = apply_rows(rows)
        applied += result.applied
        seen += len(rows) - result.rows  # failed rows stay in the table: step past them
    return applied, outbox_status()["suppliers"]


def enqueue(external_ids: Iterable[str], error: str | None = None) -> None:
    """Queue changes for the worker in a transaction of their own (``error``: why they could not be applied)."""
    now = wall_clock()
    rows = [{"supplier_external_id": external_id, "operation": "upsert", "attempts": 1 if error else 0,
             "last_error": error, "created_at": now,
             "next_attempt_at": now + backoff(1) if error else None} for external_id in external_ids]
    if rows:
        with db.engine.begin() as connection:
            connection.execute(insert(TABLE), rows)


def apply_or_enqueue(external_ids: Iterable[str]) -> int:
    """Apply changes now; if the backend fails, queue them for the worker and return how many were queued.
    Never raises for search."""
    wanted = list(external_ids)
    try:
        apply_changes(wanted)
    except Exception as exc:  # noqa: BLE001 - any failure must leave the committed data alone
        current_app.logger.warning("search sync failed, %d change(s) queued: %s", len(wanted), exc)
        enqueue(wanted, _describe(exc))
        return len(wanted)
    return 0


def watermark() -> int:
    """The newest outbox row's id (0 for none): a build that starts reading the database now contains every
    change up to it, and :func:`journal_since` finds every later one.

    On PostgreSQL a row's id is taken at insert, not at commit, so a
    transaction still open could commit a lower id after this read: a SHARE
    lock waits for every transaction writing the outbox to end (and holds new
    ones back for that instant). SQLite has one writer at a time, so ids
    already follow commits.
    """
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"LOCK TABLE {TABLE.name} IN SHARE MODE"))
        return connection.scalar(select(func.coalesce(func.max(TABLE.c.id), 0)))


def journal_since(mark: int) -> list[str]:
    """The suppliers changed after the watermark ``mark``: every journal row after it, applied or not."""
    query = select(TABLE.c.supplier_external_id).where(TABLE.c.id > mark).distinct()
    with db.engine.connect() as connection:
        return sorted(connection.scalars(query))


def mark_applied_through(mark: int) -> int:
    """Stamp the pending rows up to ``mark`` applied (a build that read the database after them has them)."""
    return _stamp_applied(TABLE.c.id <= mark)


def prune(mark: int) -> int:
    """Delete applied rows up to ``mark`` (the oldest kept index version's watermark); return how many."""
    with db.engine.begin() as connection:
        return connection.execute(delete(TABLE).where(TABLE.c.applied_at.is_not(None), TABLE.c.id <= mark)).rowcount


def retry_now() -> int:
    """Make every waiting change due at once (an admin who fixed the backend); return how many rows."""
    with db.engine.begin() as connection:
        return connection.execute(update(TABLE).where(TABLE.c.next_attempt_at.is_not(None),
                                                      PENDING)
                                  .values(next_attempt_at=None)).rowcount


def outbox_status() -> dict:
    """The outbox at a glance: pending rows, suppliers, failing rows, the oldest pending row's age in seconds."""
    with db.engine.connect() as connection:
        queued, suppliers, oldest, failing = connection.execute(select(
            func.count(), func.count(TABLE.c.supplier_external_id.distinct()), func.min(TABLE.c.created_at),
            func.count(TABLE.c.last_error)).where(PENDING)).one()
    age = round((wall_clock() - as_utc(oldest)).total_seconds(), 1) if oldest is not None else None
    return {"queued": queued, "suppliers": suppliers, "failing": failing, "oldest_seconds": age}


def init_app(app: Flask) -> None:
    """Check ``SEARCH_SYNC`` and listen to the app's sessions (once per process: listeners read the app's config)."""
    if app.config.get("SEARCH_SYNC", "worker") not in MODES:
        raise ValueError(f"SEARCH_SYNC must be one of {', '.join(MODES)}, not {app.config['SEARCH_SYNC']!r}")
    if not event.contains(db.session, "after_flush", write_outbox):
        event.listen(db.session, "before_flush", touch_suppliers)
        event.listen(db.session, "after_flush", write_outbox)
        event.listen(db.session, "after_commit", sync_after_commit)
        event.listen(db.session, "after_rollback", forget_changes)
