"""Vector top-k for one version: memory-mapped snapshots every process shares, plus a small live delta.

A snapshot freezes one field's vectors at a generation into three ``.npy``
files in the version folder: the doc rowids (sorted), the unit vectors as
float32, and the same as int8 codes (``round(127 x)``). Readers map them
(``mmap_mode="r"``), so every web worker shares one copy through the page
cache instead of holding a private matrix each, and a closed version's
memory goes back to the system when its maps are dropped.

A search scans the int8 codes (a quarter of the bytes of float32, with
SIMD through ``usearch``'s exact search), keeps the best ``RESCORE``
candidates (at least three times what was asked), and ranks those by their
float32 vectors, so the order and the scores are float32's. Measured in
``bench/results/vectors.md``: recall@10 against exact float32 and the time
per query, beside numpy's exact search and HNSW indexes.

Writes after the snapshot (live sync) go to the ``changed`` table. Their
docs are skipped in the snapshot and scored exactly from SQLite rows held in
memory (the delta, small between nightly builds); when the delta grows past
``REFREEZE`` the writer freezes a new snapshot.

Filters run before top-k: a small allowed subset is scored exactly in
float32; a large one takes the full int8 scan's best candidates, as many as
the share of docs the filter keeps calls for, and falls back to scanning
the subset alone when too few of them pass. A filtered search therefore
returns ``n`` hits whenever ``n`` docs pass the filters.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SCALE = 127.0
RESCORE = 100  # int8 candidates re-ranked in float32, at least (and 3 × n)
EXACT_BELOW = 4_000  # filtered subsets this small are scored in float32 directly
REFREEZE = 2_000  # changed docs after which a writer freezes a new snapshot


def quantize(matrix: np.ndarray) -> np.ndarray:
    """int8 codes of unit vectors (every component is within [-1, 1])."""
    return np.clip(np.rint(matrix * SCALE), -127, 127).astype(np.int8)


@dataclass
class Snapshot:
    """One field's vectors as of ``generation``, memory-mapped."""

    generation: int
    rowids: np.ndarray  # int64, sorted
    floats: np.ndarray  # float32 (rows, dims), unit rows
    codes: np.ndarray  # int8 (rows, dims)

    @classmethod
    def load(cls, folder: Path, field: str, generation: int) -> Snapshot:
        stem = folder / f"vectors-{generation}-{field}"
        return cls(generation, np.load(f"{stem}.rowids.npy", mmap_mode="r"),
                   np.load(f"{stem}.f32.npy", mmap_mode="r"), np.load(f"{stem}.i8.npy", mmap_mode="r"))


def freeze(db: sqlite3.Connection, folder: Path, fields: dict[str, int]) -> int:
    """Write a snapshot of every vector field at the current generation; return the generation.

    Run inside the writer's lock. Files are written under new names, then the
    ``vector_snapshot`` meta row moves to them in one transaction; files of
    older snapshots are removed (a process that still maps them keeps its
    pages until it lets go).
    """
    generation = int(db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
    for field, dims in fields.items():
        rows = db.execute("SELECT doc, data FROM vectors WHERE field = ? ORDER BY doc", (field,)).fetchall()
        rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        floats = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dims)
        stem = folder / f"vectors-{generation}-{field}"
        for suffix, array in (("rowids", rowids), ("f32", floats), ("i8", quantize(floats))):
            tmp = Path(f"{stem}.{suffix}.tmp.npy")
            np.save(tmp, array)
            os.replace(tmp, f"{stem}.{suffix}.npy")
    with db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('vector_snapshot', ?)", (json.dumps(generation),))
        db.execute("DELETE FROM changed WHERE generation <= ?", (generation,))
    for path in folder.glob("vectors-*.npy"):
        if not path.name.startswith(f"vectors-{generation}-"):
            path.unlink(missing_ok=True)
    return generation


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
    stale = _positions(snapshot.rowids, changed)
    rows = db.execute(f"SELECT doc, data FROM vectors WHERE field = ? AND doc IN "
                      f"(SELECT doc FROM changed WHERE generation > ?) ORDER BY doc",
                      (field, snapshot.generation)).fetchall()
    rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    floats = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dims)
    return Delta(stale, rowids, floats)


def _positions(sorted_rowids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Positions in ``sorted_rowids`` of those ``wanted`` rowids it holds."""
    if not len(sorted_rowids) or not len(wanted):
        return np.empty(0, dtype=np.int64)
    index = np.clip(np.searchsorted(sorted_rowids, wanted), 0, len(sorted_rowids) - 1)
    return index[sorted_rowids[index] == wanted].astype(np.int64)


def _int8_top(codes: np.ndarray, query: np.ndarray, count: int) -> np.ndarray:
    """Row positions of the ``count`` best int8 inner products (order not guaranteed)."""
    from usearch.index import search as exact_search

    found = exact_search(codes, quantize(query[None, :])[0], count, "ip", exact=True, threads=1)
    return np.asarray(found.keys, dtype=np.int64)[: count]


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
        positions = _positions(snapshot.rowids, allowed)
        if len(delta.stale):
            positions = np.setdiff1d(positions, delta.stale, assume_unique=True)
        rowids, scores = _scan(snapshot, query, n, positions, delta.stale)
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
    count = min(wanted, max(RESCORE, 3 * n))
    if positions is not None and wanted <= max(EXACT_BELOW, count):
        rows = positions  # a small subset: float32 for all of it costs less than a scan
    else:
        # Scan every row (no copy of the codes), asking for enough extra candidates that the
        # stale rows and the rows the filter drops still leave ``count``; else scan the subset.
        share = wanted / total
        ask = min(total, int(count / share * 1.5) + 16 + len(stale))
        found = _int8_top(snapshot.codes, query, ask)
        if positions is None:
            rows = found[~np.isin(found, stale)] if len(stale) else found
        else:
            rows = found[np.isin(found, positions)]
        if len(rows) < count and ask < total:
            rows = positions[_int8_top(np.ascontiguousarray(snapshot.codes[positions]), query, count)] \
                if positions is not None else rows
        rows = rows[:ask]
    rows = np.sort(rows)  # sequential reads of the mapped float rows
    scores = np.asarray(snapshot.floats[rows]) @ query
    top = _top(scores, n)
    return snapshot.rowids[rows[top]], scores[top]
