"""SQLite files handled as a live database needs: copied with the online backup API, checked, emptied of WAL.

Never a file copy: a copy can tear a page being written, and misses every
transaction still in the ``-wal`` file beside the database.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .instance import BackupError

SIDE_FILES = ("-wal", "-shm", "-journal")  # belong to one database file; never pair them with another
IGNORED_TABLES = ("alembic_version",)  # a freshly migrated database holds a revision and no data


def online_copy(source: Path, target: Path) -> None:
    """Copy the database ``source`` into the new file ``target``, consistent while others read and write it.

    In one step the backup API copies inside one read transaction: in WAL
    mode writers carry on, and the copy holds exactly the transactions
    committed before it began, those still in the ``-wal`` file included.
    The copy is left in rollback-journal mode, one self-contained file (the
    app turns WAL on again when it connects), and passes SQLite's integrity
    check or this raises :class:`BackupError`.
    """
    if not source.is_file():
        raise BackupError(f"there is no database at {source}: nothing to back up (`matchmaker db upgrade` creates it)")
    origin = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # pages=-1 (one step), not a page at a time: each write by another connection between steps would
        # restart the copy, and a busy site might never let it finish.
        origin.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")
        check(copy, f"the copy of {source}")
    finally:
        copy.close()
        origin.close()


def check(connection: sqlite3.Connection, what: str, quick: bool = False) -> None:
    """Raise :class:`BackupError` unless SQLite's integrity check (``quick``: its quick check) finds nothing."""
    rows = [row[0] for row in connection.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
    if rows != ["ok"]:
        raise BackupError(f"{what} fails SQLite's integrity check: {'; '.join(rows[:3])}")


def check_file(path: Path, what: str, quick: bool = True) -> None:
    """:func:`check` on the database file ``path``."""
    connection = sqlite3.connect(path)
    try:
        check(connection, what, quick)
    except sqlite3.DatabaseError as exc:  # not a database at all
        raise BackupError(f"{what} is not a usable SQLite database: {exc}") from exc
    finally:
        connection.close()


def facts(path: Path) -> dict:
    """What the manifest says of a database copy: its Alembic revision (None if never migrated) and row counts."""
    connection = sqlite3.connect(path)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

        def count(table: str) -> int | None:
            return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] if table in tables else None
        revision = (connection.execute("SELECT version_num FROM alembic_version").fetchone()
                    if "alembic_version" in tables else None)
        return {"alembic_revision": revision[0] if revision else None, "suppliers": count("suppliers"),
                "embedding_cache": count("embedding_cache")}
    finally:
        connection.close()


def contents(path: Path) -> str | None:
    """What the database ``path`` holds, in words (its tables with rows); None when it holds nothing."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    connection = sqlite3.connect(path, timeout=30)
    try:
        names = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        full = [name for name in names if name not in IGNORED_TABLES
                and connection.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()]
    except sqlite3.DatabaseError as exc:  # a damaged file: the very case a restore is for, given --force
        return f"a file SQLite cannot read: {exc}"
    finally:
        connection.close()
    if not full:
        return None
    return "rows in " + ", ".join(full[:5]) + (", ..." if len(full) > 5 else "")


def fold_wal(path: Path) -> None:
    """Write the ``-wal`` file of ``path`` into it, so the file is complete on its own; refuse if in use.

    A checkpoint that cannot finish means another process is reading or
    writing: the web server or the worker, which must stop before a restore.
    """
    connection = sqlite3.connect(path, timeout=5)
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as exc:
        raise BackupError(f"the database {path} is in use ({exc}): stop the web server and the worker first") from exc
    except sqlite3.DatabaseError:
        return  # not a database (a damaged file): nothing to fold; it is kept aside as it is
    finally:
        connection.close()
    if busy:
        raise BackupError(f"the database {path} is in use: stop the web server and the worker first")
