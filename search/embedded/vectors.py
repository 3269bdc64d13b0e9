"""Vector top-k for one version: memory-mapped snapshots every process shares, plus a small live delta.

A snapshot freezes one field's vectors at a generation into two ``.npy``
files in the version folder: the doc rowids (sorted) and the unit vectors as
float32. Readers map them (``mmap_mode="r"``), so every web worker shares one
copy through the page cache instead of holding a private matrix each, and a
closed version's memory goes back to the system when its maps are dropped.

A small snapshot is searched exactly: one float32 matrix-vector product over
the mapped rows (BLAS), then a partial sort. From ``REDUCE_FROM`` rows on,
the snapshot also holds the vectors projected on their top principal
components (half the dimensions, the basis from a sample at freeze time): a
search scans that half-size matrix for a pool of ``max(RESCORE_MIN,
RESCORE_FACTOR × n)`` candidates and re-scores them exactly in float32, so
the scores returned are exact cosines and only the pool is approximate.
``bench/results/vectors.md`` measured it at 100k profiles on real
embeddings: top-10 in 2.25 ms (MiniLM) and 3.51 ms (USE) at recall@10 1.0
and 0.9993, against 5.56 and 6.67 ms for the exact scan; int8 scans (faiss, usearch) were
no faster than numpy's float32 product, and HNSW missed recall@10 ≥ 0.99
unless its ``ef`` grew to where it saved little.

Writes after the snapshot (live sync) go to the ``changed`` table. Their
docs are skipped in the snapshot and scored from SQLite rows held in memory
(the delta, small between nightly builds); when the delta grows past
``REFREEZE`` the writer freezes a new snapshot.

Filters run before top-k: a small allowed subset is gathered and scored on
its own; a large one is scored with everything and the rest masked out, so
a filtered search returns ``n`` hits whenever ``n`` docs pass the filters.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

GATHER_BELOW = 0.25  # a filter keeping less than this share of rows: gather them, else mask the full scan
REFREEZE = 2_000  # changed docs after which a writer freezes a new snapshot
REDUCE_FROM = 20_000  # snapshot rows from which a reduced copy is kept for the candidate scan
BASIS_SAMPLE = 20_000  # rows the principal components are computed from
RESCORE_MIN, RESCORE_FACTOR = 800, 8  # candidates re-scored exactly: max(RESCORE_MIN, RESCORE_FACTOR * n)


@dataclass
class Snapshot:
    """One field's vectors as of ``generation``, memory-mapped."""

    generation: int
    rowids: np.ndarray  # int64, sorted
    floats: np.ndarray  # float32 (rows, dims), unit rows
    basis: np.ndarray | None = None  # float32 (dims, dims // 2): the top principal components
    reduced: np.ndarray | None = None  # float32 (rows, dims // 2): floats @ basis

    @classmethod
    def load(cls, folder: Path, field: str, generation: int) -> Snapshot:
        stem = folder / f"vectors-{generation}-{field}"
        snapshot = cls(generation, np.load(f"{stem}.rowids.npy", mmap_mode="r"),
                       np.load(f"{stem}.f32.npy", mmap_mode="r"))
        if Path(f"{stem}.basis.npy").exists():
            snapshot.basis = np.load(f"{stem}.basis.npy")
            snapshot.reduced = np.load(f"{stem}.reduced.npy", mmap_mode="r")
        return snapshot


def reduction(floats: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(basis, reduced)`` for a snapshot of ``REDUCE_FROM`` rows or more, else None."""
    if len(floats) < REDUCE_FROM or floats.shape[1] < 4:
        return None
    rng = np.random.default_rng(0)  # the same rows every time: a rebuild of the same data gives the same basis
    sample = floats[np.sort(rng.choice(len(floats), min(BASIS_SAMPLE, len(floats)), replace=False))]
    _, _, components = np.linalg.svd(sample - sample.mean(axis=0), full_matrices=False)
    basis = np.ascontiguousarray(components[:floats.shape[1] // 2].T, dtype=np.float32)
    return basis, np.ascontiguousarray(floats @ basis, dtype=np.float32)


def write(db: sqlite3.Connection, folder: Path, fields: dict[str, int], generation: int) -> None:
    """Write the snapshot files of every vector field as ``generation``'s, under new names.

    Run inside the writer's lock; the caller then moves the ``vector_snapshot``
    meta row to them and drops older files (:func:`drop_older`).
    """
    for field, dims in fields.items():
        rowids, floats = read_vectors(db, field, dims)
        stem = folder / f"vectors-{generation}-{field}"
        arrays = [("rowids", rowids), ("f32", floats)]
        reduced = reduction(floats)
        if reduced is not None:
            arrays += [("basis", reduced[0]), ("reduced", reduced[1])]
        for suffix, array in arrays:
            save(Path(f"{stem}.{suffix}.npy"), array)


def save(path: Path, array: np.ndarray) -> None:
    """Write ``array`` to ``path`` whole or not at all, and on disk before this returns (a power cut must not
    leave a meta row pointing at a file that never reached the disk; the caller syncs the folder once)."""
    tmp = path.with_name(path.name[:-len(".npy")] + ".tmp.npy")
    with open(tmp, "wb") as handle:
        np.save(handle, array)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def drop_older(folder: Path, generation: int) -> None:
    """Remove the files of snapshots other than ``generation``'s (a process that still maps them keeps its
    pages until it lets go)."""
    for path in folder.glob("vectors-*.npy"):
        if not path.name.startswith(f"vectors-{generation}-"):
            path.unlink(missing_ok=True)


def read_vectors(db: sqlite3.Connection, field: str, dims: int,
                 since: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``field``'s (rowids, float32 matrix) from SQLite, by rowid; ``since``: only docs changed after it."""
    query, params = "SELECT doc, data FROM vectors WHERE field = ?", [field]
    if since is not None:
        query += " AND doc IN (SELECT doc FROM changed WHERE generation > ?)"
        params.append(since)
    rows = db.execute(query + " ORDER BY doc", params).fetchall()
    rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return rowids, np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dims)


def snapshot_generation(db: sqlite3.Connection) -> int | None:
    """The generation of the current snapshot, or None (a version built before snapshots)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'vector_snapshot'").fetchone()
    return json.loads(row[0]) if row else None


@dataclass
class Delta:
    """Docs written since the snapshot: their rows to skip in it, and their current vectors."""

    stale: np.ndarray  # positions in the snapshot to skip (sorted)
    rowids: np.ndarray  # int64, the changed docs that have this field now
    floats: np.ndarray  # float32 (len(rowids), dims)


def load_delta(db: sqlite3.Connection, field: str, dims: int, snapshot: Snapshot) -> Delta:
    """The docs changed since ``snapshot`` (added, replaced or deleted), for ``field``."""
    changed = np.fromiter((r[0] for r in db.execute(
        "SELECT doc FROM changed WHERE generation > ? ORDER BY doc", (snapshot.generation,))), dtype=np.int64)
    stale = positions(snapshot.rowids, changed)
    return Delta(stale, *read_vectors(db, field, dims, since=snapshot.generation))


def lookup(sorted_rowids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each ``wanted`` rowid: where it would sit in ``sorted_rowids``, and whether it is there."""
    if not len(sorted_rowids):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    index = np.clip(np.searchsorted(sorted_rowids, wanted), 0, len(sorted_rowids) - 1)
    return index.astype(np.int64), sorted_rowids[index] == wanted


def positions(sorted_rowids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Positions in ``sorted_rowids`` of those ``wanted`` rowids it holds, in ``wanted``'s order."""
    index, found = lookup(sorted_rowids, wanted)
    return index[found]


def present(sorted_rowids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Whether each ``wanted`` rowid is in ``sorted_rowids`` (a boolean mask)."""
    return lookup(sorted_rowids, wanted)[1]


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    if n >= len(scores):
        return np.argsort(-scores, kind="stable")
    top = np.argpartition(-scores, n - 1)[:n]
    return top[np.argsort(-scores[top], kind="stable")]


def search(snapshot: Snapshot, delta: Delta, query: np.ndarray, n: int,
           allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Top ``n`` (rowid, cosine) among the snapshot (minus stale rows) and the delta, within ``allowed``."""
    if allowed is None:
        rowids, scores = _scan(snapshot, query, n, None, delta.stale)
    else:
        rows = positions(snapshot.rowids, allowed)
        if len(delta.stale):
            rows = np.setdiff1d(rows, delta.stale, assume_unique=True)
        rowids, scores = _scan(snapshot, query, n, rows, delta.stale)
    if len(delta.rowids):
        keep = np.isin(delta.rowids, allowed) if allowed is not None else slice(None)
        rowids = np.concatenate([rowids, delta.rowids[keep]])
        scores = np.concatenate([scores, delta.floats[keep] @ query])
    order = _top(scores, n) if len(scores) and n > 0 else np.empty(0, dtype=np.int64)
    return [(int(rowids[i]), float(scores[i])) for i in order]


def _scan(snapshot: Snapshot, query: np.ndarray, n: int, positions: np.ndarray | None,
          stale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top ``n`` of the snapshot rows at ``positions`` (all rows but ``stale`` when None)."""
    total = len(snapshot.rowids)
    wanted = total - len(stale) if positions is None else len(positions)
    if wanted <= 0 or n <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    if positions is not None and wanted < GATHER_BELOW * total:
        scores = np.asarray(snapshot.floats[positions]) @ query  # gathering a few rows beats a full scan
        top = _top(scores, n)
        return snapshot.rowids[positions[top]], scores[top]
    pool = max(RESCORE_MIN, RESCORE_FACTOR * n)
    if snapshot.reduced is not None and pool < wanted:
        return _rescored(snapshot, query, n, pool, positions, stale)
    scores = _only(snapshot.floats @ query, positions, stale)  # BLAS over the mapped rows; no copy of the matrix
    top = _top(scores, min(n, wanted))
    return snapshot.rowids[top], scores[top]


def _only(scores: np.ndarray, positions: np.ndarray | None, stale: np.ndarray) -> np.ndarray:
    """``scores`` (one per snapshot row) with every row but ``positions`` (or the ``stale`` rows) at -inf."""
    if positions is not None:
        masked = np.full(len(scores), -np.inf, dtype=np.float32)
        masked[positions] = scores[positions]
        return masked
    if len(stale):
        scores[stale] = -np.inf
    return scores


def _rescored(snapshot: Snapshot, query: np.ndarray, n: int, pool: int, positions: np.ndarray | None,
              stale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top ``n``: the best ``pool`` rows by the reduced scan, re-scored exactly in float32."""
    approx = _only(snapshot.reduced @ (query @ snapshot.basis), positions, stale)
    candidates = np.argpartition(-approx, pool - 1)[:pool]
    candidates = np.sort(candidates[np.isfinite(approx[candidates])])  # in file order: a forward read
    scores = np.asarray(snapshot.floats[candidates]) @ query
    top = _top(scores, min(n, len(candidates)))
    return snapshot.rowids[candidates[top]], scores[top]
