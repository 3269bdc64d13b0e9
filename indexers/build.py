"""Index builds: every supplier (or, incrementally, the changed ones) embedded into a new version, verified, swapped in.

A full build writes every supplier into an empty version. An incremental
build starts from a copy of the live version and applies only the suppliers
added or changed since it was built, and the deletions; the reindex job
(``matchmaker/reindex_job.py``) chooses one when the live version's
:func:`fingerprint` says its documents were made the way a new build would
make them.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from search import analysis, ranking
from search.backend import BackendError, SearchBackend
from search.documents import SearchRequest
from search.encoders import Encoder
from search.engine import SearchEngine

from . import documents
from .cache import EmbeddingCache
from .documents import supplier_document
from .embedding import EmbedCounts, embed_records

Progress = Callable[[int], None]


@dataclass
class BuildReport:
    """What a build did: the summary line, or one JSON object with ``--json``."""

    version: str
    documents: int
    embedded: int
    from_cache: int
    seconds: float
    dropped: list[str] = field(default_factory=list)
    incremental: bool = False  # started from a copy of the live version
    deleted: int = 0

    def summary(self) -> str:
        if self.incremental:
            return (f"incrementally: {self.documents} changed or added, {self.deleted} deleted, {self.embedded} "
                    f"embedded, {self.from_cache} from cache, {self.seconds:.1f} s (version {self.version})")
        return (f"{self.documents} documents, {self.embedded} embedded, {self.from_cache} from cache, "
                f"{self.seconds:.1f} s (version {self.version})")

    def as_dict(self) -> dict:
        return {**asdict(self), "seconds": round(self.seconds, 3)}


def verify(backend: SearchBackend, version: str, expected: int, probe: Mapping[str, Any] | None) -> None:
    """Refuse a version that does not hold the ``expected`` number of documents or cannot answer a probe query."""
    count = backend.count(version)
    if count != expected:
        raise BackendError(f"new index holds {count} documents, not the {expected} written to it; not swapping")
    if probe is not None:
        hits = SearchEngine(backend).search(SearchRequest(text=probe["name"], mode="lexical", k=10), version).hits
        if probe["external_id"] not in [hit.id for hit in hits]:
            raise BackendError(f"new index does not find {probe['external_id']} by its name; not swapping")


def fingerprint(schema, encoders: Mapping[str, Encoder], *extra: str) -> str:
    """What makes a version's documents what they are: the schema, the encoders, the code that analyzes
    and embeds, and ``extra`` (the ranking profile). Equal fingerprints: a copy needs only the changes."""
    code = [hashlib.sha256(inspect.getsource(module).encode()).hexdigest() for module in (analysis, ranking, documents)]
    parts = {"schema": asdict(schema), "encoders": sorted(encoder.cache_key for encoder in encoders.values()),
             "code": code, "extra": list(extra)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def build_index(backend: SearchBackend, encoders: Mapping[str, Encoder], records: Iterable[Mapping[str, Any]],
                *, cache: EmbeddingCache | None = None, use_cache: bool = True,
                batch_size: int = 256, keep: int = 2, progress: Progress | None = None,
                target: str | None = None, deletions: Sequence[str] = (), held: Iterable[str] = (),
                info: Mapping[str, str] | None = None) -> BuildReport:
    """Build a new version from ``records``, verify it, make it live, drop versions beyond ``keep``.

    ``target``: write into this unpromoted version instead of a new empty one
    (a copy of the live version: ``records`` are then only the added and
    changed suppliers, ``deletions`` the ids to remove and ``held`` the ids
    it holds before them, which the caller read to find the changes).
    ``info`` is recorded with the version (:meth:`set_build_info`) before it goes live.
    On any failure the new version is dropped and the live one is untouched.

    The version must then hold exactly what the build meant it to: the ids
    written, plus (for a copy) the ids it held less the deletions. Not the
    database's count: suppliers added or deleted while the build reads are
    the journal's to re-apply after the swap (``matchmaker.reindex_job``).
    """
    started = time.perf_counter()
    version = target or backend.create_version()
    counts, written, probe = EmbedCounts(), 0, None
    try:
        if deletions:
            backend.delete(list(deletions), version)
        should_hold = set(held).difference(deletions)
        batch: list[Mapping[str, Any]] = []
        for record in records:
            probe = probe or record
            should_hold.add(record["external_id"])
            batch.append(record)
            if len(batch) >= batch_size:
                written += _flush(backend, encoders, batch, version, counts, cache, use_cache, progress)
                batch = []
        if batch:
            written += _flush(backend, encoders, batch, version, counts, cache, use_cache, progress)
        verify(backend, version, len(should_hold), probe)
        if info:
            backend.set_build_info(version, info)
        backend.promote(version)
    except BaseException:
        backend.drop_version(version)
        raise
    report = BuildReport(version, written, counts.embedded, counts.from_cache, time.perf_counter() - started,
                         incremental=target is not None, deleted=len(deletions))
    report.dropped = drop_old_versions(backend, keep)
    return report


def drop_old_versions(backend: SearchBackend, keep: int) -> list[str]:
    """Drop all but the ``keep`` newest previous versions, and leftovers of builds that never finished.

    Call it holding the reindex lock: an unfinished version is then never one being built.
    """
    versions = [v for v in backend.versions() if not v.live]  # oldest first
    finished = [v.name for v in versions if v.promoted]
    dropped = [v.name for v in versions if not v.promoted] + finished[:max(0, len(finished) - keep)]
    for name in dropped:
        backend.drop_version(name)
    return dropped


def rollback(backend: SearchBackend) -> str:
    """Make the newest previous finished version live again; return its name."""
    previous = [v.name for v in backend.versions() if not v.live and v.promoted]
    if not previous:
        raise BackendError("no previous index version to roll back to")
    backend.promote(previous[-1])
    return previous[-1]


def _flush(backend, encoders, batch, version, counts, cache, use_cache, progress) -> int:
    vectors, made = embed_records(batch, encoders, cache, use_cache=use_cache)
    counts.add(made)
    written = backend.bulk_index((supplier_document(r, v) for r, v in zip(batch, vectors)), version)
    if progress:
        progress(len(batch))
    return written
