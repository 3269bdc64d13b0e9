"""A full build swaps in a complete new version, or leaves the live one as it was."""
import numpy as np
import pytest

from indexers.build import build_index
from indexers.embedding import embed_records
from search.backend import BackendError
from search.embedded import EmbeddedBackend
from indexers.documents import schema, supplier_document

KO = {"external_id": "K", "name": "한울", "description": "자동차 와이어 하네스 제조", "industry": "auto-parts"}
EN = {"external_id": "E", "name": "Hanul", "name_en": "Hanul", "description": "Automotive wire harnesses",
      "industry": "auto-parts"}


class FakeEncoder:
    """A stand-in encoder: this test is about the build, not about embeddings."""

    def __init__(self, name, dims, fail_after=None):
        self.id, self.dimensions, self.calls, self.fail_after, self.seen = name, dims, 0, fail_after, []

    def encode(self, texts):
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise RuntimeError("encoder crashed")
        self.seen.extend(texts)
        return np.ones((len(texts), self.dimensions), dtype=np.float32)


def test_english_only_encoders_skip_korean_profiles_and_korean_text():
    minilm, use = FakeEncoder("minilm", 4), FakeEncoder("usem3", 4)
    bilingual = {**EN, "external_id": "B", "description": "Automotive wire harnesses\n\n자동차 와이어 하네스"}
    vectors, counts = embed_records([KO, EN, bilingual], {"minilm": minilm, "usem3": use})
    embedded = counts.embedded
    assert [sorted(v) for v in vectors] == [["usem3"], ["minilm", "usem3"], ["minilm", "usem3"]]
    assert embedded == 4  # MiniLM's text of EN and the bilingual profile is the same: embedded once
    assert all("하네스" not in text for text in minilm.seen)  # MiniLM reads only the English part


def test_build_promotes_and_keeps_previous_versions(tmp_path):
    backend = EmbeddedBackend(tmp_path, schema({"usem3": 4}))
    encoders = {"usem3": FakeEncoder("usem3", 4)}
    reports = [build_index(backend, encoders, [KO, EN], keep=1) for _ in range(3)]
    assert backend.live_version() == reports[-1].version and backend.count() == 2
    assert [v.name for v in backend.versions()] == [reports[1].version, reports[2].version]
    assert reports[-1].dropped == [reports[0].version] or reports[1].dropped == [reports[0].version]


def test_a_failed_build_leaves_the_live_version_serving(tmp_path):
    backend = EmbeddedBackend(tmp_path, schema({"usem3": 4}))
    live = build_index(backend, {"usem3": FakeEncoder("usem3", 4)}, [KO, EN]).version
    with pytest.raises(RuntimeError, match="encoder crashed"):
        build_index(backend, {"usem3": FakeEncoder("usem3", 4, fail_after=1)}, [KO, EN, KO | {"external_id": "X"}],
                    batch_size=1)
    assert backend.live_version() == live and [v.name for v in backend.versions()] == [live]
    assert backend.live_version() == live and backend.count() == 2


class LosingBackend(EmbeddedBackend):
    """A backend that acknowledges a write and keeps only the first document of it."""

    def bulk_index(self, docs, version=None, batch_size=500):
        return super().bulk_index(list(docs)[:1], version, batch_size)


def test_a_version_missing_what_was_written_to_it_is_not_swapped_in(tmp_path):
    backend = LosingBackend(tmp_path, schema({"usem3": 4}))
    with pytest.raises(BackendError, match="holds 1 documents, not the 2 written to it"):
        build_index(backend, {"usem3": FakeEncoder("usem3", 4)}, [KO, EN])
    assert backend.live_version() is None and backend.versions() == []


def test_leftovers_of_unfinished_builds_are_dropped_and_never_rolled_back_to(tmp_path):
    from indexers.build import rollback
    backend = EmbeddedBackend(tmp_path, schema({"usem3": 4}))
    first = build_index(backend, {"usem3": FakeEncoder("usem3", 4)}, [KO, EN]).version
    crashed = backend.create_version()  # a build killed half-way leaves this behind
    backend.bulk_index([supplier_document(KO)], crashed)
    assert [v.promoted for v in backend.versions()] == [True, False]
    second = build_index(backend, {"usem3": FakeEncoder("usem3", 4)}, [KO, EN], keep=5)
    assert crashed in second.dropped and first not in second.dropped
    assert rollback(backend) == first


def test_search_answers_from_the_old_version_until_the_swap(tmp_path):
    from search.documents import SearchRequest
    from search.engine import SearchEngine
    backend = EmbeddedBackend(tmp_path, schema({"usem3": 4}))
    build_index(backend, {"usem3": FakeEncoder("usem3", 4)}, [KO])
    engine = SearchEngine(backend)
    seen = []

    def during(_):  # called after each loaded batch of the new build
        seen.append([hit.id for hit in engine.search(SearchRequest(text="hanul", mode="lexical")).hits])
    build_index(backend, {"usem3": FakeEncoder("usem3", 4)}, [KO, EN], batch_size=1, progress=during)
    assert seen == [[], []]  # the old version (Korean only) answered while the new one was loading
    assert [hit.id for hit in engine.search(SearchRequest(text="hanul", mode="lexical")).hits] == ["E"]
