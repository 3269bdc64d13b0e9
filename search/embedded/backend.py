"""The embedded backend: versioned index folders under one root and an atomic live pointer.

Layout::

    ROOT/versions/<version>/index.sqlite3
    ROOT/LIVE                 the live version's name, replaced atomically (os.replace)

A new version is built in its own folder while readers keep using the live
one; promoting it is one rename of the pointer file, so a crash leaves either
the old pointer or the new one, never a half-written live index.

Long-lived processes (web workers) keep the live version open and notice a
new one on their next call: the old version is closed (its connections and
matrices released) as soon as the last search still using it finishes. Any
other version is open only while a call uses it.

With ``synonyms``, lexical queries are expanded at query time only (documents
are indexed as written, so switching synonyms needs no rebuild); see
:func:`search.embedded.version.match_expression` for how expansions score.
"""
from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..backend import NOT_BUILT, BackendError, VersionInfo
from ..documents import Document, Filter, IndexSchema
from ..synonyms import Synonyms
from . import version as store

POINTER = "LIVE"


@contextmanager
def unreadable(version: str) -> Iterator[None]:
    """Storage failures (a missing or corrupt file, a locked database, a full disk) as :class:`BackendError`.

    Callers degrade on ``BackendError`` (the catalog lists from SQL, the sync
    worker retries later); a raw ``sqlite3`` or ``OSError`` would be a 500.
    """
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise BackendError(f"index version {version} cannot be used: {type(exc).__name__}: {exc}") from exc


class EmbeddedBackend:
    """Search backend on local disk: SQLite FTS5 for BM25 and exact numpy vector search."""

    name = "embedded"
    layout = store.FORMAT

    def __init__(self, root: str | os.PathLike, schema: IndexSchema, synonyms: Synonyms | None = None):
        self.root = Path(root)
        self.schema = schema
        self.synonyms = synonyms
        self._open: dict[str, store.Version] = {}
        self._users: Counter[str] = Counter()  # calls using each open version right now
        self._live: str | None = None  # the live version as this process last saw it
        self._lock = threading.Lock()

    # versions -----------------------------------------------------------------------------------

    @property
    def _versions_dir(self) -> Path:
        return self.root / "versions"

    def _new_name(self) -> str:
        self._versions_dir.mkdir(parents=True, exist_ok=True)
        return datetime.now(timezone.utc).strftime("v%Y%m%d%H%M%S%f-") + secrets.token_hex(3)

    def create_version(self) -> str:
        """Create an empty version and return its name (sortable by creation time)."""
        name = self._new_name()
        store.create(self._versions_dir / name, self.schema)
        return name

    def copy_version(self, source: str) -> str:
        """A new, unpromoted version holding what ``source`` holds now (the start of an incremental build)."""
        name = self._new_name()
        with self._using(source) as opened:
            try:
                opened.copy_to(self._versions_dir / name)
            except BaseException:
                shutil.rmtree(self._versions_dir / name, ignore_errors=True)
                raise
        return name

    def build_info(self, version: str) -> dict:
        """What the build of ``version`` recorded with :meth:`set_build_info` ({} if nothing)."""
        with self._using(version) as opened:
            return opened.build_info()

    def set_build_info(self, version: str, info: Mapping[str, str]) -> None:
        """Record how ``version`` was built (fingerprint, the time its data was read)."""
        with self._using(version) as opened:
            opened.set_build_info(info)

    def versions(self) -> list[VersionInfo]:
        """Every version on disk, oldest first, marking the live one."""
        if not self._versions_dir.exists():
            return []
        live = self.live_version()
        infos = []
        for path in sorted(self._versions_dir.iterdir()):
            if (path / store.FILE).exists():
                with self._using(path.name) as opened:
                    infos.append(VersionInfo(path.name, path.name == live, opened.count(), opened.promoted()))
        return infos

    def live_version(self) -> str | None:
        """The version searches use, or None before the first promote."""
        try:
            return (self.root / POINTER).read_text().strip() or None
        except FileNotFoundError:
            return None
        except OSError as exc:  # unreadable pointer (permissions, I/O): the index is there but cannot be used
            raise BackendError(f"cannot read the live index pointer: {exc}") from exc

    def promote(self, version: str) -> None:
        """Point the live pointer at ``version`` in one atomic rename."""
        if not (self._versions_dir / version / store.FILE).exists():
            raise BackendError(f"no index version {version!r}")
        with self._using(version) as opened:
            opened.mark_promoted()
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".live-")
        with os.fdopen(fd, "w") as handle:
            handle.write(version)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.root / POINTER)

    def drop_version(self, version: str) -> None:
        """Delete a version that is not live."""
        if version == self.live_version():
            raise BackendError(f"{version} is live; promote another version before dropping it")
        with self._lock:
            opened = self._open.pop(version, None) if not self._users[version] else None
        if opened:
            opened.close()
        shutil.rmtree(self._versions_dir / version, ignore_errors=True)

    @contextmanager
    def _using(self, name: str | None = None) -> Iterator[store.Version]:
        """The open version ``name`` (the live one by default) for the length of one call."""
        live = self.live_version()
        name = name or live
        if name is None:
            raise BackendError(NOT_BUILT)
        with self._lock:
            if live != self._live:
                self._live = live
                self._close_idle()  # the version that was live until now, if no call still uses it
            opened = self._open.get(name)
            if opened is None:
                if not (self._versions_dir / name / store.FILE).exists():
                    raise BackendError(f"no index version {name!r}")
                with unreadable(name):
                    opened = store.Version(self._versions_dir / name)
                self._open[name] = opened
            self._users[name] += 1
        try:
            with unreadable(name):
                yield opened
        finally:
            with self._lock:
                self._users[name] -= 1
                self._close_idle()

    def _close_idle(self) -> None:
        """Close every open version but the live one that no call is using (holding ``_lock``)."""
        for name in [n for n in self._open if n != self._live and not self._users[n]]:
            self._open.pop(name).close()
            del self._users[name]

    def open_versions(self) -> list[str]:
        """The versions this process holds open (the live one, and any a call is using now)."""
        with self._lock:
            return sorted(self._open)

    # documents ----------------------------------------------------------------------------------

    def bulk_index(self, docs: Iterable[Document], version: str | None = None, batch_size: int = 500) -> int:
        """Add or replace documents in ``version`` (the live one by default), in batches."""
        total, batch = 0, []
        with self._using(version) as target:
            for doc in docs:
                batch.append(doc)
                if len(batch) >= batch_size:
                    total += target.write(batch)
                    batch = []
            if batch:
                total += target.write(batch)
        return total

    def delete(self, ids: Iterable[str], version: str | None = None) -> int:
        """Remove documents by id."""
        with self._using(version) as opened:
            return opened.delete(ids)

    def doc_ids(self, version: str | None = None) -> set[str]:
        """The id of every document in ``version`` (the live one by default)."""
        with self._using(version) as opened:
            return opened.ids()

    def digests(self, version: str | None = None) -> dict[str, str]:
        """Every document's content digest by id (:func:`search.documents.digest`)."""
        with self._using(version) as opened:
            return opened.digests()

    def count(self, version: str | None = None) -> int:
        """How many documents ``version`` (the live one by default) holds."""
        with self._using(version) as opened:
            return opened.count()

    def health(self) -> dict:
        """Whether a live version exists and what it holds."""
        live = self.live_version()
        if live is None:
            return {"backend": self.name, "status": "empty", "live": None, "documents": 0}
        return {"backend": self.name, "status": "ok", "live": live, "documents": self.count(live)}

    # retrieval ----------------------------------------------------------------------------------

    def lexical(self, text: str, filters: Sequence[Filter], n: int, version: str | None = None,
                boosts: Mapping[str, float] | None = None):
        """BM25 top ``n`` as (id, score) pairs, and the number of matching documents (synonyms included).

        ``boosts``: per text field, instead of the schema's (the ranking profile's field boosts).
        """
        expansions = self.synonyms.expand(text) if self.synonyms else ()
        with self._using(version) as opened:
            return opened.lexical(text, filters, n, expansions, boosts)

    def knn(self, field: str, vector: np.ndarray, filters: Sequence[Filter], n: int, version: str | None = None):
        """Exact cosine top ``n`` as (id, score) pairs."""
        with self._using(version) as opened:
            return opened.knn(field, vector, filters, n)

    def covered(self, field: str, ids: Sequence[str], version: str | None = None) -> set[str]:
        """Which of ``ids`` have a vector in ``field``."""
        with self._using(version) as opened:
            return opened.covered(field, ids)

    def sources(self, ids: Sequence[str], version: str | None = None) -> dict[str, dict[str, str]]:
        """Stored text fields by id, for highlighting."""
        with self._using(version) as opened:
            return opened.sources(ids)

    def close(self) -> None:
        """Close open versions."""
        with self._lock:
            for opened in self._open.values():
                opened.close()
            self._open.clear()
            self._users.clear()
