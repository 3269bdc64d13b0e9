"""``matchmaker backup``: one archive holding a consistent copy of the database, the live index and the key.

Holding the reindex lock (so no build, swap, version drop or journal prune
can happen meanwhile), the live index version is copied first and the
database second. Whatever the index copy lacks was therefore committed
later, and is in the database copy's outbox journal after the watermark the
version's build info records: the restore's catch-up (an incremental
``matchmaker reindex``) re-applies exactly that.
"""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from search.backend import BackendError
from search.embedded.version import FILE as INDEX_FILE
from search.embedded.version import FORMAT as INDEX_LAYOUT
from search.embedded.version import Version

from ..locks import job_lock
from ..reindex_job import LOCK as REINDEX_LOCK
from .archive import FORMAT, FORMAT_VERSION, describe, pack
from .instance import (BackupError, backups_folder, database_path, require_embedded_index, secret_key_path)
from .sqlite import check, facts, online_copy

DATABASE = "database.sqlite3"
INDEX = "index"  # the live version's folder is archived as index/<version>/
SECRET_KEY = "secret_key"

Report = Callable[[str], None]


@dataclass
class BackupSummary:
    """What a backup wrote, for the command's last line."""

    path: Path
    size: int
    suppliers: int
    index_version: str | None
    documents: int
    secret_key: bool
    seconds: float

    def line(self) -> str:
        held = [f"{self.suppliers:,} suppliers",
                f"index {self.index_version} ({self.documents:,} documents)" if self.index_version
                else "no index (a restore rebuilds it)"]
        if self.secret_key:
            held.append("the secret key")
        return (f"Backup written to {self.path} ({human_size(self.size)}, {self.seconds:.1f} s): {', '.join(held)}. "
                "Keep it private: it holds password hashes and contact details.")


def create_backup(dest: Path | None = None, *, with_index: bool = True, report: Report | None = None) -> BackupSummary:
    """Back up this app's instance to ``dest`` and return what the archive holds.

    ``dest``: a ``.tar.gz`` (or ``.tgz``) file, or a folder for any other
    name; an existing folder gets the default name inside it; nothing is ever
    overwritten. By default ``backups/matchmaker-<UTC time>.tar.gz`` in the
    instance. ``with_index=False`` leaves the index out (a restore rebuilds
    it). Raises :class:`BackupError` (:class:`Unsupported` on PostgreSQL, or
    for an index this cannot copy) and ``LockHeld`` while a reindex runs.
    """
    say = report or (lambda _line: None)
    started, now = time.perf_counter(), datetime.now(timezone.utc)
    database = database_path()
    backend = require_embedded_index() if with_index else None
    if not database.is_file():
        raise BackupError(f"there is no database at {database}: nothing to back up")
    target = archive_path(dest, now)
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=backups_folder()))  # beside the index: links, not copies
    try:
        with job_lock(REINDEX_LOCK):
            index = copy_live_index(backend, work / INDEX, say) if backend else None
            say(f"Copying the database ({human_size(database_size(database))})...")
            online_copy(database, work / DATABASE)
        has_key = secret_key_path().is_file()
        if has_key:
            shutil.copyfile(secret_key_path(), work / SECRET_KEY)
        about = facts(work / DATABASE)
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "app_version": app_version(),
                    "created_at": now.isoformat(timespec="seconds"), "database": {"file": DATABASE, **about},
                    "index": index, "secret_key": SECRET_KEY if has_key else None, "files": describe(work)}
        say(f"Writing {target}...")
        size = pack(work, manifest, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupSummary(target, size, about["suppliers"] or 0, index and index["version"],
                         index["documents"] if index else 0, has_key, time.perf_counter() - started)


def archive_path(dest: Path | None, now: datetime) -> Path:
    """Where the archive goes: ``dest``, a default name inside it if it is a folder, or in ``backups/``."""
    name = f"matchmaker-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    if dest is None:
        return backups_folder() / name
    dest = Path(dest).expanduser().absolute()
    if dest.is_dir():
        dest = dest / name
    if dest.exists() or dest.is_symlink():
        raise BackupError(f"{dest} exists already; a backup never replaces one")
    if not dest.parent.is_dir():
        raise BackupError(f"there is no folder {dest.parent} to write the backup in")
    return dest


def copy_live_index(backend, folder: Path, say: Report) -> dict | None:
    """Copy the live version into ``folder``/<version>; return its manifest entry (None: no usable index).

    Call it holding the reindex lock. ``Version.copy_to`` is the copy the
    nightly build starts from: SQLite's backup API (one read transaction,
    while the worker keeps writing) and the frozen ``.npy`` files linked, or
    frozen again if the worker replaced them meanwhile.
    """
    live = backend.live_version()
    if live is None:
        say("No search index is built yet: the archive holds none (a restore builds it).")
        return None
    say(f"Copying the search index (version {live})...")
    # ROOT/versions/<version>/ is the embedded backend's documented layout (search/embedded/backend.py).
    source, target = backend.root / "versions" / live, folder / live
    try:
        if not (source / INDEX_FILE).is_file():  # opening it would create an empty database there
            raise BackupError(f"the live index version {live} has no {INDEX_FILE}")
        built = backend.build_info(live)
        documents = _copy_version(source, target)
    except (BackupError, BackendError, sqlite3.Error, OSError) as exc:
        # The index is derived data: a damaged one must not cost the backup of the database.
        say(f"Warning: {exc}; the archive holds no index (a restore rebuilds it).")
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return {"version": live, "documents": documents, "layout": INDEX_LAYOUT, "build_info": built,
            "folder": f"{INDEX}/{live}"}


def database_size(database: Path) -> int:
    """The bytes of ``database`` and of its ``-wal`` file (which can hold most of a busy database)."""
    wal = database.with_name(database.name + "-wal")
    return database.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _copy_version(source: Path, target: Path) -> int:
    """Copy the version folder ``source`` to ``target``, check the copy, and return its document count."""
    original = Version(source)
    try:
        original.copy_to(target)
    finally:
        original.close()
    (target / "freeze.lock").unlink(missing_ok=True)  # only there if the copy was frozen again
    copy = Version(target)
    try:
        check(copy.db, f"the copy of index version {source.name}", quick=True)
        return copy.count()
    finally:
        copy.close()


def app_version() -> str:
    """The installed Matchmaker's version (setup.cfg), for the manifest."""
    try:
        return version("matchmaker")
    except PackageNotFoundError:
        return "unknown"


def human_size(size: int) -> str:
    """``size`` bytes as ``12.3 MB``."""
    if size < 1024:
        return f"{size:,} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024:
            break
    return f"{size:.1f} {unit}"
