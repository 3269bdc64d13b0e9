"""Hybrid search over any backend: retrieve, fuse in our code, page, highlight.

Each retriever (BM25, and kNN per encoder) fetches at least ``offset + k``
candidates with the filters applied inside the backend, so the fused page is
stable and a filtered search still fills k hits when k exist.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .backend import SearchBackend
from .documents import Hit, SearchRequest, SearchResult
from .encoders import Encoder
from .fusion import linear, rrf
from .highlight import highlight

LEXICAL = "lexical"


@dataclass(frozen=True)
class RankingConfig:
    """How the retrievers' lists are fused.

    The defaults are neutral (unweighted RRF) for single-retriever use such as
    the index build's verification probe and tests. What the app serves is not
    decided here: it comes from the ranking profile
    (``matchmaker/matching/profiles/``, :meth:`RankingProfile.ranking_config`).
    """

    fusion: str = "rrf"  # or "linear"
    rrf_k: int = 60
    weights: Mapping[str, float] = field(default_factory=dict)  # by retriever: "lexical" or a vector field
    boosts: Mapping[str, float] = field(default_factory=dict)  # BM25 field boosts (empty: the schema's)
    window: int = 100  # candidates per retriever, at least
    max_results: int = 500  # vector and hybrid modes rank everything; stop paging here

    def weight(self, name: str) -> float:
        return self.weights.get(name, 1.0)


@dataclass
class Retrieval:
    """Every retriever's candidates for one query, before fusion (fusing them again with other weights is cheap)."""

    lists: dict[str, list[tuple[str, float]]]  # by retriever: (id, raw score), best first
    lexical_total: int
    vectors: dict[str, np.ndarray]
    version: str | None
    coverage: dict[str, set[str]]  # by vector field: the candidates it has a vector for


@dataclass
class Ranking:
    """All fused candidates of one query, and what produced them."""

    hits: list[Hit]
    lexical_total: int  # documents the lexical retriever matched in all
    vectors: dict[str, np.ndarray]  # the query vector per encoder that was asked
    version: str | None


class SearchEngine:
    """Searches one backend with the given encoders and ranking configuration."""

    def __init__(self, backend: SearchBackend, encoders: Mapping[str, Encoder] | None = None,
                 ranking: RankingConfig | None = None):
        self.backend = backend
        self.encoders = dict(encoders or {})
        self.ranking = ranking or RankingConfig()

    def _vectors(self, request: SearchRequest):
        if request.vectors:
            return request.vectors
        if not request.text.strip():
            return {}
        return {name: encoder.encode_query(request.text) for name, encoder in self.encoders.items()
                if name in self.backend.schema.vectors and self.ranking.weight(name) > 0}

    def rank(self, request: SearchRequest, version: str | None = None) -> Ranking:
        """Every fused candidate of ``request`` (at least ``window`` per retriever), best first, unhighlighted."""
        return self.fuse(self.retrieve(request, version))

    def retrieve(self, request: SearchRequest, version: str | None = None) -> Retrieval:
        """Each retriever's candidates for ``request`` (at least ``window``), with filters applied."""
        version = version or self.backend.live_version()
        n = max(request.offset + request.k, self.ranking.window)
        lists: dict[str, list[tuple[str, float]]] = {}
        lexical_total = 0
        if request.mode in ("lexical", "hybrid") and request.text.strip():
            lists[LEXICAL], lexical_total = self.backend.lexical(request.text, request.filters, n, version,
                                                                 self.ranking.boosts or None)
        vectors = self._vectors(request) if request.mode in ("vector", "hybrid") else {}
        for name, vector in vectors.items():
            lists[name] = self.backend.knn(name, vector, request.filters, n, version)
        coverage = {}
        if self.ranking.fusion == "linear" and len(lists) > 1:
            candidates = sorted({doc_id for ranked in lists.values() for doc_id, _ in ranked})
            coverage = {name: self.backend.covered(name, candidates, version) for name in lists if name != LEXICAL}
        return Retrieval(lists, lexical_total, vectors, version, coverage)

    def fuse(self, retrieval: Retrieval) -> Ranking:
        """``retrieval``'s candidates fused with this engine's weights, best first.

        A retriever weighted 0 adds no candidates and no score, but its rank and
        score are still reported on the hits it also found (the explanation and
        the relevance floor read them).
        """
        lists = {name: ranked for name, ranked in retrieval.lists.items() if self.ranking.weight(name) > 0}
        fused = self._fuse(lists, retrieval.coverage)
        return Ranking(self._hits(fused, retrieval.lists), retrieval.lexical_total,
                       {name: v for name, v in retrieval.vectors.items() if name in lists}, retrieval.version)

    def search(self, request: SearchRequest, version: str | None = None) -> SearchResult:
        """Run ``request`` against ``version`` (the live one by default): one highlighted page."""
        ranking = self.rank(request, version)
        if request.mode == "lexical":
            total = ranking.lexical_total
        else:
            total = min(max(len(ranking.hits), ranking.lexical_total), self.ranking.max_results)
        hits = ranking.hits[request.offset:request.offset + request.k]
        self.highlight(hits, request.text, ranking.version)
        return SearchResult(hits, total, ranking.version)

    def highlight(self, hits: list[Hit], text: str, version: str | None = None) -> None:
        """Mark ``text``'s terms in each hit's stored fields (``hit.highlights``)."""
        if text.strip() and hits:
            sources = self.backend.sources([hit.id for hit in hits], version)
            for hit in hits:
                hit.highlights = highlight(sources.get(hit.id, {}), text)

    def _fuse(self, lists: dict[str, list[tuple[str, float]]], coverage) -> list[tuple[str, float]]:
        if not lists:
            return []
        if len(lists) == 1:
            return next(iter(lists.values()))
        if self.ranking.fusion == "linear":
            coverage = {name: coverage[name] for name in lists if name in coverage}
            return linear(lists, {name: self.ranking.weight(name) for name in lists}, coverage)
        return rrf(lists, self.ranking.rrf_k, {name: self.ranking.weight(name) for name in lists})

    @staticmethod
    def _hits(fused, lists) -> list[Hit]:
        positions = {name: {doc_id: (rank, score) for rank, (doc_id, score) in enumerate(ranked, 1)}
                     for name, ranked in lists.items()}
        hits = []
        for rank, (doc_id, score) in enumerate(fused, start=1):
            hit = Hit(doc_id, score, rank)
            for name, found in positions.items():
                if doc_id not in found:
                    continue
                at, raw = found[doc_id]
                if name == LEXICAL:
                    hit.lexical_rank, hit.lexical_score = at, raw
                else:
                    hit.vector_ranks[name], hit.vector_scores[name] = at, raw
            hits.append(hit)
        return hits
