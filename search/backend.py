"""The interface every search backend implements: versions, documents, and two retrievers.

Backends do retrieval only (BM25 top-n and kNN top-n, both with filters applied
before top-k). Fusion, paging and highlighting live in :mod:`search.engine`, so
both backends rank the same way.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

import numpy as np

from .documents import Document, Filter, IndexSchema


class BackendError(RuntimeError):
    """The search backend cannot do what was asked (unreachable, not built, unknown version)."""


NOT_BUILT = "the search index has not been built yet (run 'matchmaker reindex')"


class VersionInfo(NamedTuple):
    """One index version; ``promoted`` once it has ever been live (a finished, verified build)."""

    name: str
    live: bool
    documents: int
    promoted: bool = False


class SearchBackend(Protocol):
    """What :class:`search.engine.SearchEngine` needs from a backend."""

    name: str
    schema: IndexSchema

    def create_version(self) -> str: ...
    def versions(self) -> list[VersionInfo]: ...
    def live_version(self) -> str | None: ...
    def promote(self, version: str) -> None: ...
    def drop_version(self, version: str) -> None: ...
    def copy_version(self, source: str) -> str: ...
    def build_info(self, version: str) -> dict: ...
    def set_build_info(self, version: str, info: Mapping[str, str]) -> None: ...
    def doc_ids(self, version: str | None = None) -> set[str]: ...
    def bulk_index(self, docs: Iterable[Document], version: str | None = None, batch_size: int = 500) -> int: ...
    def delete(self, ids: Iterable[str], version: str | None = None) -> int: ...
    def count(self, version: str | None = None) -> int: ...
    def health(self) -> dict: ...

    def lexical(self, text: str, filters: Sequence[Filter], n: int, version: str | None = None,
                boosts: Mapping[str, float] | None = None) -> tuple[list[tuple[str, float]], int]: ...

    def knn(self, field: str, vector: np.ndarray, filters: Sequence[Filter], n: int,
            version: str | None = None) -> list[tuple[str, float]]: ...

    def covered(self, field: str, ids: Sequence[str], version: str | None = None) -> set[str]: ...
    def sources(self, ids: Sequence[str], version: str | None = None) -> dict[str, dict[str, str]]: ...
    def close(self) -> None: ...
