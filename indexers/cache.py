"""A content-addressed embedding cache: (SHA-256 of the exact text embedded, encoder) -> vector.

Shared by the reindex job and live sync. Entries are written in their own
short transactions as soon as a batch is embedded, so work done before a
crash is kept for the next run. It is never keyed on vector equality: the
same text embedded alone or in a batch can differ in the last bits.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import Engine, Table, func, insert, select

CHUNK = 500


def text_key(text: str) -> str:
    """The cache key of a text: SHA-256 of its UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _insert_new(connection, table: Table):
    """An INSERT that skips rows whose (encoder, text) is stored already (SQLite and PostgreSQL alike)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif connection.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        return insert(table)
    return dialect_insert(table).on_conflict_do_nothing(index_elements=["encoder", "text_sha256"])


class EmbeddingCache:
    """Reads and writes cached vectors in a database table (``embedding_cache``)."""

    def __init__(self, engine: Engine, table: Table):
        self.engine = engine
        self.table = table

    def get_many(self, encoder: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors for ``keys`` (those found)."""
        found: dict[str, np.ndarray] = {}
        column = self.table.c
        unique = sorted(set(keys))
        with self.engine.connect() as connection:
            for start in range(0, len(unique), CHUNK):
                chunk = unique[start:start + CHUNK]
                rows = connection.execute(select(column.text_sha256, column.vector).where(
                    column.encoder == encoder, column.text_sha256.in_(chunk)))
                found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
        return found

    def put_many(self, encoder: str, items: Iterable[tuple[str, np.ndarray]]) -> int:
        """Store vectors (skipping keys stored meanwhile by another process); commit at once."""
        rows = {key: np.asarray(vector, dtype=np.float32) for key, vector in items}
        if not rows:
            return 0
        column = self.table.c
        with self.engine.begin() as connection:
            present = {key for (key,) in connection.execute(select(column.text_sha256).where(
                column.encoder == encoder, column.text_sha256.in_(list(rows))))}
            fresh = [{"encoder": encoder, "text_sha256": key, "dimensions": int(vector.shape[0]),
                      "vector": vector.tobytes()} for key, vector in rows.items() if key not in present]
            if fresh:
                # A key another process stores between the read above and this write (the worker and the
                # nightly build embed the same edited text) is the same vector: keep theirs, never fail.
                connection.execute(_insert_new(connection, self.table), fresh)
        return len(fresh)

    def count(self, encoder: str | None = None) -> int:
        """How many vectors are cached (for one encoder, or all)."""
        stmt = select(func.count()).select_from(self.table)
        if encoder:
            stmt = stmt.where(self.table.c.encoder == encoder)
        with self.engine.connect() as connection:
            return connection.execute(stmt).scalar_one()
