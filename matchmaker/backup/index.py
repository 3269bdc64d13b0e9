"""The archive's index version installed as the instance's live index, when this code would build it the same."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from search.backend import BackendError
from search.embedded import EmbeddedBackend
from search.embedded.version import sync_folder

from ..reindex_job import index_fingerprint
from ..search_service import get_search
from .instance import set_aside

STAGED_ROOT = "search-index"


def install_index(entry: dict | None, staging: Path, replaced: Path | None, say: Callable[[str], None]) -> str | None:
    """Replace the instance's index folder with one holding the archive's version, live; return its name.

    Call it after the database swap: whether the version is usable depends on
    the restored ranking profile. Without a usable version (none archived,
    or a different fingerprint: encoders, schema, profile, code), the old
    folder goes all the same (its versions describe the replaced database:
    a rollback must never bring one back) and None says to build anew.
    """
    service = get_search()
    if service.backend.name != "embedded":
        if entry:
            say(f"The archive's index is not used: this app searches with the {service.backend.name} backend.")
        return None
    root = service.backend.root
    version = stage_version(entry, staging, service, say)
    service.backend.close()
    if root.exists():
        set_aside(root, replaced)
    if version:
        os.rename(staging / STAGED_ROOT, root)
        sync_folder(root.parent)
    return version


def stage_version(entry: dict | None, staging: Path, service, say: Callable[[str], None]) -> str | None:
    """An index folder at ``staging``/search-index with the archive's version live; its name, or None if unusable."""
    if not entry:
        say("The archive holds no search index: building one from the database.")
        return None
    if entry.get("build_info", {}).get("fingerprint") != index_fingerprint(service):
        say("The archive's index was built with other encoders, schema, ranking profile or code: "
            "building a new one from the database.")
        return None
    name, root = entry["version"], staging / STAGED_ROOT
    (root / "versions").mkdir(parents=True)
    os.rename(staging / "archive" / entry["folder"], root / "versions" / name)
    staged = EmbeddedBackend(root, service.backend.schema)
    try:
        count = staged.count(name)
        if count != entry["documents"]:
            raise BackendError(f"it holds {count} documents, its manifest says {entry['documents']}")
        staged.set_build_info(name, entry["build_info"])  # the watermark the catch-up starts from
        staged.promote(name)
    except (BackendError, sqlite3.Error, OSError, ValueError) as exc:
        say(f"The archive's index cannot be used ({exc}): building a new one from the database.")
        return None
    finally:
        staged.close()
    return name
