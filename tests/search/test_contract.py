"""One contract for every backend: same corpus in, same answers out."""
import threading
import time

import numpy as np
import pytest

from search.backend import BackendError
from search.documents import Document, Filter, SearchRequest
from search.engine import SearchEngine


def vec(*hot):
    v = np.zeros(8, dtype=np.float32)
    for i in hot:
        v[i] = 1.0
    return v


CORPUS = [
    Document("s1", {"name": "대성정밀", "products": "브레이크 패드", "description": "스마트공장을 운영하는 자동차 부품 기업"},
             {"industry": ["auto-parts"], "certifications": ["IATF 16949", "ISO 9001"]},
             {"smart_factory_level": 4, "moq": 500}, {"vec": vec(0)}),
    Document("s2", {"name": "Hanbit Electronics", "products": "multilayer PCB",
                    "description": "PCB assembly with SMT lines; 100% AOI tested"},
             {"industry": ["electronics"], "certifications": ["ISO 9001", "UL"]},
             {"smart_factory_level": 2, "moq": 1000}, {"vec": vec(1)}),
    Document("s3", {"name": "Sejin Foods 세진식품", "products": "kimchi 김치", "description": "Fermented kimchi, HACCP"},
             {"industry": ["food"], "certifications": ["HACCP"]}, {"smart_factory_level": 3, "moq": 100},
             {"vec": vec(2)}),
    Document("s4", {"name": "Daesung Auto", "products": "brake discs", "description": "Brake discs and pads for EV"},
             {"industry": ["auto-parts"], "certifications": ["IATF 16949"]},
             {"smart_factory_level": 1, "moq": 2000}, {"vec": vec(0, 3)}),
]


@pytest.fixture
def live(backend):
    version = backend.create_version()
    backend.bulk_index(CORPUS, version)
    backend.promote(version)
    return backend


def ids(result):
    return [hit.id for hit in result.hits]


def search(backend, **kwargs):
    return SearchEngine(backend).search(SearchRequest(**kwargs))


def test_empty_index(backend):
    version = backend.create_version()
    backend.promote(version)
    assert backend.count() == 0
    assert search(backend, text="brake", mode="lexical").hits == []
    assert search(backend, text="", vectors={"vec": vec(0)}, mode="vector").hits == []


def test_no_live_version_is_a_clear_error(backend):
    with pytest.raises(BackendError, match="not been built"):
        search(backend, text="brake", mode="lexical")
    assert backend.health()["status"] == "empty"


def test_count_and_health(live):
    assert live.count() == 4
    health = live.health()
    assert health["status"] == "ok" and health["documents"] == 4


def test_lexical_english(live):
    assert set(ids(search(live, text="brake", mode="lexical"))) == {"s4"}
    assert ids(search(live, text="PCB", mode="lexical")) == ["s2"]


def test_lexical_field_boosts_rank_name_matches_first(live):
    # "daesung" is in s4's name; add a doc that says it only in the description.
    live.bulk_index([Document("s5", {"name": "Other", "description": "former daesung partner"})])
    assert ids(search(live, text="daesung", mode="lexical"))[0] == "s4"


def test_the_ranking_profile_can_boost_fields_at_query_time(live):
    # The same doc pair as above: a heavier description boost turns the order round, with no reindex.
    live.bulk_index([Document("s5", {"name": "Other", "description": "former daesung partner daesung"})])
    assert ids(search(live, text="daesung", mode="lexical"))[0] == "s4"
    boosted, _ = live.lexical("daesung", (), 5, boosts={"name": 0.1, "description": 10.0})
    assert [doc_id for doc_id, _ in boosted][0] == "s5"


def test_korean_query_finds_words_inside_longer_korean_words(live):
    assert ids(search(live, text="공장", mode="lexical")) == ["s1"]  # from 스마트공장을
    assert ids(search(live, text="브레이크", mode="lexical")) == ["s1"]


def test_mixed_script_query(live):
    found = ids(search(live, text="김치 kimchi", mode="lexical"))
    assert found == ["s3"]
    assert set(ids(search(live, text="브레이크 brake", mode="lexical"))) == {"s1", "s4"}


@pytest.mark.parametrize("query", ['"brake', 'brake AND (pads OR -discs*)', "NEAR(brake pads, 2)", "brake^3 name:",
                                   "\\ { } [ ] ~ * ? / !", "' OR 1=1 --", "🙂", "   "])
def test_operator_characters_are_just_text(live, query):
    result = search(live, text=query, mode="lexical")
    assert all(hit.id in {"s1", "s2", "s3", "s4"} for hit in result.hits)


def test_vector_mode(live):
    result = search(live, text="", vectors={"vec": vec(0)}, mode="vector", k=2)
    assert ids(result) == ["s1", "s4"]
    assert result.hits[0].vector_scores["vec"] == pytest.approx(1.0, abs=1e-3)
    assert result.hits[1].vector_scores["vec"] == pytest.approx(0.7071, abs=1e-3)


def test_hybrid_mode_reports_both_retrievers(live):
    result = search(live, text="brake", vectors={"vec": vec(0)}, mode="hybrid", k=3)
    assert ids(result)[0] == "s4"  # first in both lists
    top = result.hits[0]
    assert top.lexical_rank == 1 and top.vector_ranks["vec"] == 2 and top.lexical_score > 0
    assert result.hits[1].id == "s1" and result.hits[1].lexical_rank is None


def test_filters_apply_before_top_k(backend):
    version = backend.create_version()
    docs = [Document(f"d{i}", {"name": f"maker {i}", "description": "precision parts"},
                     {"industry": ["auto-parts" if i % 25 == 0 else "machinery"]}, {"moq": i},
                     {"vec": vec(i % 8)}) for i in range(100)]
    backend.bulk_index(docs, version)
    backend.promote(version)
    rare = (Filter.term("industry", "auto-parts"),)
    lexical = search(backend, text="precision", filters=rare, mode="lexical", k=10)
    assert sorted(ids(lexical)) == ["d0", "d25", "d50", "d75"] and lexical.total == 4
    vector = search(backend, vectors={"vec": vec(3)}, filters=rare, mode="vector", k=10)
    assert sorted(ids(vector)) == ["d0", "d25", "d50", "d75"]
    ranged = search(backend, text="precision", filters=(Filter.range("moq", gte=10, lte=12),), mode="lexical")
    assert sorted(ids(ranged)) == ["d10", "d11", "d12"]
    both = search(backend, text="precision", mode="hybrid", vectors={"vec": vec(1)},
                  filters=(Filter.terms("industry", ["auto-parts", "food"]), Filter.range("moq", lte=30)))
    assert sorted(ids(both)) == ["d0", "d25"]


def test_update_replaces_the_document(live):
    live.bulk_index([Document("s3", {"name": "Sejin Foods", "products": "gochujang", "description": "sauces"},
                              {"industry": ["food"]}, {}, {"vec": vec(2)})])
    assert live.count() == 4
    assert search(live, text="kimchi", mode="lexical").hits == []
    assert ids(search(live, text="gochujang", mode="lexical")) == ["s3"]
    assert search(live, text="gochujang", mode="lexical", filters=(Filter.term("certifications", "HACCP"),)).hits == []


def test_digests_are_what_was_written(live):
    """Each backend rebuilds a document's digest from what it stores: equal to the written document's."""
    assert live.digests() == {doc.id: doc.digest for doc in CORPUS}
    edited = Document("s3", {"name": "Sejin Foods", "products": "gochujang"}, {"industry": ["food"]},
                      {"smart_factory_level": 3}, {"vec": vec(2)})
    live.bulk_index([edited])
    live.delete(["s4"])
    after = live.digests()
    assert after["s3"] == edited.digest != CORPUS[2].digest and "s4" not in after
    assert after["s1"] == CORPUS[0].digest


def test_digests_ignore_what_storage_cannot_keep():
    base = Document("d", {"name": "A", "description": ""}, {"industry": ["x"], "certifications": ["b", "a"]},
                    {"moq": 5})
    same = Document("d", {"name": "A"}, {"industry": ["x"], "certifications": ["a", "b", "a"], "languages": []},
                    {"moq": 5.0})
    assert base.digest == same.digest
    for changed in (Document("d", {"name": "B"}, base.keywords, base.numbers),
                    Document("d", base.text, {"industry": ["y"], "certifications": ["a", "b"]}, base.numbers),
                    Document("d", base.text, base.keywords, {"moq": 6})):
        assert changed.digest != base.digest


def test_delete(live):
    assert live.delete(["s2", "missing"]) == 1
    assert live.count() == 3
    assert search(live, text="PCB", mode="lexical").hits == []
    assert "s2" not in ids(search(live, vectors={"vec": vec(1)}, mode="vector", k=10))


def test_paging_is_stable(backend):
    version = backend.create_version()
    backend.bulk_index([Document(f"p{i:02d}", {"name": "valve " * (1 + i % 5), "description": f"item {i}"},
                                 vectors={"vec": vec(i % 8, (i + 1) % 8)}) for i in range(40)], version)
    backend.promote(version)
    for mode in ("lexical", "hybrid"):
        whole = ids(search(backend, text="valve", vectors={"vec": vec(2)}, mode=mode, k=30))
        pages = [ids(search(backend, text="valve", vectors={"vec": vec(2)}, mode=mode, k=10, offset=o))
                 for o in (0, 10, 20)]
        assert sum(pages, []) == whole


def test_highlights_mark_the_query_terms(live):
    hit = search(live, text="kimchi 발효", mode="lexical").hits[0]
    assert any("<mark>kimchi</mark>" in fragment.lower() or "<mark>Kimchi</mark>" in fragment
               for fragments in hit.highlights.values() for fragment in fragments)
    korean = search(live, text="공장", mode="lexical").hits[0]
    assert "스마트<mark>공장</mark>을" in korean.highlights["description"][0]


def test_versions_and_atomic_promote(live):
    old = live.live_version()
    new = live.create_version()
    live.bulk_index(CORPUS[:2], new)
    assert live.count() == 4 and live.count(new) == 2  # building does not touch the live version
    live.promote(new)
    assert live.live_version() == new and live.count() == 2
    names = [v.name for v in live.versions()]
    assert names == sorted(names) and {old, new} <= set(names)
    with pytest.raises(BackendError):
        live.drop_version(new)
    live.drop_version(old)
    assert old not in [v.name for v in live.versions()]


def test_readers_keep_answering_while_a_new_version_is_built_and_swapped(live):
    errors, answers, stop = [], [], threading.Event()

    def reader():
        engine = SearchEngine(live)
        while not stop.is_set():
            try:
                answers.append(tuple(ids(engine.search(SearchRequest(text="brake", mode="lexical")))))
            except Exception as exc:  # noqa: BLE001 - any failure is the test's finding
                errors.append(exc)
    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    new = live.create_version()
    for i in range(5):
        live.bulk_index([Document(f"n{i}{j}", {"name": "new maker", "description": "brake calipers"})
                         for j in range(50)], new)
        time.sleep(0.02)
    assert answers and all(answer == ("s4",) for answer in answers)  # old version until the swap
    live.promote(new)
    time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(answers[-1]) == 10  # the new version answers after the swap


def test_covered_tells_which_documents_have_a_vector(live):
    live.bulk_index([Document("novec", {"name": "no vector here"})])
    assert live.covered("vec", ["s1", "s2", "novec", "missing"]) == {"s1", "s2"}
    assert live.covered("vec", []) == set()


def test_vector_filters_skip_documents_without_that_vector(live):
    live.bulk_index([Document("novec", {"name": "brake maker"}, {"industry": ["auto-parts"]})])
    result = search(live, vectors={"vec": vec(0)}, filters=(Filter.term("industry", "auto-parts"),),
                    mode="vector", k=10)
    assert sorted(ids(result)) == ["s1", "s4"]


def test_a_copy_of_the_live_version_answers_alike_and_changes_alone(live):
    source = live.live_version()
    live.set_build_info(source, {"fingerprint": "f1", "since": "2026-11-22T00:00:00+00:00"})
    copy = live.copy_version(source)
    assert copy != source and live.live_version() == source
    assert live.doc_ids(copy) == live.doc_ids(source) == {"s1", "s2", "s3", "s4"}
    assert live.build_info(copy) == {} and live.build_info(source)["fingerprint"] == "f1"
    assert ids(SearchEngine(live).search(SearchRequest(text="brake", mode="lexical"), copy)) == \
        ids(search(live, text="brake", mode="lexical"))
    live.delete(["s4"], copy)
    live.bulk_index([Document("s5", {"name": "Brake Korea", "products": "brake calipers", "description": ""},
                              {"industry": ["auto-parts"]}, {}, {"vec": vec(0)})], copy)
    assert "s4" in ids(search(live, text="brake", mode="lexical"))  # the live version is untouched
    live.set_build_info(copy, {"fingerprint": "f1", "since": "2026-11-23T00:00:00+00:00"})
    live.promote(copy)
    assert ids(search(live, text="brake", mode="lexical")) == ["s5"]
    assert live.build_info(copy)["since"] == "2026-11-23T00:00:00+00:00"  # kept through the promote
    assert [v.promoted for v in live.versions() if v.name == copy] == [True]
