"""Job locks held in the database the job uses, so two hosts never run the same job at once.

On PostgreSQL a session-level advisory lock, on a connection of its own in
autocommit (no transaction stays open while the job runs); PostgreSQL
releases it if the process or its host dies. SQLite lives on one host, so a
``flock`` on a file beside the instance is enough there, and is released the
same way. Two hosts running the nightly timer against one PostgreSQL and one
Elasticsearch cluster therefore cannot drop each other's builds.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from indexers.lock import JobLock, LockHeld

from .extensions import db

__all__ = ["LockHeld", "job_lock"]


def _key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for ``name``."""
    return int.from_bytes(hashlib.sha256(f"matchmaker:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def job_lock(name: str) -> Iterator[None]:
    """Run the block only if no other process, on any host, holds the lock ``name``; else raise LockHeld."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        with JobLock(Path(current_app.instance_path) / f"{name}.lock"):
            yield
        return
    key = _key(name)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
            raise LockHeld(f"another {name} is running ({_holder(connection, key)})")
        try:
            yield
        finally:
            connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


def _holder(connection, key: int) -> str:
    """Who holds the advisory lock ``key``: the PostgreSQL session, its client address and start."""
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    row = connection.execute(text(
        "SELECT a.pid, a.client_addr, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = :high AND l.objid::bigint = :low "
        "AND l.objsubid = 1"), {"high": unsigned >> 32, "low": unsigned & 0xFFFF_FFFF}).first()
    if row is None:
        return "holder unknown"
    where = f" from {row.client_addr}" if row.client_addr else ""
    started = f", since {row.backend_start:%Y-%m-%d %H:%M:%S %Z}" if row.backend_start else ""
    return f"PostgreSQL session {row.pid}{where}{started}"
