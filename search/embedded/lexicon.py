"""BM25 top-k for one version from memory-mapped postings: FTS5's scores without visiting every match.

FTS5 computes ``bm25()`` row by row for every document that matches any query
term, so a common word (``parts`` matches half of a 100k catalog) costs a walk
through half the index before the top ten are known.

Every term a version has seen gets a number in its ``vocabulary`` table, and
each document's terms are kept as those numbers in the ``terms`` table (one
int32 array per document, with its count per column). Once the version is
promoted, the lexicon freezes them, at the snapshot generation, into postings
files in the version folder that every process maps (``mmap_mode="r"``)::

    lexicon-<gen>.rowids.npy    int64, sorted: the documents
    lexicon-<gen>.lengths.npy   int32: each one's token count over all columns (BM25's document length)
    lexicon-<gen>.starts.npy    int64: where each term number's postings start (one more entry than terms)
    lexicon-<gen>.docs.npy      int32: the postings, positions in ``rowids``, by term then position
    lexicon-<gen>.tf.npy        uint8 or uint16 (postings, columns): each posting's count per column

A query scores each term's postings with numpy array operations and FTS5's own
formula (``fts5_aux.c``: k1 = 1.2, b = 0.75, column weights applied to the
term counts before saturation, IDF floored at 1e-6, the collection statistics
current), sums the terms per document and takes the top k with a partial
sort. The scores equal what FTS5's ``bm25()`` gives for the same query.

Documents written after the freeze (live sync) are in the ``changed`` table:
they are skipped in the postings and scored from their ``terms`` rows, read
into memory (the delta, small between nightly builds), as vectors are
(:mod:`search.embedded.vectors`). Multi-term phrases (synonym expansions)
need word positions, which the postings do not keep: the caller asks FTS5
for those, one phrase at a time, and adds them (a document's BM25 is a sum
over the query's phrases, each scored on its own).
"""
from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .vectors import lookup, positions, present, save

K1, B = 1.2, 0.75  # FTS5's bm25() constants
FILES = ("rowids", "lengths", "starts", "docs", "tf")
SCHEMA = """
    CREATE TABLE vocabulary (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
    CREATE TABLE terms (doc INTEGER PRIMARY KEY, sizes BLOB NOT NULL, ids BLOB NOT NULL);
"""


class Vocabulary:
    """Term numbers of one version for its writer, cached in memory (numbers never change once given)."""

    def __init__(self):
        self._ids: dict[str, int] = {}

    def numbers(self, db: sqlite3.Connection, terms: Sequence[str]) -> list[int]:
        """The number of each of ``terms``, giving new terms the next ones. Run inside the write transaction."""
        ids = self._ids
        missing = [term for term in dict.fromkeys(terms) if term not in ids]
        if missing:
            # Another process may have numbered some since this cache was filled: ask the table.
            db.executemany("INSERT OR IGNORE INTO vocabulary (term) VALUES (?)", [(term,) for term in missing])
            ids.update(_numbered(db, missing))
        return [ids[term] for term in terms]

    def row(self, db: sqlite3.Connection, columns: Sequence[Sequence[str]]) -> tuple[bytes, bytes]:
        """A document's ``terms`` row from its analyzed columns: (term count per column, term numbers)."""
        numbers = self.numbers(db, [term for column in columns for term in column])
        return (np.fromiter(map(len, columns), dtype=np.int32, count=len(columns)).tobytes(),
                np.asarray(numbers, dtype=np.int32).tobytes())


def numbers_of(db: sqlite3.Connection, terms: Sequence[str]) -> list[int | None]:
    """The number of each of ``terms``, None for a term no document of the version ever held."""
    found = _numbered(db, terms)
    return [found.get(term) for term in terms]


def _numbered(db: sqlite3.Connection, terms: Sequence[str]) -> dict[str, int]:
    """The vocabulary's numbers of those ``terms`` it holds (asked 500 at a time: SQLite bounds parameters)."""
    found: dict[str, int] = {}
    for start in range(0, len(terms), 500):
        chunk = list(terms[start:start + 500])
        found.update(db.execute(f"SELECT term, id FROM vocabulary WHERE term IN ({', '.join('?' * len(chunk))})",
                                chunk).fetchall())
    return found


@dataclass
class Postings:
    """(term, document) pairs sorted by term then document, with each pair's count per column."""

    terms: np.ndarray  # int64 term number of each posting
    docs: np.ndarray  # int32 document position of each posting
    tf: np.ndarray  # (postings, columns) counts
    lengths: np.ndarray  # int64 token count of each document


def postings(rows: list[tuple[bytes, bytes]], columns: int) -> Postings:
    """The postings of documents given as ``terms`` rows (sizes, ids), in the order given."""
    count = len(rows)
    if not count:
        empty = np.empty(0, dtype=np.int64)
        return Postings(empty, np.empty(0, dtype=np.int32), np.empty((0, columns), dtype=np.uint8), empty)
    sizes = np.frombuffer(b"".join(row[0] for row in rows), dtype=np.int32).reshape(count, columns).astype(np.int64)
    ids = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.int32).astype(np.int64)
    lengths = sizes.sum(axis=1)
    doc_of = np.repeat(np.arange(count, dtype=np.int64), lengths)
    column_of = np.repeat(np.tile(np.arange(columns, dtype=np.int64), count), sizes.ravel())
    # One sort of (term, doc, column) keys; equal neighbours are one posting's repeated tokens.
    keys = np.sort((ids * count + doc_of) * columns + column_of)
    if not len(keys):
        return Postings(keys, np.empty(0, dtype=np.int32), np.empty((0, columns), dtype=np.uint8), lengths)
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    counts = np.diff(np.r_[first, len(keys)])
    unique = keys[first]
    pair = unique // columns
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    biggest = counts.max()
    tf = np.zeros((len(starts), columns), dtype=np.uint8 if biggest <= 255 else np.uint16 if biggest <= 65535
                  else np.uint32)
    tf[np.cumsum(np.r_[False, pair[1:] != pair[:-1]]), unique % columns] = counts
    term, doc = np.divmod(pair[starts], count)
    return Postings(term, doc.astype(np.int32), tf, lengths)


@dataclass
class Lexicon:
    """Every document's term counts as of ``generation``, memory-mapped."""

    generation: int
    rowids: np.ndarray
    lengths: np.ndarray
    starts: np.ndarray
    docs: np.ndarray
    tf: np.ndarray
    total_length: int = 0

    @classmethod
    def load(cls, folder: Path, generation: int) -> Lexicon:
        arrays = {name: np.load(folder / f"lexicon-{generation}.{name}.npy", mmap_mode="r") for name in FILES}
        return cls(generation, **arrays, total_length=int(arrays["lengths"].sum(dtype=np.int64)))

    def postings(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        """Term ``number``'s (positions, counts per column): empty for a term numbered after the freeze."""
        if number >= len(self.starts) - 1:
            return self.docs[:0], self.tf[:0]
        start, end = int(self.starts[number]), int(self.starts[number + 1])
        return self.docs[start:end], self.tf[start:end]


@dataclass
class Delta:
    """Documents written since the freeze: their positions to skip in the lexicon, and their current terms."""

    stale: np.ndarray  # positions in the lexicon (sorted)
    rowids: np.ndarray  # int64, sorted: the changed documents that exist now
    postings: Postings
    stale_mask: np.ndarray | None = None  # over the lexicon's positions, when anything is stale
    stale_length: int = 0

    def find(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        """Term ``number``'s (indexes into ``rowids``, counts per column)."""
        start, end = np.searchsorted(self.postings.terms, [number, number + 1])
        return self.postings.docs[start:end], self.postings.tf[start:end]


def write(db: sqlite3.Connection, folder: Path, generation: int, columns: int) -> None:
    """Write the lexicon of every document in the ``terms`` table as ``generation``'s files.

    Run inside the writer's lock; the caller records the generation in ``meta``
    once the files are in place.
    """
    rows = db.execute("SELECT doc, sizes, ids FROM terms ORDER BY doc").fetchall()
    rowids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    found = postings([row[1:] for row in rows], columns)
    del rows
    words = db.execute("SELECT coalesce(max(id), 0) FROM vocabulary").fetchone()[0]
    arrays = {"rowids": rowids, "lengths": found.lengths.astype(np.int32),
              "starts": np.searchsorted(found.terms, np.arange(words + 2)).astype(np.int64),
              "docs": found.docs, "tf": found.tf}
    for name, array in arrays.items():
        save(folder / f"lexicon-{generation}.{name}.npy", array)


def drop_older(folder: Path, generation: int) -> None:
    """Remove the files of lexicons other than ``generation``'s (a process still mapping them keeps its pages)."""
    for path in folder.glob("lexicon-*.npy"):
        if not path.name.startswith(f"lexicon-{generation}."):
            path.unlink(missing_ok=True)


def load_delta(db: sqlite3.Connection, lexicon: Lexicon, columns: int) -> Delta:
    """The documents changed since ``lexicon`` was frozen (added, replaced or deleted)."""
    changed = np.fromiter((r[0] for r in db.execute(
        "SELECT doc FROM changed WHERE generation > ? ORDER BY doc", (lexicon.generation,))), dtype=np.int64)
    stale = positions(lexicon.rowids, changed)
    rows = db.execute("SELECT doc, sizes, ids FROM terms WHERE doc IN "
                      "(SELECT doc FROM changed WHERE generation > ?) ORDER BY doc", (lexicon.generation,)).fetchall()
    delta = Delta(stale, np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                  postings([row[1:] for row in rows], columns))
    if len(stale):
        delta.stale_mask = np.zeros(len(lexicon.rowids), dtype=bool)
        delta.stale_mask[stale] = True
        delta.stale_length = int(np.asarray(lexicon.lengths)[stale].sum(dtype=np.int64))
    return delta


def _idf(rows: int, hits: int) -> float:
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0 else 1e-6


def search(lexicon: Lexicon, delta: Delta, numbers: list[int | None], weights: list[float], n: int,
           allowed: np.ndarray | None = None,
           phrases: list[tuple[np.ndarray, np.ndarray]] = ()) -> tuple[list[tuple[int, float]], int]:
    """Top ``n`` (rowid, BM25) for single terms (their ``numbers``; None: unknown) plus scored ``phrases``
    ((rowids, scores) each), within ``allowed`` rowids; and how many documents match in all."""
    frozen = len(lexicon.rowids)
    rows = frozen - len(delta.stale) + len(delta.rowids)
    if rows <= 0:
        return [], 0
    average = (lexicon.total_length - delta.stale_length + int(delta.postings.lengths.sum())) / rows
    weight = np.asarray(weights, dtype=np.float64)
    slots, scores = [], []
    for number in dict.fromkeys(number for number in numbers if number is not None):
        parts = []  # (slots, weighted counts, lengths)
        where, counts = lexicon.postings(number)
        if len(where) and delta.stale_mask is not None:
            keep = ~delta.stale_mask[where]
            where, counts = where[keep], counts[keep]
        if len(where):
            parts.append((where.astype(np.int64), counts @ weight, lexicon.lengths[where]))
        indexes, counts = delta.find(number)
        if len(indexes):
            parts.append((frozen + indexes.astype(np.int64), counts @ weight, delta.postings.lengths[indexes]))
        hits = sum(len(part[0]) for part in parts)
        if not hits:
            continue
        idf = _idf(rows, hits)
        for where, frequency, length in parts:
            slots.append(where)
            scores.append(idf * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / average)))
    for rowids, phrase_scores in phrases:
        where, known = _slots(lexicon, delta, rowids)
        slots.append(where)
        scores.append(np.asarray(phrase_scores, dtype=np.float64)[known])
    if not slots:
        return [], 0
    every, summed = np.concatenate(slots), np.concatenate(scores)
    size = frozen + len(delta.rowids)
    matched = np.zeros(size, dtype=bool)
    matched[every] = True
    if allowed is not None:
        keep = np.zeros(size, dtype=bool)
        keep[positions(lexicon.rowids, allowed)] = True
        keep[frozen:] = present(allowed, delta.rowids) if len(allowed) else False
        matched &= keep
    candidates = np.flatnonzero(matched)
    if n <= 0:
        return [], len(candidates)
    totals = np.bincount(every, weights=summed, minlength=size)[candidates]
    rowids = np.concatenate([lexicon.rowids, delta.rowids])[candidates] if len(delta.rowids) else \
        np.asarray(lexicon.rowids[candidates])
    if n < len(candidates):
        # Everything at or above the n-th best score, then ordered by score and rowid as FTS5's query was.
        floor = -np.partition(-totals, n - 1)[n - 1]
        kept = totals >= floor
        totals, rowids = totals[kept], rowids[kept]
    order = np.lexsort((rowids, -totals))[:n]
    return [(int(rowids[i]), float(totals[i])) for i in order], len(candidates)


def _slots(lexicon: Lexicon, delta: Delta, rowids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where current documents (``rowids``) sit in a search's score array (delta docs after the lexicon's),
    and which of them have a place (all but those written since the delta was read)."""
    rowids = np.asarray(rowids, dtype=np.int64)
    in_delta = present(delta.rowids, rowids) if len(delta.rowids) else np.zeros(len(rowids), dtype=bool)
    at, in_lexicon = lookup(lexicon.rowids, rowids)
    if delta.stale_mask is not None:
        in_lexicon &= ~delta.stale_mask[at]
    known = in_delta | (in_lexicon & ~in_delta)
    out = np.where(in_delta, len(lexicon.rowids) + np.searchsorted(delta.rowids, rowids), at)
    return out[known], known
