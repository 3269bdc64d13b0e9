"""BM25 from the lexicon (memory-mapped postings) against FTS5's bm25() on the same version: same hits,
same scores, same totals; before and after live writes, refreezes and copies."""
import random
from unittest import mock

import numpy as np
import pytest

from indexers.documents import schema, supplier_document
from matchmaker.demo.generator import make_supplier
from search.documents import Document, Filter, IndexSchema
from search.embedded import EmbeddedBackend
from search.embedded import lexicon, vectors

QUERIES = ["brake pads", "injection molding parts", "스마트공장 부품", "cnc machining aluminium", "parts",
           "금형 사출", "iso 9001 pumps valves", "precision", "no such word anywhere", "사출성형 금형 부품 제조"]
EXPANSIONS = [(), ("사출성형", "injection moulding", "molding")]
FILTERS = [(), (Filter.term("industry", "auto-parts"),), (Filter.range("smart_factory_level", gte=3),)]


def records(n: int, seed: int = 1) -> list[dict]:
    rng, used = random.Random(seed), set()
    out = [make_supplier(rng, i, used)[0] for i in range(1, n + 1)]
    for i, record in enumerate(out):
        record["external_id"] = f"S-{seed}-{i:05d}"
    return out


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return records(1500)


def built(root, docs, promote: bool = True) -> EmbeddedBackend:
    backend = EmbeddedBackend(root, schema({}))
    version = backend.create_version()
    backend.bulk_index((supplier_document(r) for r in docs), version, batch_size=500)
    if promote:
        backend.promote(version)
    return backend


def both(opened, text, filters=(), n=20, expansions=(), boosts=None):
    """The lexicon's answer and FTS5's answer for the same query on the same version."""
    fast = opened.lexical(text, filters, n, expansions, boosts)
    with mock.patch.object(opened, "_frozen_lexicon", return_value=None):
        slow = opened.lexical(text, filters, n, expansions, boosts)
    return fast, slow


def assert_same(fast, slow):
    (hits, total), (expected, expected_total) = fast, slow
    assert total == expected_total
    assert [doc_id for doc_id, _ in hits] == [doc_id for doc_id, _ in expected]
    assert np.allclose([s for _, s in hits], [s for _, s in expected], rtol=1e-9, atol=1e-12)


def assert_all_queries_agree(backend, n=20, boosts=None):
    with backend._using() as opened:
        assert opened._frozen_lexicon() is not None
        for text in QUERIES:
            for filters in FILTERS:
                for expansions in EXPANSIONS:
                    assert_same(*both(opened, text, filters, n, expansions, boosts))


def test_promote_freezes_a_memory_mapped_lexicon(tmp_path, corpus):
    backend = built(tmp_path / "index", corpus[:200])
    folder = tmp_path / "index" / "versions" / backend.live_version()
    assert sorted(p.name.split(".")[1] for p in folder.glob("lexicon-*.npy")) == sorted(lexicon.FILES)
    with backend._using() as opened:
        frozen, delta = opened._frozen_lexicon()
    assert isinstance(frozen.docs, np.memmap) and isinstance(frozen.tf, np.memmap)
    assert len(frozen.rowids) == 200 and len(delta.rowids) == 0 and len(delta.stale) == 0
    backend.close()


def test_same_hits_scores_and_totals_as_fts5(tmp_path, corpus):
    backend = built(tmp_path / "index", corpus)
    assert_all_queries_agree(backend)
    assert_all_queries_agree(backend, n=5, boosts={"name": 10.0, "region": 0.0})
    backend.close()


def test_live_writes_are_searched_from_the_delta_until_the_next_freeze(tmp_path, corpus):
    backend = built(tmp_path / "index", corpus[:1000])
    live = backend.live_version()
    changed = [dict(r, description="Titanium brake pads and precision injection molding, 스마트공장 인증")
               for r in corpus[:40]]
    backend.bulk_index((supplier_document(r) for r in changed + corpus[1000:1100]), live)
    backend.delete([r["external_id"] for r in corpus[40:60]], live)
    with backend._using() as opened:
        frozen, delta = opened._frozen_lexicon()
        assert frozen.generation < opened.generation()  # not refrozen: the delta carries the writes
        assert len(delta.rowids) == 140 and len(delta.stale) == 60
        hits, _ = opened.lexical("titanium", (), 100)
        assert {doc_id for doc_id, _ in hits} == {r["external_id"] for r in changed}
        deleted = {r["external_id"] for r in corpus[40:60]}
        assert not deleted & {doc_id for doc_id, _ in opened.lexical("parts", (), 2000)[0]}
    assert_all_queries_agree(backend)
    backend.close()


def test_a_large_delta_refreezes_and_drops_the_old_files(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(vectors, "REFREEZE", 50)
    backend = built(tmp_path / "index", corpus[:500])
    folder = tmp_path / "index" / "versions" / backend.live_version()
    before = {p.name for p in folder.glob("lexicon-*.npy")}
    backend.bulk_index((supplier_document(r) for r in corpus[500:600]), backend.live_version())
    after = {p.name for p in folder.glob("lexicon-*.npy")}
    assert after and not after & before
    with backend._using() as opened:
        frozen, delta = opened._frozen_lexicon()
        assert len(frozen.rowids) == 600 and len(delta.rowids) == 0
    assert_all_queries_agree(backend)
    backend.close()


def test_a_copy_shares_the_lexicon_files_and_answers_the_same(tmp_path, corpus):
    backend = built(tmp_path / "index", corpus[:300])
    live = backend.live_version()
    copy = backend.copy_version(live)
    source, target = (tmp_path / "index" / "versions" / name for name in (live, copy))
    for path in source.glob("lexicon-*.npy"):
        assert (target / path.name).stat().st_ino == path.stat().st_ino
    backend.promote(copy)
    assert_all_queries_agree(backend)
    backend.close()


def test_a_version_without_a_lexicon_searches_fts5(tmp_path, corpus):
    backend = built(tmp_path / "index", corpus[:300], promote=False)
    with backend._using(backend.versions()[0].name) as opened:
        assert opened._frozen_lexicon() is None  # built, not promoted
        hits, total = opened.lexical("parts", (), 10)
    assert len(hits) == 10 and total > 10
    backend.close()


def test_format_1_versions_keep_working_without_a_terms_table(tmp_path, corpus):
    backend = EmbeddedBackend(tmp_path / "index", schema({}))
    version = backend.create_version()
    with backend._using(version) as opened:
        opened.db.execute("DROP TABLE terms")
    backend.close()
    backend = EmbeddedBackend(tmp_path / "index", schema({}))
    backend.bulk_index((supplier_document(r) for r in corpus[:200]), version)
    backend.promote(version)
    with backend._using() as opened:
        assert not opened.keeps_terms and opened._frozen_lexicon() is None
        hits, total = opened.lexical("parts", (), 10)
    assert hits and total >= len(hits)
    assert not list((tmp_path / "index" / "versions" / version).glob("lexicon-*"))
    backend.close()


def test_counts_beyond_a_byte_and_ties_break_by_insertion_order(tmp_path):
    simple = IndexSchema(text_fields={"name": 2.0, "body": 1.0}, keyword_fields=(), numeric_fields=(), vectors={})
    backend = EmbeddedBackend(tmp_path / "index", simple)
    version = backend.create_version()
    docs = [Document("heavy", {"name": "valve", "body": " ".join(["valve"] * 300)}, {}, {}, {})]
    docs += [Document(f"twin-{i:02d}", {"name": "pump valve", "body": "cast iron"}, {}, {}, {}) for i in range(30)]
    docs += [Document(f"other-{i}", {"name": "gear", "body": "steel gear box"}, {}, {}, {}) for i in range(30)]
    backend.bulk_index(docs, version)
    backend.promote(version)
    with backend._using() as opened:
        frozen, _ = opened._frozen_lexicon()
        assert frozen.tf.dtype == np.uint16
        for text in ("valve", "pump", "valve gear", "iron"):
            for n in (1, 5, 12, 100):
                assert_same(*both(opened, text, (), n))
    backend.close()


SIMPLE = IndexSchema(text_fields={"name": 2.0, "body": 1.0}, keyword_fields=(), numeric_fields=(), vectors={})


def simple(doc_id, name, body="") -> Document:
    return Document(doc_id, {"name": name, "body": body}, {}, {}, {})


def test_a_rolled_back_write_leaves_no_stale_term_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "REFREEZE", 1)  # every write refreezes: the postings are what is compared
    backend = EmbeddedBackend(tmp_path / "index", SIMPLE)
    version = backend.create_version()
    backend.bulk_index([simple("a", "alpha valve")], version)
    backend.promote(version)
    broken = Document("bad", {"name": "x", "colour": "red"}, {}, {}, {})  # an unknown field: the batch rolls back
    with pytest.raises(ValueError, match="unknown text field"):
        backend.bulk_index([simple("x", "xylophone"), broken])
    backend.bulk_index([simple("z", "zebra")])
    backend.bulk_index([simple("x", "xylophone")])
    with backend._using() as opened:
        for text in ("xylophone", "zebra", "alpha"):
            fast, slow = both(opened, text)
            assert_same(fast, slow)
            assert len(fast[0]) == 1
    backend.close()


def test_unreadable_lexicon_files_fall_back_to_fts5(tmp_path, corpus):
    backend = built(tmp_path / "index", corpus[:200])
    folder = tmp_path / "index" / "versions" / backend.live_version()
    for path in folder.glob("lexicon-*.docs.npy"):
        path.write_bytes(b"\x93NUMPY truncated")  # what a disk that lost the file's blocks leaves
    with backend._using() as opened:
        assert opened._frozen_lexicon() is None
        hits, total = opened.lexical("parts", (), 10)
    assert len(hits) == 10 and total > 10
    backend.close()


def test_a_freeze_that_finds_its_generation_frozen_does_nothing(tmp_path, corpus):
    backend = built(tmp_path / "index", corpus[:100])
    folder = tmp_path / "index" / "versions" / backend.live_version()
    before = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.npy")}
    with backend._using() as opened:
        generation = opened.generation()
        assert opened.freeze() == generation  # what a second process sees after the first froze
    assert {path.name: path.stat().st_mtime_ns for path in folder.glob("*.npy")} == before
    backend.close()
