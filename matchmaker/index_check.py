"""``matchmaker check-index``: compare the live search index with the database, and repair the drift.

Every supplier's document is rebuilt from the database and its content digest
(:func:`search.documents.digest`) compared with the one the backend computes
from what it stores. Drift is a supplier missing from the index, a document
whose supplier is gone, or a document whose content differs. Suppliers with a
change still waiting in the outbox are lagging, not drifting: they are
counted apart and left to the worker.

Repair applies the drifted suppliers to the live index through the same path
as live sync (embedding through the cache); if the backend fails they are
queued in the outbox instead, so nothing is lost either way.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from indexers.documents import supplier_document
from search.backend import NOT_BUILT, BackendError

from .dataio.exporter import iter_suppliers
from .extensions import db
from .locks import job_lock
from .models import SearchOutboxEntry
from .reindex_job import LOCK
from .search_service import get_search
from .search_sync import PENDING, apply_or_enqueue

CHUNK = 200  # suppliers repaired per index write
SHOWN = 20  # ids listed per kind of drift in the summary


@dataclass
class Drift:
    """What a check found in the live ``version``: ids by kind of drift, and what a repair did."""

    version: str
    suppliers: int = 0
    documents: int = 0
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, gone from the database
    stale: list[str] = field(default_factory=list)  # in both, but the document says something else
    lagging: int = 0  # suppliers with a change still queued for the worker
    repaired: int = 0
    queued: int = 0  # drifted suppliers the repair could not apply (left in the outbox)

    @property
    def drifted(self) -> list[str]:
        return sorted({*self.missing, *self.extra, *self.stale})

    def as_dict(self) -> dict:
        return {"version": self.version, "suppliers": self.suppliers, "documents": self.documents,
                "missing": self.missing, "extra": self.extra, "stale": self.stale, "lagging": self.lagging,
                "repaired": self.repaired, "queued": self.queued, "in_step": self.in_step}

    @property
    def in_step(self) -> bool:
        """No drift, or all of it repaired."""
        return not self.drifted or (self.repaired == len(self.drifted) and not self.queued)

    def summary(self) -> str:
        """A few lines for people: the verdict, then each kind of drift with its first ids."""
        head = (f"Live index {self.version}: {self.documents:,} documents for {self.suppliers:,} suppliers; "
                f"{self.lagging:,} with a change waiting in the outbox.")
        if not self.drifted:
            return head + "\nIn step with the database."
        lines = [head, f"Drift: {len(self.drifted):,} supplier(s)."]
        for label, ids in (("missing from the index", self.missing), ("deleted but still indexed", self.extra),
                           ("indexed with old content", self.stale)):
            if ids:
                more = f" and {len(ids) - SHOWN:,} more" if len(ids) > SHOWN else ""
                lines.append(f"  {len(ids):,} {label}: {', '.join(ids[:SHOWN])}{more}")
        if self.repaired or self.queued:
            lines.append(f"Repaired {self.repaired:,}; {self.queued:,} queued for the worker (the backend failed)."
                         if self.queued else f"Repaired {self.repaired:,}: the index is in step again.")
        else:
            lines.append("Run `matchmaker check-index --fix` to repair it.")
        return "\n".join(lines)


def check_index(*, fix: bool = False, progress: Callable[[int, int], None] | None = None) -> Drift:
    """Compare the live index with the database (holding the reindex lock, so no swap happens meanwhile);
    with ``fix``, repair what drifted. Raises BackendError when there is no usable live index and
    :class:`~matchmaker.locks.LockHeld` while a reindex runs."""
    with job_lock(LOCK):
        return _check(fix, progress)


def _check(fix: bool, progress) -> Drift:
    backend = get_search().backend
    live = backend.live_version()
    if live is None:
        raise BackendError(NOT_BUILT)
    indexed = backend.digests(live)
    expected: dict[str, str] = {}
    total = len(indexed)
    for record in iter_suppliers(for_index=True):
        expected[record["external_id"]] = supplier_document(record).digest
        if progress and len(expected) % 1000 == 0:
            progress(len(expected), max(total, len(expected)))
    # Read last: a change committed while the two sides were read is still queued now (or was just applied,
    # and repairing it again is harmless).
    lagging = set(db.session.scalars(select(SearchOutboxEntry.supplier_external_id)
                                     .where(PENDING).distinct()))
    drift = Drift(live, suppliers=len(expected), documents=len(indexed), lagging=len(lagging))
    drift.missing = sorted(expected.keys() - indexed.keys() - lagging)
    drift.extra = sorted(indexed.keys() - expected.keys() - lagging)
    drift.stale = sorted(key for key in expected.keys() & indexed.keys() - lagging if expected[key] != indexed[key])
    if fix and drift.drifted:
        wanted = drift.drifted
        for start in range(0, len(wanted), CHUNK):
            drift.queued += apply_or_enqueue(wanted[start:start + CHUNK])  # queued if the backend fails
        drift.repaired = len(wanted) - drift.queued
    return drift
