"""What a backup covers in this app, where each part lives, and the setups it does not cover.

The embedded setup keeps everything on one host: the SQLite database (the
embedding cache is its ``embedding_cache`` table, not a store of its own),
the search index under the instance folder, and in development the
generated secret key beside it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

from ..config import SECRET_KEY_FILE
from ..search_service import get_search

BACKUPS_FOLDER = "backups"  # in the instance folder, owner-only
SEE_README = 'see README.md, "Backups and restore"'


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do instead."""


class Unsupported(BackupError):
    """The app runs on a setup these commands do not cover (PostgreSQL, an Elasticsearch index)."""


class CorruptArchive(BackupError):
    """The archive is not a complete, intact Matchmaker backup; nothing was restored."""


class InstanceNotEmpty(BackupError):
    """The database restored into holds data, and ``force`` was not given."""


def database_path() -> Path:
    """The SQLite file of this app's database; :class:`Unsupported` for any other database."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        raise Unsupported("this app's database is PostgreSQL, which `matchmaker backup` does not copy: back it up "
                          "with `pg_dump -Fc` and restore it with `pg_restore` (the embedding cache is a table in "
                          "it), then rebuild the search index with `matchmaker reindex --full` or restore an "
                          f"Elasticsearch snapshot ({SEE_README})")
    if url.get_backend_name() != "sqlite":
        raise Unsupported(f"`matchmaker backup` covers SQLite databases only, not {url.get_backend_name()} "
                          f"({SEE_README})")
    if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
        raise Unsupported("this app's SQLite database is in memory: there is no file to back up or restore")
    return Path(url.database).expanduser().resolve()


def embedded_backend():
    """The app's search backend if it is the embedded one, else None (Elasticsearch, or none at all)."""
    backend = get_search().backend
    return backend if backend.name == "embedded" else None


def require_embedded_index():
    """The embedded backend, or :class:`Unsupported` naming what to do about the configured one."""
    backend = embedded_backend()
    if backend is None:
        name = current_app.config["SEARCH_BACKEND"]
        where = "Elasticsearch, whose snapshot API backs it up" if name == "elasticsearch" else f"the {name!r} backend"
        raise Unsupported(f"the search index is in {where}, which `matchmaker backup` does not copy; back up the "
                          "database alone with --without-index (a restore rebuilds the index from it) "
                          f"({SEE_README})")
    return backend


def backups_folder() -> Path:
    """The instance's ``backups/`` folder, created readable by its owner only (archives hold password hashes)."""
    folder = Path(current_app.instance_path) / BACKUPS_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def secret_key_path() -> Path:
    """Where a development instance keeps its generated secret key (see ``config.resolve_secret_key``)."""
    return Path(current_app.instance_path) / SECRET_KEY_FILE


def set_aside(path: Path, replaced: Path | None) -> None:
    """Move ``path`` (a file or folder) into the folder ``replaced``, or delete it when nothing is kept."""
    if replaced is not None:
        replaced.mkdir(mode=0o700, exist_ok=True)
        shutil.move(path, replaced / path.name)
    elif path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
