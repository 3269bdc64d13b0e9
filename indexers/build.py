"""A full index build: every supplier embedded and loaded into a new version, then swapped in."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from search.backend import BackendError, SearchBackend
from search.encoders import Encoder
from search.ranking import covers, text_for

from .documents import embedding_text, supplier_document

Progress = Callable[[int], None]


@dataclass
class BuildReport:
    """What a build did."""

    version: str
    documents: int
    embedded: int
    seconds: float
    dropped: list[str]

    def summary(self) -> str:
        return (f"indexed {self.documents} suppliers into {self.version} "
                f"({self.embedded} texts embedded) in {self.seconds:.1f} s")


def embed_batch(records: list[Mapping[str, Any]], encoders: Mapping[str, Encoder]) -> tuple[list[dict], int]:
    """Vectors for each record from every encoder that can read it; and how many texts were embedded."""
    texts = [embedding_text(record) for record in records]
    vectors: list[dict] = [{} for _ in records]
    embedded = 0
    for name, encoder in encoders.items():
        positions = [i for i, text in enumerate(texts) if covers(name, text)]
        if not positions:
            continue
        matrix = encoder.encode([text_for(name, texts[i]) for i in positions])
        embedded += len(positions)
        for row, i in enumerate(positions):
            vectors[i][name] = matrix[row]
    return vectors, embedded


def build_index(backend: SearchBackend, encoders: Mapping[str, Encoder], records: Iterable[Mapping[str, Any]],
                expected: int, *, batch_size: int = 256, keep: int = 2, progress: Progress | None = None) -> BuildReport:
    """Build a new version from ``records``, verify it holds ``expected`` documents, make it live.

    On any failure the new version is dropped and the live one is untouched.
    Afterwards only the ``keep`` newest versions stay on disk.
    """
    started = time.perf_counter()
    version = backend.create_version()
    embedded = written = 0
    try:
        batch: list[Mapping[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                written, embedded = _flush(backend, encoders, batch, version, written, embedded, progress)
                batch = []
        if batch:
            written, embedded = _flush(backend, encoders, batch, version, written, embedded, progress)
        count = backend.count(version)
        if count != expected:
            raise BackendError(f"new index holds {count} documents, the database {expected}; not swapping")
        backend.promote(version)
    except BaseException:
        backend.drop_version(version)
        raise
    previous = [v.name for v in backend.versions() if not v.live]  # oldest first
    dropped = previous[:max(0, len(previous) - keep)]
    for name in dropped:
        backend.drop_version(name)
    return BuildReport(version, written, embedded, time.perf_counter() - started, dropped)


def _flush(backend, encoders, batch, version, written, embedded, progress):
    vectors, count = embed_batch(batch, encoders)
    written += backend.bulk_index((supplier_document(r, v) for r, v in zip(batch, vectors)), version)
    if progress:
        progress(len(batch))
    return written, embedded + count
