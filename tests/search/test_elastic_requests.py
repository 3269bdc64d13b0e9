"""The Elasticsearch backend's requests, sent through the real client to a recording node.

No cluster is needed: a node class stands in for the HTTP layer, answering
each endpoint like Elasticsearch 8 does and keeping what was sent. What the
cluster itself does with these requests is the contract suite's job when
MATCHMAKER_TEST_ELASTICSEARCH_URL is set.
"""
import json
import re

import numpy as np
import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node._base import NodeApiResponse
from elasticsearch import Elasticsearch

from search.documents import Document, Filter, SearchRequest
from search.elastic import ElasticsearchBackend
from search.engine import SearchEngine
from tests.search.conftest import SCHEMA

SENT: list[tuple[str, str, object]] = []


class RecordingNode(BaseNode):
    """Answers like a one-node cluster holding whatever was bulk-indexed; records every request."""

    docs: dict[str, dict] = {}
    alias: dict[str, str] = {}
    meta: dict[str, dict] = {}

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        path = target.split("?")[0]
        if body and path.endswith("_bulk"):
            parsed = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        else:
            parsed = json.loads(body) if body else None
        SENT.append((method, target, parsed))
        status, answer = 200, {"acknowledged": True}
        if path.endswith("/_bulk"):
            items = []
            for action, source in zip(parsed[::2], parsed[1::2]):
                meta = action["index"]
                self.docs[meta["_id"]] = source
                items.append({"index": {"_index": meta["_index"], "_id": meta["_id"], "status": 201,
                                        "result": "created"}})
            answer = {"took": 1, "errors": False, "items": items}
        elif path.startswith("/_alias/"):
            name = path.rsplit("/", 1)[1]
            status, answer = (200, {self.alias[name]: {"aliases": {name: {}}}}) if name in self.alias else (
                404, {"error": "alias missing", "status": 404})
        elif path == "/_aliases":
            for action in parsed["actions"]:
                if "add" in action:
                    self.alias[action["add"]["alias"]] = action["add"]["index"]
        elif path.endswith("/_count"):
            answer = {"count": len(self.docs)}
        elif path == "/_search/scroll":  # every scroll here fits in its first page
            answer = {"_scroll_id": "s1", "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                      "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
        elif path.endswith("/_search"):
            ids = sorted(self.docs)
            hits = [{"_id": i, "_score": 0.75, "sort": [2.0, i]} for i in ids[:(parsed or {}).get("size", 10)]]
            answer = {"hits": {"total": {"value": len(ids), "relation": "eq"}, "hits": hits}}
            if "scroll=" in target:
                answer.update(_scroll_id="s1", _shards={"total": 1, "successful": 1, "skipped": 0, "failed": 0})
        elif path.endswith("/_mget"):
            answer = {"docs": [{"_id": i, "found": True, "_source": {"name": self.docs[i].get("name", "")}}
                               for i in parsed["ids"]]}
        elif path.endswith("/_mapping"):
            index = path.strip("/").split("/")[0]
            if method == "PUT":
                self.meta[index] = parsed["_meta"]
            else:
                answer = {index: {"mappings": {"_meta": self.meta.get(index, {})}}}
        elif path == "/_reindex":
            answer = {"took": 1, "total": len(self.docs), "created": len(self.docs), "failures": []}
        elif path == "/_cluster/health":
            answer = {"status": "green"}
        meta = ApiResponseMeta(status=status, http_version="1.1", duration=0.0, node=self.config,
                               headers=HttpHeaders({"x-elastic-product": "Elasticsearch",
                                                    "content-type": "application/json"}))
        return NodeApiResponse(meta, json.dumps(answer).encode())


@pytest.fixture
def backend():
    SENT.clear()
    RecordingNode.docs, RecordingNode.alias, RecordingNode.meta = {}, {}, {}
    client = Elasticsearch("http://es.invalid:9200", node_class=RecordingNode)
    return ElasticsearchBackend("http://es.invalid:9200", SCHEMA, prefix="mm", client=client)


def sent(method, pattern):
    return [body for m, target, body in SENT if re.fullmatch(method, m) and re.search(pattern, target)]


def test_build_swap_and_search_send_the_documented_requests(backend):
    assert backend.live_version() is None
    version = backend.create_version()
    assert re.fullmatch(r"mm-v\d{20}-[0-9a-f]{6}", version)
    created = sent("PUT", rf"^/{version}$")[0]
    assert created["mappings"]["properties"]["vec"]["index_options"]["type"] == "int8_hnsw"
    assert created["settings"] == {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"}

    docs = [Document(f"d{i}", {"name": f"maker {i}"}, {"industry": ["food"]}, {"moq": i}, {"vec": np.ones(8)})
            for i in range(3)]
    assert backend.bulk_index(docs, version) == 3
    bulk = sent("PUT|POST", r"/_bulk")[0]
    assert bulk[0] == {"index": {"_index": version, "_id": "d0"}} and bulk[1]["vec"] == [1.0] * 8
    assert sent("POST", rf"^/{version}/_refresh")

    backend.promote(version)
    assert sent("PUT", rf"^/{version}/_settings")[0] == {"index": {"number_of_replicas": 0, "refresh_interval": "1s"}}
    assert sent("POST", r"^/_aliases")[0] == {"actions": [{"add": {"index": version, "alias": "mm"}}]}
    assert sent("PUT", rf"^/{version}/_mapping")[0] == {"_meta": {"promoted": True}}
    assert backend.live_version() == version and backend.count() == 3

    result = SearchEngine(backend).search(SearchRequest(
        text="maker", vectors={"vec": np.ones(8)}, filters=(Filter.term("industry", "food"),), mode="hybrid", k=2))
    assert [hit.id for hit in result.hits] == ["d0", "d1"]
    assert result.hits[0].vector_scores["vec"] == pytest.approx(0.5)  # (1 + cos) / 2 = 0.75 back to cos
    # One search reads one version: the engine resolves the alias once, then names the index.
    searches = sent("POST", rf"^/{version}/_search")
    lexical = next(body for body in searches if "query" in body and "knn" not in body and "size" in body
                   and body.get("track_total_hits"))
    assert lexical["query"]["bool"]["filter"] == [{"term": {"industry": "food"}}]
    knn = next(body for body in searches if "knn" in body)
    assert knn["knn"]["filter"] == {"bool": {"filter": [{"term": {"industry": "food"}}]}}
    assert sent("POST", rf"^/{version}/_mget")[0] == {"ids": ["d0", "d1"]}

    second = backend.create_version()
    backend.promote(second)
    assert sent("POST", r"^/_aliases")[-1] == {"actions": [{"remove": {"index": version, "alias": "mm"}},
                                                          {"add": {"index": second, "alias": "mm"}}]}


def test_an_incremental_build_copies_the_live_index_inside_the_cluster_and_keeps_its_meta(backend):
    live = backend.create_version()
    backend.bulk_index([Document("d1", {"name": "maker"}), Document("d2", {"name": "maker"})], live)
    backend.set_build_info(live, {"fingerprint": "abc", "since": "2026-11-22T00:00:00+00:00"})
    backend.promote(live)
    # promote merged its flag into the mapping's _meta: the build info is still there
    assert sent("PUT", rf"^/{live}/_mapping")[-1] == {"_meta": {
        "build": {"fingerprint": "abc", "since": "2026-11-22T00:00:00+00:00"}, "promoted": True}}
    assert backend.build_info(live) == {"fingerprint": "abc", "since": "2026-11-22T00:00:00+00:00"}

    copy = backend.copy_version(live)
    assert copy != live and sent("PUT", rf"^/{copy}$")  # created with the mapping first
    assert sent("POST", r"^/_reindex")[0] == {"source": {"index": live}, "dest": {"index": copy}}
    reindex_target = next(target for method, target, _ in SENT if target.startswith("/_reindex"))
    assert "wait_for_completion=true" in reindex_target and "refresh=true" in reindex_target
    assert backend.build_info(copy) == {}  # a copy is not a finished build until its own run says so
    assert backend.doc_ids(live) == {"d1", "d2"}
    scan = sent("POST", rf"^/{live}/_search")[-1]
    assert scan["query"] == {"match_all": {}} and scan["_source"] is False
