"""``matchmaker restore``: an archive back into this instance, checked in full before anything is replaced.

1. An instance whose database holds data is refused unless ``force``; the
   reindex and worker locks are held throughout (a running reindex or
   worker refuses the restore).
2. The archive's files are copied into a folder in the instance, each
   checked against the manifest; the database copy is checked and, if its
   schema is older, upgraded (the copy, never the live file).
3. Swap, one rename each: the database, the secret key, the index folder.
   With ``force`` the replaced files are kept in ``backups/replaced-<time>/``.
4. The index is brought up to date with the database by ``matchmaker
   reindex``: incrementally from the restored version (what the outbox
   journal holds after its watermark), or in full when the archive has no
   usable index (left out; built by other encoders, schema or code).

A corrupt archive or a failed check stops before step 3: nothing is touched.
Step 3 takes milliseconds; a kill between its renames leaves the restored
database beside the previous index, which ``matchmaker reindex --full`` (or
the same restore again, with ``--force``) mends.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from search.embedded.version import sync_folder

from ..extensions import db
from ..locks import LockHeld, job_lock
from ..reindex_job import LOCK as REINDEX_LOCK
from ..reindex_job import run_reindex
from ..search_service import EXTENSION as SEARCH_EXTENSION
from ..sync_worker import LOCK as WORKER_LOCK
from .archive import unpack
from .create import Report
from .index import install_index
from .instance import (BACKUPS_FOLDER, BackupError, InstanceNotEmpty, backups_folder, database_path,
                       secret_key_path, set_aside)
from .schema import prepare_database
from .sqlite import SIDE_FILES, contents, fold_wal

STAGING = ".restore-"  # folders and files of a restore in progress (removed by the next one if it was killed)


@dataclass
class RestoreSummary:
    """What a restore did, for the command's last lines."""

    archive: Path
    created_at: str
    suppliers: int
    revision: str | None
    upgraded_from: str | None
    secret_key: bool
    index_version: str | None  # the archive's version, made live; None: built from the database
    replaced: Path | None
    reindex: str | None = None  # the catch-up's summary
    reindex_error: str | None = None

    def lines(self) -> list[str]:
        schema = f"schema {self.revision or 'not stamped'}" + (
            f" (upgraded from {self.upgraded_from})" if self.upgraded_from else "")
        key = ", the secret key" if self.secret_key else ""
        lines = [f"Restored {self.archive} (taken {self.created_at}): {self.suppliers:,} suppliers, {schema}{key}."]
        index = f"index {self.index_version} restored" if self.index_version else "index built from the database"
        if self.reindex_error is None:
            lines.append(f"Search: {index}; {self.reindex}")
        if self.replaced:
            lines.append(f"The replaced files are kept in {self.replaced} (delete them when satisfied).")
        return lines


def restore_backup(archive: Path, *, force: bool = False, report: Report | None = None,
                   progress=None) -> RestoreSummary:
    """Restore ``archive`` (a backup's ``.tar.gz`` or folder) into this app's instance; return what was done.

    Raises :class:`InstanceNotEmpty` when the database holds data and not
    ``force``, :class:`CorruptArchive` (nothing touched), ``LockHeld`` while
    a reindex or the worker runs, and :class:`BackupError` otherwise.
    ``progress(done, total)`` follows the index build. An index catch-up that
    fails does not undo the restore: ``reindex_error`` says why.
    """
    say = report or (lambda _line: None)
    archive = Path(archive).expanduser().absolute()
    if not archive.exists():
        raise BackupError(f"there is no backup at {archive}")
    database = database_path()
    instance = Path(current_app.instance_path)
    holding = contents(database)
    if holding and not force:
        raise InstanceNotEmpty(f"the database {database} holds data ({holding}); restoring would replace it. "
                               f"Run again with --force to replace it (the replaced files are kept in "
                               f"{instance / BACKUPS_FOLDER}/replaced-<time>/)")
    with ExitStack() as stack:
        hold_locks(stack)
        clear_leftovers(instance, database)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=instance))
        stack.callback(shutil.rmtree, staging, True)
        say(f"Checking {archive}...")
        manifest = unpack(archive, staging / "archive")
        staged, revision, upgraded_from = prepare_database(
            staging / "archive" / manifest["database"]["file"], staging / "migrate",
            database.with_name(f".{database.name}{STAGING}{secrets.token_hex(3)}"), say)
        stack.callback(staged.unlink, missing_ok=True)  # gone by then, unless something failed before the swap
        # Kept aside only when it held data; an empty instance's files (a generated key, an empty index) just go.
        replaced = backups_folder() / f"replaced-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}" if holding else None
        say("Replacing the database...")
        release()
        swap_database(staged, database, replaced)
        key = swap_secret_key(manifest, staging / "archive", replaced)
        version = install_index(manifest.get("index"), staging, replaced, say)
    kept = replaced if replaced is not None and replaced.exists() else None
    summary = RestoreSummary(archive, manifest.get("created_at", "?"), manifest["database"].get("suppliers") or 0,
                             revision, upgraded_from, key, version, kept)
    say("Bringing the restored index up to date with the database..." if version
        else "Building the search index from the database...")
    try:
        summary.reindex = run_reindex(progress=progress)["message"]
    except Exception as exc:  # noqa: BLE001 (the data is restored whatever fails here: report it, do not undo)
        summary.reindex_error = f"{type(exc).__name__}: {exc}"
    return summary


def hold_locks(stack: ExitStack) -> None:
    """Hold the reindex and worker locks until ``stack`` closes; ``LockHeld`` saying what runs, if one does."""
    for name, running in ((REINDEX_LOCK, "a reindex is running: wait for it to finish"),
                          (WORKER_LOCK, "the search worker (`matchmaker worker`) is running: stop it")):
        try:
            stack.enter_context(job_lock(name))
        except LockHeld as exc:
            raise LockHeld(f"{running}, and the web server, before restoring ({exc})") from None


def clear_leftovers(instance: Path, database: Path) -> None:
    """Remove what a killed restore left behind (no other restore can run: this one holds the locks)."""
    for folder in instance.glob(f"{STAGING}*"):
        shutil.rmtree(folder, ignore_errors=True)
    for path in database.parent.glob(f".{database.name}{STAGING}*"):
        path.unlink(missing_ok=True)


def release() -> None:
    """Let go of the files about to be replaced: pooled database connections and open index versions."""
    db.session.remove()
    db.engine.dispose()
    service = current_app.extensions.pop(SEARCH_EXTENSION, None)
    if service is not None:
        service.backend.close()


def swap_database(staged: Path, database: Path, replaced: Path | None) -> None:
    """Put ``staged`` in place of ``database`` in one rename; the old file and its side files go to ``replaced``.

    The old file is checkpointed first, so it is complete without its
    ``-wal``; side files are moved (or deleted) before the rename, because
    SQLite would apply a stale ``-wal`` to the new file.
    """
    if database.is_file():
        fold_wal(database)
    for path in [database, *(database.with_name(database.name + suffix) for suffix in SIDE_FILES)]:
        if path.exists():
            set_aside(path, replaced)
    os.replace(staged, database)
    sync_folder(database.parent)


def swap_secret_key(manifest: dict, folder: Path, replaced: Path | None) -> bool:
    """Put the archive's secret key in place (sessions and remember-me cookies keep working); False if none."""
    if not manifest.get("secret_key"):
        return False
    key = secret_key_path()
    if replaced is not None and key.is_file():  # copied, not moved: the new key replaces it in one rename
        replaced.mkdir(mode=0o700, exist_ok=True)
        shutil.copy2(key, replaced / key.name)
    staged = folder / manifest["secret_key"]
    os.chmod(staged, 0o600)
    os.replace(staged, key)
    return True
