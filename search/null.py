"""The null search backend: accepts every write, stores nothing, finds nothing.

For tests whose subject is not search (accounts, forms, request workflow,
"no 500 from any input" sweeps) and for running the app without an index
(``MATCHMAKER_SEARCH_BACKEND=null``): pages render their empty states, edits
and imports are saved, and no model or index file is touched. It still checks
documents against the schema, so a write that a real backend would refuse
fails here too. Never serve it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .backend import BackendError, VersionInfo
from .documents import Document, Filter, IndexSchema

LIVE = "null"


class NullBackend:
    """A backend with one permanently empty live version."""

    name = "null"

    def __init__(self, schema: IndexSchema):
        self.schema = schema
        self.written = 0  # documents accepted so far (tests look)
        self.deleted = 0
        self.info: dict = {}

    def create_version(self) -> str:
        return LIVE

    def versions(self) -> list[VersionInfo]:
        return [VersionInfo(LIVE, True, 0, True)]

    def live_version(self) -> str | None:
        return LIVE

    def promote(self, version: str) -> None:
        self._check(version)

    def drop_version(self, version: str) -> None:
        if version != LIVE:
            raise BackendError(f"no index version {version!r}")

    def copy_version(self, source: str) -> str:
        self._check(source)
        return LIVE

    def build_info(self, version: str) -> dict:
        self._check(version)
        return dict(self.info)

    def set_build_info(self, version: str, info: Mapping[str, str]) -> None:
        self._check(version)
        self.info = dict(info)

    def doc_ids(self, version: str | None = None) -> set[str]:
        self._check(version)
        return set()

    def digests(self, version: str | None = None) -> dict[str, str]:
        self._check(version)
        return {}

    def bulk_index(self, docs: Iterable[Document], version: str | None = None, batch_size: int = 500) -> int:
        self._check(version)
        count = 0
        for doc in docs:
            self.schema.check(doc)
            count += 1
        self.written += count
        return count

    def delete(self, ids: Iterable[str], version: str | None = None) -> int:
        self._check(version)
        self.deleted += len(list(ids))
        return 0

    def count(self, version: str | None = None) -> int:
        self._check(version)
        return 0

    def health(self) -> dict:
        return {"backend": self.name, "status": "ok", "live": LIVE, "documents": 0}

    def lexical(self, text: str, filters: Sequence[Filter], n: int, version: str | None = None,
                boosts: Mapping[str, float] | None = None) -> tuple[list[tuple[str, float]], int]:
        self._check(version)
        return [], 0

    def knn(self, field: str, vector: np.ndarray, filters: Sequence[Filter], n: int,
            version: str | None = None) -> list[tuple[str, float]]:
        self._check(version)
        if field not in self.schema.vectors:
            raise ValueError(f"no vector field {field!r} in this index")
        return []

    def covered(self, field: str, ids: Sequence[str], version: str | None = None) -> set[str]:
        return set()

    def sources(self, ids: Sequence[str], version: str | None = None) -> dict[str, dict[str, str]]:
        return {}

    def close(self) -> None:
        """Nothing to release."""

    @staticmethod
    def _check(version: str | None) -> None:
        if version not in (None, LIVE):
            raise BackendError(f"no index version {version!r}")
