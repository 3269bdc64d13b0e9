"""Live index sync: supplier changes reach the search index after the database commit, never inside it.

``after_flush`` collects the external ids of changed suppliers under a
namespaced ``session.info`` key; ``after_commit`` hands them to
:func:`apply_changes`. If the search backend fails, the changes go to the
``search_outbox`` table in a transaction of their own, for ``matchmaker sync``
or the nightly reindex to retry. A database write is never lost or rolled back
because search failed.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app
from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session, selectinload

from indexers.documents import supplier_document
from indexers.embedding import embed_records

from .dataio.exporter import index_record
from .extensions import db
from .models import Product, SearchOutboxEntry, Supplier
from .models._columns import as_utc, utcnow
from .search_service import embedding_cache, get_search

CHANGES = "matchmaker.search_changes"  # session.info key: {external_id: "upsert" | "delete"}


def collect_changes(session: Session, _context) -> None:
    """``after_flush``: remember which suppliers were created, changed or deleted."""
    changes: dict[str, str] = session.info.setdefault(CHANGES, {})
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Supplier):
            changes[obj.external_id] = "upsert"
            old = inspect(obj).attrs.external_id.history.deleted
            for previous in old or ():
                changes[previous] = "delete"
        elif isinstance(obj, Product) and obj.supplier is not None:
            changes.setdefault(obj.supplier.external_id, "upsert")
    for obj in session.deleted:
        if isinstance(obj, Supplier):
            changes[obj.external_id] = "delete"


def forget_changes(session: Session, *_args) -> None:
    """``after_rollback``: nothing was saved, so there is nothing to sync."""
    session.info.pop(CHANGES, None)


def sync_after_commit(session: Session) -> None:
    """``after_commit``: apply the collected changes to the live index; on failure, queue them."""
    changes = session.info.pop(CHANGES, None)
    if changes and current_app.config.get("SEARCH_SYNC", True):
        apply_or_enqueue(changes)


def apply_or_enqueue(changes: Mapping[str, str]) -> None:
    """Apply committed changes to the live index; if the backend fails, queue them in the outbox."""
    try:
        apply_changes(changes)
    except Exception as exc:  # noqa: BLE001 - any failure must leave the committed data alone
        current_app.logger.warning("search sync failed, %d change(s) queued: %s", len(changes), exc)
        enqueue(changes, str(exc))


def apply_changes(changes: Mapping[str, str]) -> int:
    """Upsert or delete these suppliers in the live index; return how many were applied.

    Nothing to do before the first reindex: that build will include them.
    """
    service = get_search()
    if service.backend.live_version() is None:
        return 0
    deletes = [external_id for external_id, op in changes.items() if op == "delete"]
    upserts = [external_id for external_id, op in changes.items() if op == "upsert"]
    # A session of its own: the committing session cannot run SQL inside after_commit.
    with Session(db.engine) as session:
        rows = session.scalars(select(Supplier).options(selectinload(Supplier.products))
                               .where(Supplier.external_id.in_(upserts))).all() if upserts else []
        records = [index_record(row) for row in rows]
    found = {record["external_id"] for record in records}
    deletes += [external_id for external_id in upserts if external_id not in found]  # deleted since
    if records:
        vectors, _ = embed_records(records, service.encoders, embedding_cache())
        service.backend.bulk_index(supplier_document(r, v) for r, v in zip(records, vectors))
    if deletes:
        service.backend.delete(deletes)
    return len(records) + len(deletes)


def enqueue(changes: Mapping[str, str], error: str) -> None:
    """Write changes to the outbox in their own transaction."""
    with db.engine.begin() as connection:
        connection.execute(insert(SearchOutboxEntry.__table__), [
            {"supplier_external_id": external_id, "operation": op, "attempts": 1, "last_error": error[:2000]}
            for external_id, op in changes.items()])


def drain_outbox() -> tuple[int, int]:
    """Retry queued changes (the latest per supplier); return (applied, still queued)."""
    table = SearchOutboxEntry.__table__
    with db.engine.connect() as connection:
        rows = connection.execute(select(table.c.id, table.c.supplier_external_id, table.c.operation)
                                  .order_by(table.c.id)).all()
    if not rows:
        return 0, 0
    latest = {external_id: op for _, external_id, op in rows}
    ids = [row_id for row_id, _, _ in rows]
    try:
        apply_changes(latest)
    except Exception as exc:  # noqa: BLE001 - keep the queue, count the attempt
        with db.engine.begin() as connection:
            connection.execute(table.update().where(table.c.id.in_(ids))
                               .values(attempts=table.c.attempts + 1, last_error=str(exc)[:2000]))
        return 0, len(latest)
    with db.engine.begin() as connection:
        connection.execute(delete(table).where(table.c.id.in_(ids)))
    return len(latest), 0


def outbox_status() -> dict:
    """How many changes wait in the outbox, for how many suppliers, and the age of the oldest in seconds."""
    table = SearchOutboxEntry.__table__
    with db.engine.connect() as connection:
        queued, suppliers, oldest = connection.execute(select(
            func.count(), func.count(table.c.supplier_external_id.distinct()), func.min(table.c.created_at))).one()
    age = round((utcnow() - as_utc(oldest)).total_seconds(), 1) if oldest is not None else None
    return {"queued": queued, "suppliers": suppliers, "oldest_seconds": age}


def init_app(app: Flask) -> None:
    """Listen to the app's sessions (once per process: the listeners check the app's config)."""
    if not event.contains(db.session, "after_flush", collect_changes):
        event.listen(db.session, "after_flush", collect_changes)
        event.listen(db.session, "after_commit", sync_after_commit)
        event.listen(db.session, "after_rollback", forget_changes)
