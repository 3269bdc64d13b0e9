"""One version of the embedded index: a SQLite file with FTS5 for BM25, and vectors beside it.

Text is analyzed by :mod:`search.analysis` before it reaches FTS5, so FTS5
only splits our tokens on spaces and scores them with its built-in BM25 and
per-column weights. Synonym expansions of a query (see :mod:`search.synonyms`)
are added as FTS5 phrases: each one scores as a single unit, however many
bigrams it has, and matches only where its terms are contiguous. Keywords and
numbers live in indexed side tables, so filters run inside the same SQL query
as the match (before top-k).

Vectors are float32 blobs in SQLite and each document's analyzed terms are
kept in the ``terms`` table (the sources of truth). Once the version is
promoted both are frozen into memory-mapped files that every process shares:
vector snapshots (:mod:`search.embedded.vectors`) and the lexicon, postings
that score single terms exactly as FTS5's BM25 does without walking every
match (:mod:`search.embedded.lexicon`). A version not promoted yet, or built
before snapshots, searches FTS5 and one vector matrix per field instead.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from ..analysis import analyze
from ..documents import Document, Filter, IndexSchema, digest
from . import lexicon as postings
from . import vectors as snapshots

FILE = "index.sqlite3"
# The layout of a version; a build fingerprint includes it, so the first nightly run after an upgrade that
# changes it rebuilds everything instead of copying an old version. 2: the terms table and the lexicon.
FORMAT = "2"
LEXICON = None  # the lexicon's key among the cached frozen files (the others are vector field names)
# Our tokens may hold . ' ’ , (8708.99, don't, 10,000): keep FTS5 from splitting them again.
TOKENIZE = "unicode61 remove_diacritics 0 tokenchars '.''’,'"


def _fts_columns(schema: IndexSchema) -> list[str]:
    return [f"f_{i}" for i in range(len(schema.text_fields))]


def create(path: Path, schema: IndexSchema) -> None:
    """Create an empty version at ``path`` for ``schema``."""
    path.mkdir(parents=True)
    with sqlite3.connect(path / FILE) as db:
        db.execute("PRAGMA journal_mode=WAL")
        columns = ", ".join(_fts_columns(schema))
        db.executescript(f"""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source TEXT NOT NULL);
            CREATE VIRTUAL TABLE fts USING fts5({columns}, tokenize="{TOKENIZE}");
            CREATE TABLE keywords (field TEXT NOT NULL, value TEXT NOT NULL, doc INTEGER NOT NULL);
            CREATE INDEX keywords_lookup ON keywords (field, value, doc);
            CREATE INDEX keywords_doc ON keywords (doc);
            CREATE TABLE numbers (field TEXT NOT NULL, value REAL NOT NULL, doc INTEGER NOT NULL);
            CREATE INDEX numbers_lookup ON numbers (field, value, doc);
            CREATE INDEX numbers_doc ON numbers (doc);
            CREATE TABLE vectors (field TEXT NOT NULL, doc INTEGER NOT NULL, data BLOB NOT NULL,
                                  PRIMARY KEY (field, doc)) WITHOUT ROWID;
            CREATE TABLE changed (doc INTEGER PRIMARY KEY, generation INTEGER NOT NULL);
        """ + postings.SCHEMA)
        db.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("schema", json.dumps({"text_fields": schema.text_fields, "keyword_fields": schema.keyword_fields,
                                   "numeric_fields": schema.numeric_fields, "vectors": schema.vectors})),
            ("generation", "0")])


def filter_sql(filters: Sequence[Filter], schema: IndexSchema, column: str) -> tuple[str, list]:
    """SQL conditions on ``column`` (a doc rowid) for ``filters``, ANDed, with their parameters."""
    clauses, params = [], []
    for item in filters:
        if item.kind in ("term", "terms"):
            if item.field not in schema.keyword_fields:
                raise ValueError(f"cannot filter on {item.field!r}: not a keyword field")
            marks = ", ".join("?" * len(item.values))
            clauses.append(f"{column} IN (SELECT doc FROM keywords WHERE field = ? AND value IN ({marks}))")
            params += [item.field, *item.values]
        else:
            if item.field not in schema.numeric_fields:
                raise ValueError(f"cannot filter on {item.field!r}: not a numeric field")
            bounds, values = [], []
            if item.gte is not None:
                bounds.append("value >= ?")
                values.append(item.gte)
            if item.lte is not None:
                bounds.append("value <= ?")
                values.append(item.lte)
            clauses.append(f"{column} IN (SELECT doc FROM numbers WHERE field = ? AND {' AND '.join(bounds)})")
            params += [item.field, *values]
    return " AND ".join(clauses), params


def _quoted(terms: Sequence[str]) -> str:
    return '"' + " ".join(terms).replace('"', '""') + '"'


def clauses(text: str, expansions: Sequence[str] = ()) -> list[tuple[str, ...]]:
    """The query's clauses: each analyzed term of ``text`` alone, then each expansion's terms as one phrase."""
    terms = [(term,) for term in dict.fromkeys(analyze(text))]
    return list(dict.fromkeys(terms + [phrase for phrase in (tuple(analyze(p)) for p in expansions) if phrase]))


def match_expression(text: str, expansions: Sequence[str] = ()) -> str | None:
    """An FTS5 query that ORs the analyzed terms of ``text`` and each expansion as one phrase.

    Everything is quoted, so no character acts as an operator. A multi-term
    expansion is a phrase rather than loose terms: ``injection molding`` adds
    "사출 출성 성형" (one BM25 unit, contiguous) rather than three bigrams.
    Loose bigrams find a few more partial matches in an all-Korean corpus but
    outweigh the buyer's own words in a mixed-language catalog; both are
    measured in bench/results/synonyms.md.
    """
    return _any_of(clauses(text, expansions)) or None


def _any_of(found: Sequence[tuple[str, ...]]) -> str:
    """The FTS5 query matching any of ``found`` clauses, each quoted ("" for none)."""
    return " OR ".join(_quoted(clause) for clause in found)


class Version:
    """Reads and writes one version; safe to share between threads (a connection per thread).

    Each thread gets one connection, reused for every later call. A thread that
    has ended leaves its connection behind (a request thread of a development
    server, say): the next new thread closes those, so open files follow the
    live threads rather than every thread that ever searched. :meth:`close`
    closes every connection, whichever thread opened it.
    """

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self._local = threading.local()
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._matrices: dict[str, tuple[int, np.ndarray, np.ndarray]] = {}
        # Per vector field, and LEXICON for the lexicon: (frozen files, delta, generation the delta was read at);
        # the files' arrays are mapped.
        self._frozen_files: dict[str | None, tuple] = {}
        # Rowids passing a set of filters, by (filters, generation): one search asks once per encoder.
        self._allowed: OrderedDict[tuple, np.ndarray] = OrderedDict()
        meta = dict(self.db.execute("SELECT key, value FROM meta"))
        raw = json.loads(meta["schema"])
        self.schema = IndexSchema(raw["text_fields"], tuple(raw["keyword_fields"]), tuple(raw["numeric_fields"]),
                                  raw["vectors"])
        # Versions of format 1 have no terms table: they keep searching FTS5 alone.
        self.keeps_terms = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'terms'").fetchone() is not None
        self._vocabulary = postings.Vocabulary()

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (WAL: readers never wait for the writer)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Shared only so close() can close it from another thread; only its own thread uses it.
            connection = sqlite3.connect(self.path / FILE, timeout=30, check_same_thread=False)
            connection.execute("PRAGMA busy_timeout=30000")
            with self._connections_lock:
                for thread in [t for t in self._connections if not t.is_alive()]:
                    self._connections.pop(thread).close()
                self._connections[threading.current_thread()] = connection
            self._local.connection = connection
        return connection

    def connections(self) -> int:
        """How many connections this version holds open (one per thread that used it and may again)."""
        with self._connections_lock:
            return len(self._connections)

    def generation(self) -> int:
        """A counter that moves on every write, so caches know when to reload."""
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def _remove(self, db: sqlite3.Connection, rowid: int) -> None:
        db.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
        for table in ("keywords", "numbers") + (("terms",) if self.keeps_terms else ()):
            db.execute(f"DELETE FROM {table} WHERE doc = ?", (rowid,))
        # By the whole primary key (field, doc): "WHERE doc = ?" alone scanned every vector of the
        # version, 0.1 s a document at 100k profiles.
        db.executemany("DELETE FROM vectors WHERE field = ? AND doc = ?",
                       [(field, rowid) for field in self.schema.vectors])

    def write(self, docs: Iterable[Document]) -> int:
        """Add or replace ``docs`` in one transaction; return how many."""
        try:
            written = self._write(docs)
        except BaseException:
            # Term numbers handed out in the rolled-back transaction were never stored, and SQLite will hand
            # them out again: forget every cached one rather than keep numbers that now mean other terms.
            self._vocabulary = postings.Vocabulary()
            raise
        self._refreeze_if_large()
        return written

    def _write(self, docs: Iterable[Document]) -> int:
        fields = list(self.schema.text_fields)
        written, touched = 0, []
        with self._write_lock, self.db as db:
            for doc in docs:
                self.schema.check(doc)
                source = json.dumps(doc.text, ensure_ascii=False)
                row = db.execute("SELECT rowid FROM docs WHERE id = ?", (doc.id,)).fetchone()
                if row:
                    rowid = row[0]
                    self._remove(db, rowid)
                    db.execute("UPDATE docs SET source = ? WHERE rowid = ?", (source, rowid))
                else:
                    rowid = db.execute("INSERT INTO docs (id, source) VALUES (?, ?)", (doc.id, source)).lastrowid
                analyzed = [analyze(doc.text.get(name, "")) for name in fields]
                db.execute(f"INSERT INTO fts (rowid, {', '.join(_fts_columns(self.schema))}) "
                           f"VALUES (?, {', '.join('?' * len(fields))})", (rowid, *map(" ".join, analyzed)))
                if self.keeps_terms:
                    db.execute("INSERT INTO terms VALUES (?, ?, ?)", (rowid, *self._vocabulary.row(db, analyzed)))
                db.executemany("INSERT INTO keywords VALUES (?, ?, ?)",
                               [(name, value, rowid) for name, values in doc.keywords.items() for value in values])
                db.executemany("INSERT INTO numbers VALUES (?, ?, ?)",
                               [(name, float(value), rowid) for name, value in doc.numbers.items()
                                if value is not None])
                db.executemany("INSERT INTO vectors VALUES (?, ?, ?)",
                               [(name, rowid, _normalized(vector).tobytes()) for name, vector in doc.vectors.items()])
                touched.append(rowid)
                written += 1
            self._moved(db, touched)
        return written

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id; return how many existed."""
        removed, touched = 0, []
        with self._write_lock, self.db as db:
            for doc_id in ids:
                row = db.execute("SELECT rowid FROM docs WHERE id = ?", (doc_id,)).fetchone()
                if row:
                    self._remove(db, row[0])
                    db.execute("DELETE FROM docs WHERE rowid = ?", (row[0],))
                    touched.append(row[0])
                    removed += 1
            self._moved(db, touched)
        self._refreeze_if_large()
        return removed

    def _moved(self, db: sqlite3.Connection, rowids: list[int]) -> None:
        """Advance the generation; once a snapshot exists, remember which docs differ from it."""
        db.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
        if rowids and snapshots.snapshot_generation(db) is not None:
            generation = int(db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
            db.executemany("INSERT OR REPLACE INTO changed VALUES (?, ?)", [(r, generation) for r in rowids])

    def _delta_is_large(self) -> bool:
        return self.db.execute("SELECT count(*) FROM changed").fetchone()[0] > snapshots.REFREEZE

    def _refreeze_if_large(self) -> None:
        """Freeze a new snapshot of a live (promoted) version once the delta since the last one has grown
        past ``REFREEZE`` docs. A version being built (a copy taking the night's changes) waits for its promote."""
        if snapshots.snapshot_generation(self.db) is None or not self.promoted():
            return
        if self._delta_is_large():
            self.freeze()

    def freeze(self) -> int:
        """Snapshot every vector field, and the lexicon, to memory-mapped files now; return their generation.

        Files are written under new names, then the meta rows move to them in
        one transaction, with the ``changed`` rows they now cover; older files
        are removed (a process that still maps them keeps its pages until it
        lets go).
        """
        # The thread lock serves this process, the file lock every process that writes to the version (the
        # sync worker, a reindex catching up): two freezes at once would prune each other's changed rows
        # and remove each other's files.
        with self._write_lock, open(self.path / "freeze.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            db = self.db
            db.execute("CREATE TABLE IF NOT EXISTS changed (doc INTEGER PRIMARY KEY, generation INTEGER NOT NULL)")
            generation = self.generation()
            frozen = snapshots.snapshot_generation(db)
            if frozen is not None and frozen >= generation:
                return frozen  # another process froze this generation while we waited
            snapshots.write(db, self.path, self.schema.vectors, generation)
            if self.keeps_terms:
                postings.write(db, self.path, generation, len(self.schema.text_fields))
            sync_folder(self.path)  # the files' names too are on disk before the meta row points at them
            with db:
                keys = ("vector_snapshot", "lexical_snapshot") if self.keeps_terms else ("vector_snapshot",)
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(key, str(generation)) for key in keys])
                db.execute("DELETE FROM changed WHERE generation <= ?", (generation,))
            snapshots.drop_older(self.path, generation)
            postings.drop_older(self.path, generation)
            return generation

    def mark_promoted(self) -> None:
        """Remember that this version was made live (a finished build, fit for rollback); freeze its vectors."""
        with self._write_lock, self.db as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('promoted', '1')")
        if snapshots.snapshot_generation(self.db) is None or self._delta_is_large():
            self.freeze()

    def build_info(self) -> dict:
        """What the build that made this version recorded (:meth:`set_build_info`), or {}."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'build'").fetchone()
        return json.loads(row[0]) if row else {}

    def set_build_info(self, info: Mapping[str, str]) -> None:
        with self._write_lock, self.db as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (json.dumps(dict(info)),))

    def ids(self) -> set[str]:
        """The id of every document."""
        return {doc_id for (doc_id,) in self.db.execute("SELECT id FROM docs")}

    def digests(self) -> dict[str, str]:
        """Every document's content digest (:func:`search.documents.digest`), from what this version stores.

        One read transaction, so a concurrent write is either in every table read or in none.
        """
        keywords: dict[int, dict[str, list[str]]] = {}
        numbers: dict[int, dict[str, float]] = {}
        with self.db as db:
            db.execute("BEGIN")
            docs = db.execute("SELECT rowid, id, source FROM docs").fetchall()
            for doc, name, value in db.execute("SELECT doc, field, value FROM keywords"):
                keywords.setdefault(doc, {}).setdefault(name, []).append(value)
            for doc, name, value in db.execute("SELECT doc, field, value FROM numbers"):
                numbers.setdefault(doc, {})[name] = value
        return {doc_id: digest(json.loads(source), keywords.get(rowid, {}), numbers.get(rowid, {}))
                for rowid, doc_id, source in docs}

    def copy_to(self, target: Path) -> None:
        """Copy this version to a new folder ``target``: a consistent snapshot, never promoted.

        SQLite's backup API copies the file as one read transaction, so writes
        by other processes (the sync worker) are either in the copy or not,
        never half. The vector snapshot files never change once written: they
        are hard-linked, or frozen again when a newer snapshot replaced them
        in between.
        """
        target.mkdir(parents=True)
        destination = sqlite3.connect(target / FILE)
        try:
            self.db.backup(destination)
            with destination:
                destination.execute("DELETE FROM meta WHERE key IN ('promoted', 'build')")
            frozen = snapshots.snapshot_generation(destination)
        finally:
            destination.close()
        if frozen is None:
            return
        try:
            for path in [*self.path.glob(f"vectors-{frozen}-*.npy"), *self.path.glob(f"lexicon-{frozen}.*.npy")]:
                _link_or_copy(path, target / path.name)
            for field in self.schema.vectors:
                snapshots.Snapshot.load(target, field, frozen)
            if self.keeps_terms:
                postings.Lexicon.load(target, frozen)
        except (FileNotFoundError, ValueError):
            copy = Version(target)
            copy.freeze()
            copy.close()

    def promoted(self) -> bool:
        """Whether this version has ever been live."""
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'promoted'").fetchone() is not None

    def count(self) -> int:
        """How many documents this version holds."""
        return self.db.execute("SELECT count(*) FROM docs").fetchone()[0]

    def lexical(self, text: str, filters: Sequence[Filter], n: int, expansions: Sequence[str] = (),
                boosts: Mapping[str, float] | None = None) -> tuple[list[tuple[str, float]], int]:
        """BM25 top ``n`` for ``text`` (plus synonym ``expansions``) among docs passing ``filters``, and the total."""
        found = clauses(text, expansions)
        if not found:
            return [], 0
        boosts = boosts or {}
        weights = [float(boosts.get(name, weight)) for name, weight in self.schema.text_fields.items()]
        bm25 = f"bm25(fts, {', '.join(map(str, weights))})"
        frozen = self._frozen_lexicon()
        if frozen is None:
            pairs, total = self._lexical_fts(found, filters, n, bm25)
        else:
            phrases = []
            for phrase in (clause for clause in found if len(clause) > 1):  # positions: FTS5's part
                rows = self.db.execute(f"SELECT rowid, {bm25} FROM fts WHERE fts MATCH ?",
                                       (_quoted(phrase),)).fetchall()
                phrases.append((np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                                np.fromiter((-r[1] for r in rows), dtype=np.float64, count=len(rows))))
            allowed = self._allowed_rowids(tuple(filters)) if filters else None
            numbers = postings.numbers_of(self.db, [clause[0] for clause in found if len(clause) == 1])
            pairs, total = postings.search(*frozen, numbers, weights, n, allowed, phrases)
        if not pairs:
            return [], total
        ids = dict(self.db.execute(f"SELECT rowid, id FROM docs WHERE rowid IN ({', '.join('?' * len(pairs))})",
                                   [rowid for rowid, _ in pairs]).fetchall())
        return sorted(((ids[rowid], score) for rowid, score in pairs if rowid in ids),
                      key=lambda pair: (-pair[1], pair[0])), total

    def _lexical_fts(self, found: list[tuple[str, ...]], filters: Sequence[Filter], n: int,
                     bm25: str) -> tuple[list[tuple[int, float]], int]:
        """BM25 top ``n`` (rowid, score) by FTS5 alone (``bm25``: the weighted call), for a version without
        a lexicon."""
        expression = _any_of(found)
        # "+" keeps SQLite from driving FTS5 by rowid from the filter lists (one MATCH per row: 100x slower).
        where, params = filter_sql(filters, self.schema, "+fts.rowid")
        condition = "fts MATCH ?" + (f" AND {where}" if where else "")
        rows = self.db.execute(
            f"SELECT fts.rowid, {bm25} AS score FROM fts WHERE {condition} ORDER BY score, fts.rowid LIMIT ?",
            (expression, *params, n)).fetchall()
        total = self.db.execute(f"SELECT count(*) FROM fts WHERE {condition}", (expression, *params)).fetchone()[0]
        # FTS5's bm25() is negative, lower is better; report the usual positive BM25 score.
        return [(rowid, -score) for rowid, score in rows], total

    def _frozen_lexicon(self) -> tuple[postings.Lexicon, postings.Delta] | None:
        """The lexicon and the delta since, both cached until they move; None without a lexicon (FTS5 answers)."""
        columns = len(self.schema.text_fields)
        return self._current(LEXICON, "lexical_snapshot", lambda frozen: postings.Lexicon.load(self.path, frozen),
                             lambda lexicon: postings.load_delta(self.db, lexicon, columns))

    def _current(self, key: str | None, meta_key: str, load, load_delta, retry: bool = True):
        """``(frozen files, delta since)`` named by the ``meta_key`` row, cached under ``key`` until either moves;
        None when the version has none, or its files cannot be read (the caller answers from SQLite)."""
        meta = dict(self.db.execute("SELECT key, value FROM meta WHERE key IN ('generation', ?)", (meta_key,)))
        if meta_key not in meta:
            return None
        frozen, generation = json.loads(meta[meta_key]), int(meta["generation"])
        cached = self._frozen_files.get(key)
        if cached is None or cached[0].generation != frozen:
            try:
                cached = (load(frozen), None, -1)
            except FileNotFoundError:  # another process froze newer files in between: read again
                return self._current(key, meta_key, load, load_delta, retry=False) if retry else None
            except ValueError:  # unreadable files (a disk that lost them)
                return None
        if cached[2] != generation:
            cached = (cached[0], load_delta(cached[0]), generation)
        self._frozen_files[key] = cached
        return cached[0], cached[1]

    def _matrix(self, field: str) -> tuple[np.ndarray, np.ndarray]:
        generation = self.generation()
        cached = self._matrices.get(field)
        if cached and cached[0] == generation:
            return cached[1], cached[2]
        rowids, matrix = snapshots.read_vectors(self.db, field, self.schema.vectors[field])
        self._matrices[field] = (generation, rowids, matrix)
        return rowids, matrix

    def _frozen(self, field: str) -> tuple[snapshots.Snapshot, snapshots.Delta] | None:
        """The field's snapshot and the delta since, both cached until they move; None without a snapshot
        (the vectors in SQLite answer)."""
        dims = self.schema.vectors[field]
        return self._current(field, "vector_snapshot", lambda frozen: snapshots.Snapshot.load(self.path, field, frozen),
                             lambda snapshot: snapshots.load_delta(self.db, field, dims, snapshot))

    def knn(self, field: str, vector: np.ndarray, filters: Sequence[Filter], n: int) -> list[tuple[str, float]]:
        """Exact top ``n`` by cosine similarity among docs passing ``filters``."""
        if field not in self.schema.vectors:
            raise ValueError(f"no vector field {field!r} in this index")
        query = _normalized(vector)
        allowed = self._allowed_rowids(tuple(filters)) if filters else None
        frozen = self._frozen(field)
        if frozen is not None:
            pairs = snapshots.search(*frozen, query, n, allowed)
        else:
            pairs = self._knn_unfrozen(field, query, n, allowed)
        if not pairs:
            return []
        ids = dict(self.db.execute(f"SELECT rowid, id FROM docs WHERE rowid IN ({', '.join('?' * len(pairs))})",
                                   [rowid for rowid, _ in pairs]).fetchall())
        return sorted(((ids[rowid], score) for rowid, score in pairs), key=lambda p: (-p[1], p[0]))

    def _knn_unfrozen(self, field: str, query: np.ndarray, n: int,
                      allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """Exact float32 search over a private matrix (a version not promoted yet, or built before snapshots)."""
        rowids, matrix = self._matrix(field)
        if allowed is not None:
            positions = snapshots.positions(rowids, allowed)  # docs without this vector drop out
            candidates = matrix[positions]
        else:
            positions, candidates = np.arange(len(rowids)), matrix  # no copy of the whole matrix
        if len(positions) == 0:
            return []
        scores = candidates @ query
        n = min(n, len(positions))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(positions) else np.arange(len(positions))
        return [(int(rowids[positions[i]]), float(scores[i])) for i in top]

    def covered(self, field: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` have a ``field`` vector (answered from the snapshot and delta, or the matrix)."""
        if field not in self.schema.vectors or not ids:
            return set()
        frozen = self._frozen(field)
        if frozen is None:
            rowids, _ = self._matrix(field)
            stale, extra = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        else:
            snapshot, delta = frozen
            rowids, stale, extra = snapshot.rowids, np.asarray(snapshot.rowids[delta.stale]), delta.rowids
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            pairs = self.db.execute(f"SELECT rowid, id FROM docs WHERE id IN ({', '.join('?' * len(chunk))})",
                                    chunk).fetchall()
            if pairs:
                wanted = np.fromiter((rowid for rowid, _ in pairs), dtype=np.int64, count=len(pairs))
                has = (snapshots.present(rowids, wanted) & ~np.isin(wanted, stale)) | np.isin(wanted, extra)
                found.update(doc_id for (_, doc_id), hit in zip(pairs, has) if hit)
        return found

    def _allowed_rowids(self, filters: tuple[Filter, ...]) -> np.ndarray:
        key = (filters, self.generation())
        cached = self._allowed.get(key)
        if cached is None:
            where, params = filter_sql(filters, self.schema, "docs.rowid")
            cached = np.fromiter((r[0] for r in self.db.execute(
                f"SELECT rowid FROM docs WHERE {where} ORDER BY rowid", params)), dtype=np.int64)
            self._allowed[key] = cached
            while len(self._allowed) > 32:
                self._allowed.popitem(last=False)
        return cached

    def sources(self, ids: Sequence[str]) -> dict[str, dict[str, str]]:
        """The stored text fields of ``ids``."""
        if not ids:
            return {}
        rows = self.db.execute(f"SELECT id, source FROM docs WHERE id IN ({', '.join('?' * len(ids))})", list(ids))
        return {doc_id: json.loads(source) for doc_id, source in rows}

    def close(self) -> None:
        """Close every thread's connection and drop the cached matrices (the version may be opened again)."""
        with self._connections_lock:
            connections, self._connections = list(self._connections.values()), {}
            self._local = threading.local()
        for connection in connections:
            connection.close()
        self._matrices.clear()
        self._frozen_files.clear()
        self._allowed.clear()


def sync_folder(folder: Path) -> None:
    """Flush the folder's entries (the renames of freshly saved files) to disk, so they survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)


def _normalized(vector) -> np.ndarray:
    array = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(array))
    return array / norm if norm > 0 else array
