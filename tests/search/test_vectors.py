"""Vector search on the embedded backend: memory-mapped float32 snapshots shared by processes, and the live delta."""
import numpy as np
import pytest

from search.documents import Document, Filter, IndexSchema
from search.embedded import EmbeddedBackend
from search.embedded import vectors

DIMS = 32
SCHEMA = IndexSchema(text_fields={"name": 1.0}, keyword_fields=("group",), numeric_fields=(), vectors={"vec": DIMS})


def structured(n: int, seed: int = 0) -> np.ndarray:
    """Unit vectors around 50 topics, as real embeddings cluster (random ones would flatter nothing)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, DIMS))
    matrix = centres[rng.integers(0, 50, n)] + 0.35 * rng.standard_normal((n, DIMS))
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


def decaying(n: int, seed: int = 0) -> np.ndarray:
    """Unit vectors whose variance falls off across dimensions, as real embeddings' spectra do."""
    rng = np.random.default_rng(seed)
    matrix = rng.standard_normal((n, DIMS)) * 0.85 ** np.arange(DIMS)
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


def build(tmp_path, matrix, groups=None) -> EmbeddedBackend:
    backend = EmbeddedBackend(tmp_path / "index", SCHEMA)
    version = backend.create_version()
    backend.bulk_index((Document(f"d{i}", {"name": f"doc {i}"}, {"group": [groups[i] if groups else "all"]}, {},
                                 {"vec": row}) for i, row in enumerate(matrix)), version, batch_size=5000)
    backend.promote(version)
    return backend


def exact(matrix, query, n, keep=None):
    scores = matrix @ query
    if keep is not None:
        scores = np.where(keep, scores, -np.inf)
    return [f"d{i}" for i in np.argsort(-scores, kind="stable")[:n] if np.isfinite(scores[i])]


def test_promote_freezes_memory_mapped_snapshots(tmp_path):
    backend = build(tmp_path, structured(300))
    folder = tmp_path / "index" / "versions" / backend.live_version()
    assert sorted(p.name.split("-", 2)[2] for p in folder.glob("vectors-*.npy")) == ["vec.f32.npy", "vec.rowids.npy"]
    backend.knn("vec", structured(1, 9)[0], [], 5)
    with backend._using() as opened:
        snapshot, delta = opened._frozen("vec")
    assert isinstance(snapshot.floats, np.memmap) and isinstance(snapshot.rowids, np.memmap)
    assert len(delta.rowids) == 0 and len(delta.stale) == 0
    backend.close()


def test_same_answers_as_exact_float32_with_and_without_filters(tmp_path):
    matrix = structured(12_000)
    groups = ["rare" if i % 50 == 0 else ("half" if i % 2 else "other") for i in range(len(matrix))]
    backend = build(tmp_path, matrix, groups)
    queries = structured(60, seed=5)
    hits = total = 0
    for query in queries:
        found = [doc_id for doc_id, _ in backend.knn("vec", query, [], 10)]
        truth = exact(matrix, query, 10)
        hits += len(set(found) & set(truth))
        total += 10
        assert found[0] == truth[0]
    assert hits == total
    for group in ("half", "rare"):
        keep = np.array([g == group for g in groups])
        for query in queries[:20]:
            found = [doc_id for doc_id, _ in backend.knn("vec", query, [Filter.term("group", group)], 10)]
            assert len(found) == 10 and all(groups[int(d[1:])] == group for d in found)
            assert found == exact(matrix, query, 10, keep)
    backend.close()


def test_scores_are_float32_cosines_in_order(tmp_path):
    matrix = structured(6_000)
    backend = build(tmp_path, matrix)
    query = structured(1, seed=3)[0]
    found = backend.knn("vec", query, [], 20)
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True)
    for doc_id, score in found:
        assert score == pytest.approx(float(matrix[int(doc_id[1:])] @ query), abs=1e-5)
    backend.close()


def test_live_writes_after_the_snapshot_are_searched_exactly(tmp_path):
    matrix = structured(5_000)
    backend = build(tmp_path, matrix)
    query = structured(1, seed=4)[0]
    best = backend.knn("vec", query, [], 1)[0][0]
    backend.delete([best])  # gone from the snapshot's answers at once
    assert best not in [d for d, _ in backend.knn("vec", query, [], 50)]
    backend.bulk_index([Document("new", {"name": "new"}, {"group": ["all"]}, {}, {"vec": query})])
    assert backend.knn("vec", query, [], 1)[0] == ("new", pytest.approx(1.0, abs=1e-5))
    moved = backend.knn("vec", query, [], 3)[1][0]
    backend.bulk_index([Document(moved, {"name": "moved"}, {"group": ["all"]}, {}, {"vec": -query})])
    assert moved not in [d for d, _ in backend.knn("vec", query, [], 50)]
    assert backend.knn("vec", -query, [], 1)[0][0] == moved
    assert backend.knn("vec", query, [Filter.term("group", "none")], 5) == []
    backend.close()


def test_a_large_delta_is_frozen_into_a_new_snapshot(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "REFREEZE", 10)
    matrix = structured(400)
    backend = build(tmp_path, matrix)
    folder = tmp_path / "index" / "versions" / backend.live_version()
    before = {p.name for p in folder.glob("vectors-*.npy")}
    backend.bulk_index([Document(f"d{i}", {"name": "x"}, {"group": ["all"]}, {}, {"vec": -matrix[i]})
                        for i in range(11)])
    after = {p.name for p in folder.glob("vectors-*.npy")}
    assert len(after) == 2 and not before & after  # new files, the old ones removed
    with backend._using() as opened:
        assert opened.db.execute("SELECT count(*) FROM changed").fetchone()[0] == 0
    assert backend.knn("vec", -matrix[3], [], 1)[0][0] == "d3"
    backend.close()


def test_a_copy_taking_many_changes_freezes_once_at_its_promote(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "REFREEZE", 10)
    matrix = structured(400)
    backend = build(tmp_path, matrix)
    copy = backend.copy_version(backend.live_version())
    folder = tmp_path / "index" / "versions" / copy
    linked = {p.name for p in folder.glob("vectors-*.npy")}
    for start in range(0, 40, 5):  # eight write batches, each past REFREEZE once the first is in
        backend.bulk_index([Document(f"d{i}", {"name": "x"}, {"group": ["all"]}, {}, {"vec": -matrix[i]})
                            for i in range(start, start + 5)], copy)
    assert {p.name for p in folder.glob("vectors-*.npy")} == linked  # no snapshot while it is being built
    assert backend.knn("vec", -matrix[3], [], 1, copy)[0][0] == "d3"  # answered from the delta meanwhile
    backend.promote(copy)
    assert not linked & {p.name for p in folder.glob("vectors-*.npy")}  # one new snapshot at the promote
    with backend._using() as opened:
        assert opened.db.execute("SELECT count(*) FROM changed").fetchone()[0] == 0
    assert backend.knn("vec", -matrix[3], [], 1)[0][0] == "d3"
    backend.close()


def test_a_large_snapshot_scans_a_reduced_copy_and_returns_exact_cosines(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "REDUCE_FROM", 5_000)
    monkeypatch.setattr(vectors, "RESCORE_MIN", 200)
    matrix = decaying(20_000, seed=4)
    groups = ["a" if i % 3 else "b" for i in range(len(matrix))]
    backend = build(tmp_path, matrix, groups)
    folder = tmp_path / "index" / "versions" / backend.live_version()
    assert {p.name.split("-", 2)[2] for p in folder.glob("vectors-*.npy")} == {
        "vec.f32.npy", "vec.rowids.npy", "vec.basis.npy", "vec.reduced.npy"}
    queries = decaying(50, seed=9)
    keep = np.array([g == "a" for g in groups])
    found_all = found_a = 0
    for query in queries:
        hits = backend.knn("vec", query, [], 10)
        assert all(score == pytest.approx(float(matrix[int(i[1:])] @ query), abs=1e-5) for i, score in hits)
        found_all += len({i for i, _ in hits} & set(exact(matrix, query, 10)))
        filtered = backend.knn("vec", query, [Filter.term("group", "a")], 10)  # two thirds kept: the mask path
        assert len(filtered) == 10 and all(keep[int(i[1:])] for i, _ in filtered)
        found_a += len({i for i, _ in filtered} & set(exact(matrix, query, 10, keep)))
    assert found_all / 500 >= 0.99 and found_a / 500 >= 0.99
    best = backend.knn("vec", queries[0], [], 1)[0][0]
    backend.delete([best])  # a deleted document never comes back from the snapshot
    assert best not in [i for i, _ in backend.knn("vec", queries[0], [], 10)]
    backend.close()


def test_a_small_snapshot_stays_exact_without_a_reduced_copy(tmp_path):
    backend = build(tmp_path, structured(500))
    folder = tmp_path / "index" / "versions" / backend.live_version()
    assert not list(folder.glob("vectors-*.reduced.npy"))
    backend.close()


def test_versions_built_before_snapshots_still_search(tmp_path):
    matrix = structured(200)
    backend = build(tmp_path, matrix)
    folder = tmp_path / "index" / "versions" / backend.live_version()
    with backend._using() as opened:
        with opened.db:
            opened.db.execute("DELETE FROM meta WHERE key = 'vector_snapshot'")
            opened.db.execute("DROP TABLE changed")
    for path in folder.glob("vectors-*.npy"):
        path.unlink()
    backend.close()
    reopened = EmbeddedBackend(tmp_path / "index", SCHEMA)
    query = matrix[7]
    assert reopened.knn("vec", query, [], 1)[0][0] == "d7"
    reopened.bulk_index([Document("d7", {"name": "x"}, {"group": ["all"]}, {}, {"vec": -query})])
    assert reopened.knn("vec", -query, [], 1)[0][0] == "d7"
    reopened.close()


def test_covered_follows_the_snapshot_and_the_delta(tmp_path):
    matrix = structured(300)
    backend = build(tmp_path, matrix)
    assert backend.covered("vec", ["d1", "d2", "nope"]) == {"d1", "d2"}
    backend.delete(["d1"])
    backend.bulk_index([Document("fresh", {"name": "x"}, {"group": ["all"]}, {}, {"vec": matrix[0]}),
                        Document("d2", {"name": "no vector now"}, {"group": ["all"]}, {}, {})])
    assert backend.covered("vec", ["d1", "d2", "d3", "fresh"]) == {"d3", "fresh"}
    assert backend.covered("other", ["d3"]) == set()
    backend.close()
