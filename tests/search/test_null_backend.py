"""The null backend: every write accepted and checked against the schema, nothing stored, nothing found."""
import numpy as np
import pytest

from search.backend import BackendError
from search.documents import Document, Filter, SearchRequest
from search.engine import SearchEngine
from search.null import NullBackend

from .conftest import SCHEMA


def test_writes_are_checked_and_counted_but_nothing_is_found():
    backend = NullBackend(SCHEMA)
    doc = Document("a", {"name": "Valve Works"}, {"industry": ["machinery"]}, {"moq": 10}, {"vec": np.ones(8)})
    assert backend.bulk_index([doc]) == 1 and backend.written == 1
    assert backend.lexical("valve", [Filter.term("industry", "machinery")], 10) == ([], 0)
    assert backend.knn("vec", np.ones(8), [], 10) == [] and backend.count() == 0
    assert SearchEngine(backend).search(SearchRequest(text="valve", mode="lexical", k=10)).hits == []
    assert backend.health() == {"backend": "null", "status": "ok", "live": "null", "documents": 0}
    with pytest.raises(ValueError):
        backend.bulk_index([Document("b", {"colour": "red"})])  # not a field of the schema
    with pytest.raises(ValueError):
        backend.knn("nope", np.ones(8), [], 10)


def test_versions_behave_like_a_single_live_one():
    backend = NullBackend(SCHEMA)
    assert backend.create_version() == backend.live_version() == "null"
    backend.promote("null")
    assert [v.name for v in backend.versions()] == ["null"]
    with pytest.raises(BackendError):
        backend.lexical("x", [], 10, version="v2")


def test_the_app_selects_it_by_configuration(tmp_path):
    from matchmaker import create_app
    from matchmaker.search_service import get_search

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k" * 32, "SEARCH_BACKEND": "null",
                      "EMBEDDING_MODEL": "hashing"})
    with app.app_context():
        assert get_search().backend.name == "null"
    assert not (tmp_path / "search-index").exists()
