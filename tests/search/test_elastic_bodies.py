"""The Elasticsearch backend's mappings and request bodies, checked without a cluster."""
import numpy as np
import pytest

from search.analysis import STOP_WORDS
from search.backend import BackendError
from search.documents import Document, Filter
from search.elastic import ElasticsearchBackend, bodies
from search.synonyms import Synonyms
from tests.search.conftest import SCHEMA


def test_mapping_fields_analyzer_and_vectors():
    mapping = bodies.mapping(SCHEMA)
    props = mapping["properties"]
    assert mapping["dynamic"] == "strict"
    assert props["name"] == {"type": "text", "analyzer": "cjk"}
    assert props["industry"] == {"type": "keyword"} and props["moq"] == {"type": "double"}
    assert props["vec"] == {"type": "dense_vector", "dims": 8, "index": True, "similarity": "dot_product",
                            "index_options": {"type": "int8_hnsw", "m": 16, "ef_construction": 100}}
    assert mapping["_source"] == {"excludes": ["vec"]}


def test_index_options_can_be_chosen():
    props = bodies.mapping(SCHEMA, {"type": "bbq_hnsw"})["properties"]
    assert props["vec"]["index_options"] == {"type": "bbq_hnsw"}


def test_build_and_serving_settings():
    assert bodies.build_settings() == {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"}
    assert bodies.serving_settings(1) == {"index": {"number_of_replicas": 1, "refresh_interval": "1s"}}


def test_index_action_source():
    doc = Document("s1", {"name": "대성"}, {"industry": ["auto-parts"]}, {"moq": 5}, {"vec": np.ones(8)})
    action = bodies.index_action("idx", doc)
    assert action["_op_type"] == "index" and action["_index"] == "idx" and action["_id"] == "s1"
    assert action["_source"] == {"id": "s1", "name": "대성", "industry": ["auto-parts"], "moq": 5.0,
                                 "vec": [1.0] * 8}


def test_lexical_body_boosts_filters_and_tie_break():
    body = bodies.lexical_body("brake pads", (Filter.term("industry", "auto-parts"), Filter.range("moq", lte=500)),
                               20, SCHEMA)
    assert body["size"] == 20 and body["track_total_hits"] is True and body["_source"] is False
    assert body["query"]["bool"]["must"] == [{"multi_match": {
        "query": "brake pads", "fields": ["name^3", "products^2", "description^1"], "type": "most_fields"}}]
    assert body["query"]["bool"]["filter"] == [{"term": {"industry": "auto-parts"}},
                                              {"range": {"moq": {"lte": 500}}}]
    assert body["sort"] == [{"_score": "desc"}, {"id": "asc"}]


def test_lexical_body_takes_the_profiles_field_boosts():
    body = bodies.lexical_body("brake", (), 5, SCHEMA, boosts={"name": 0.5, "description": 4.0})
    assert body["query"]["bool"]["must"][0]["multi_match"]["fields"] == ["name^0.5", "products^2", "description^4"]


def test_knn_body_puts_filters_inside_the_knn_clause():
    body = bodies.knn_body("vec", np.arange(8), (Filter.terms("certifications", ["ISO 9001", "UL"]),), 10, SCHEMA)
    knn = body["knn"]
    assert knn["field"] == "vec" and knn["k"] == 10 and knn["num_candidates"] == 100
    assert knn["query_vector"] == [float(i) for i in range(8)]
    assert knn["filter"] == {"bool": {"filter": [{"terms": {"certifications": ["ISO 9001", "UL"]}}]}}
    assert "query" not in body  # a post-filter would return fewer than k hits
    assert "filter" not in bodies.knn_body("vec", np.ones(8), (), 10, SCHEMA)["knn"]
    assert bodies.knn_body("vec", np.ones(8), (), 9000, SCHEMA)["knn"]["num_candidates"] == 10_000


def test_unknown_filter_fields_are_refused():
    with pytest.raises(ValueError, match="not a keyword field"):
        bodies.filter_clauses((Filter.term("colour", "red"),), SCHEMA)
    with pytest.raises(ValueError, match="not a numeric field"):
        bodies.filter_clauses((Filter.range("industry", gte=1),), SCHEMA)


def test_alias_swap_is_one_request_with_remove_and_add():
    assert bodies.alias_actions("mm", "mm-v1", "mm-v2") == [
        {"remove": {"index": "mm-v1", "alias": "mm"}}, {"add": {"index": "mm-v2", "alias": "mm"}}]
    assert bodies.alias_actions("mm", None, "mm-v1") == [{"add": {"index": "mm-v1", "alias": "mm"}}]


def test_dot_product_scores_become_cosines():
    assert bodies.cosine(1.0) == 1.0 and bodies.cosine(0.5) == 0.0 and bodies.cosine(0.0) == -1.0


def test_an_unreachable_cluster_is_a_clear_error():
    backend = ElasticsearchBackend("http://127.0.0.1:9", SCHEMA, timeout=2)
    with pytest.raises(BackendError, match="cannot reach Elasticsearch at http://127.0.0.1:9"):
        backend.health()
    with pytest.raises(BackendError, match="cannot reach Elasticsearch"):
        backend.lexical("brake", (), 10)
    backend.close()


def test_covered_body_filters_ids_by_vector_presence():
    assert bodies.covered_body("minilm", ["a", "b"]) == {
        "size": 2, "_source": False,
        "query": {"bool": {"filter": [{"ids": {"values": ["a", "b"]}}, {"exists": {"field": "minilm"}}]}}}


def test_synonyms_are_a_search_time_analyzer_mirroring_cjk():
    analysis = bodies.synonym_analysis(["사출성형, injection molding", "스뎅 => 스뎅, 스테인리스"])
    analyzer = analysis["analyzer"]["cjk_synonyms"]
    assert analyzer == {"type": "custom", "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram", "cjk_stop", "ko_en_synonyms"]}
    assert analysis["filter"]["ko_en_synonyms"] == {
        "type": "synonym_graph", "synonyms": ["사출성형, injection molding", "스뎅 => 스뎅, 스테인리스"], "lenient": True}
    stop = analysis["filter"]["cjk_stop"]
    assert stop["type"] == "stop" and {"the", "and", "www"} <= set(stop["stopwords"])
    assert stop["stopwords"] == sorted(STOP_WORDS)  # one list for both backends


def test_mapping_searches_with_synonyms_but_indexes_with_cjk():
    props = bodies.mapping(SCHEMA, search_analyzer="cjk_synonyms")["properties"]
    assert props["name"] == {"type": "text", "analyzer": "cjk", "search_analyzer": "cjk_synonyms"}
    assert props["industry"] == {"type": "keyword"}
    assert "search_analyzer" not in bodies.mapping(SCHEMA)["properties"]["name"]


def test_build_settings_carry_the_analysis_only_with_synonyms():
    settings = bodies.build_settings(synonyms=["a, b"])
    assert settings["number_of_replicas"] == 0 and settings["refresh_interval"] == "-1"
    assert settings["analysis"]["filter"]["ko_en_synonyms"]["synonyms"] == ["a, b"]
    assert "analysis" not in bodies.build_settings(synonyms=[])


class _Indices:
    def __init__(self):
        self.created = []

    def create(self, **kwargs):
        self.created.append(kwargs)


class _Client:
    def __init__(self):
        self.indices = _Indices()


@pytest.mark.parametrize("with_synonyms", [True, False])
def test_new_versions_get_the_shipped_synonyms(with_synonyms):
    client = _Client()
    synonyms = Synonyms.load() if with_synonyms else None
    backend = ElasticsearchBackend("http://unused", SCHEMA, "mm", client=client, synonyms=synonyms)
    name = backend.create_version()
    (request,) = client.indices.created
    assert request["index"] == name and name.startswith("mm-v")
    if with_synonyms:
        rules = request["settings"]["analysis"]["filter"]["ko_en_synonyms"]["synonyms"]
        assert rules == synonyms.solr_lines() and len(rules) >= 400
        assert request["mappings"]["properties"]["description"]["search_analyzer"] == "cjk_synonyms"
    else:
        assert "analysis" not in request["settings"]
        assert "search_analyzer" not in request["mappings"]["properties"]["description"]


def test_the_digest_of_a_stored_source_is_the_documents():
    """What bulk indexing sends, read back as _source (vectors excluded by the mapping), digests alike."""
    doc = Document("s1", {"name": "대성정밀", "products": "브레이크 패드"},
                   {"industry": ["auto-parts"], "certifications": ["ISO 9001", "IATF 16949"]},
                   {"smart_factory_level": 4, "moq": 500}, {"vec": np.ones(8, dtype=np.float32)})
    stored = {key: value for key, value in bodies.source(doc).items() if key != "vec"}
    assert bodies.source_digest(stored, SCHEMA) == doc.digest
    stored["moq"] = 501.0
    assert bodies.source_digest(stored, SCHEMA) != doc.digest
