"""Elasticsearch mappings and request bodies, as plain data (unit-tested without a cluster).

Text fields use the built-in ``cjk`` analyzer, which :mod:`search.analysis`
mirrors. Vectors are ``dense_vector`` with explicit ``index_options``
(``int8_hnsw``: since 9.1 a 384-dimension field would otherwise default to
1-bit ``bbq_hnsw``) and ``dot_product`` similarity on normalized vectors.

With synonyms, text fields keep ``cjk`` for indexing and search with
``cjk_synonyms``: the same chain rebuilt as a custom analyzer (standard
tokenizer, cjk_width, lowercase, cjk_bigram, the cjk stop words) ending in a
``synonym_graph`` filter with the rules inline. Query time only, so documents
are indexed as written; multi-word synonyms become phrase queries (the
match query's ``auto_generate_synonyms_phrase_query``), as the embedded
backend adds them as FTS5 phrases.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..analysis import STOP_WORDS
from ..documents import Document, Filter, IndexSchema, digest

ANALYZER = "cjk"
SEARCH_ANALYZER = "cjk_synonyms"  # cjk plus synonym_graph, for queries only
SYNONYM_FILTER = "ko_en_synonyms"
INDEX_OPTIONS = {"type": "int8_hnsw", "m": 16, "ef_construction": 100}
SIMILARITY = "dot_product"  # vectors are L2-normalized, so this is cosine
MAX_CANDIDATES = 10_000  # Elasticsearch's ceiling for num_candidates


def mapping(schema: IndexSchema, index_options: dict | None = None, search_analyzer: str | None = None) -> dict:
    """The index mapping for ``schema``: strict, vectors kept out of ``_source``.

    Text fields are indexed with ``cjk`` and, when ``search_analyzer`` is given, searched with it.
    """
    properties: dict[str, dict] = {"id": {"type": "keyword"}}
    for name in schema.text_fields:
        properties[name] = {"type": "text", "analyzer": ANALYZER}
        if search_analyzer:
            properties[name]["search_analyzer"] = search_analyzer
    for name in schema.keyword_fields:
        properties[name] = {"type": "keyword"}
    for name in schema.numeric_fields:
        properties[name] = {"type": "double"}
    for name, dims in schema.vectors.items():
        properties[name] = {"type": "dense_vector", "dims": dims, "index": True, "similarity": SIMILARITY,
                            "index_options": dict(index_options or INDEX_OPTIONS)}
    return {"dynamic": "strict", "_source": {"excludes": list(schema.vectors)}, "properties": properties}


def synonym_analysis(rules: Sequence[str]) -> dict:
    """``analysis`` settings defining :data:`SEARCH_ANALYZER` with ``rules`` (Solr format) inline."""
    return {
        "filter": {
            "cjk_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
            # lenient: a rule whose words all analyze away (stop words) is skipped, not fatal to the index.
            SYNONYM_FILTER: {"type": "synonym_graph", "synonyms": list(rules), "lenient": True},
        },
        "analyzer": {SEARCH_ANALYZER: {
            "type": "custom", "tokenizer": "standard",
            # The synonym filter comes last, so its rules are analyzed by the whole cjk chain before it.
            "filter": ["cjk_width", "lowercase", "cjk_bigram", "cjk_stop", SYNONYM_FILTER]}},
    }


def build_settings(shards: int = 1, synonyms: Sequence[str] | None = None) -> dict:
    """Settings while bulk loading: no replicas, no refresh (restored before the alias swap), and synonyms if any."""
    settings: dict = {"number_of_shards": shards, "number_of_replicas": 0, "refresh_interval": "-1"}
    if synonyms:
        settings["analysis"] = synonym_analysis(synonyms)
    return settings


def serving_settings(replicas: int) -> dict:
    """Settings for a version about to serve."""
    return {"index": {"number_of_replicas": replicas, "refresh_interval": "1s"}}


def source(doc: Document) -> dict:
    """A document's ``_source`` (vectors included for indexing; the mapping drops them from storage)."""
    body: dict = {"id": doc.id, **doc.text}
    body.update({name: list(values) for name, values in doc.keywords.items()})
    body.update({name: float(value) for name, value in doc.numbers.items() if value is not None})
    body.update({name: np.asarray(vector, dtype=np.float32).tolist() for name, vector in doc.vectors.items()})
    return body


def source_digest(stored: Mapping, schema: IndexSchema) -> str:
    """The content digest (:func:`search.documents.digest`) of a stored ``_source``, as :func:`source` wrote it."""
    return digest({name: stored[name] for name in schema.text_fields if name in stored},
                  {name: stored[name] for name in schema.keyword_fields if name in stored},
                  {name: stored[name] for name in schema.numeric_fields if name in stored})


def index_action(index: str, doc: Document) -> dict:
    """A bulk ``index`` action."""
    return {"_op_type": "index", "_index": index, "_id": doc.id, "_source": source(doc)}


def filter_clauses(filters: Sequence[Filter], schema: IndexSchema) -> list[dict]:
    """``bool.filter`` clauses for ``filters``."""
    clauses = []
    for item in filters:
        if item.kind in ("term", "terms"):
            if item.field not in schema.keyword_fields:
                raise ValueError(f"cannot filter on {item.field!r}: not a keyword field")
            clauses.append({"term": {item.field: item.values[0]}} if item.kind == "term"
                           else {"terms": {item.field: list(item.values)}})
        else:
            if item.field not in schema.numeric_fields:
                raise ValueError(f"cannot filter on {item.field!r}: not a numeric field")
            bounds = {key: value for key, value in (("gte", item.gte), ("lte", item.lte)) if value is not None}
            clauses.append({"range": {item.field: bounds}})
    return clauses


def lexical_body(text: str, filters: Sequence[Filter], n: int, schema: IndexSchema,
                 boosts: Mapping[str, float] | None = None) -> dict:
    """BM25 over the text fields with their boosts (``boosts`` or the schema's), summed per field."""
    boosts = boosts or {}
    fields = [f"{name}^{boosts.get(name, weight):g}" for name, weight in schema.text_fields.items()]
    return {
        "size": n,
        "track_total_hits": True,
        "_source": False,
        "query": {"bool": {
            "must": [{"multi_match": {"query": text, "fields": fields, "type": "most_fields"}}],
            "filter": filter_clauses(filters, schema),
        }},
        "sort": [{"_score": "desc"}, {"id": "asc"}],
    }


def knn_body(field: str, vector, filters: Sequence[Filter], n: int, schema: IndexSchema) -> dict:
    """Approximate kNN with the filters inside the knn clause (pre-filtering, so k hits when k exist)."""
    knn = {"field": field, "query_vector": np.asarray(vector, dtype=np.float32).tolist(), "k": n,
           "num_candidates": min(MAX_CANDIDATES, max(100, 2 * n))}
    clauses = filter_clauses(filters, schema)
    if clauses:
        knn["filter"] = {"bool": {"filter": clauses}}
    return {"knn": knn, "size": n, "_source": False}


def covered_body(field: str, ids: Sequence[str]) -> dict:
    """The documents among ``ids`` that have a vector in ``field``."""
    return {"size": len(ids), "_source": False,
            "query": {"bool": {"filter": [{"ids": {"values": list(ids)}}, {"exists": {"field": field}}]}}}


def cosine(score: float) -> float:
    """Elasticsearch scores dot_product as (1 + dot) / 2; turn that back into the cosine."""
    return 2.0 * score - 1.0


def alias_actions(alias: str, old: str | None, new: str) -> list[dict]:
    """One ``_aliases`` request that moves ``alias`` from ``old`` to ``new`` atomically."""
    actions = [{"add": {"index": new, "alias": alias}}]
    if old and old != new:
        actions.insert(0, {"remove": {"index": old, "alias": alias}})
    return actions
