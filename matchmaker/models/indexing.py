"""Tables the indexers keep in the database: the embedding cache and the search outbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._columns import utcnow


class EmbeddingCacheEntry(db.Model):
    """One embedding, keyed by the exact text embedded (SHA-256) and the encoder that made it."""

    __tablename__ = "embedding_cache"

    encoder: Mapped[str] = mapped_column(String(200), primary_key=True)
    text_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    dimensions: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchOutboxEntry(db.Model):
    """A supplier change for the search index: the outbox while ``applied_at`` is empty, then a journal.

    Written in the transaction that changed the supplier (:mod:`matchmaker.search_sync`),
    applied by ``matchmaker worker``, which stamps ``applied_at``. A change that failed
    waits until ``next_attempt_at`` (backoff); ``attempts`` and ``last_error`` say why.
    Applied rows stay as long as a kept index version may need them: a reindex
    and a rollback catch up by re-applying the rows after the version's
    watermark (:mod:`matchmaker.reindex_job`), never by timestamps of the suppliers.
    """

    __tablename__ = "search_outbox"
    # Ids only ever grow, even after the newest rows are pruned: a watermark is an id (SQLite would reuse them).
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_external_id: Mapped[str] = mapped_column(String(100), index=True)
    operation: Mapped[str] = mapped_column(String(10))  # "upsert" or "delete"
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
