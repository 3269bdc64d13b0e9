"""Fusing ranked lists in our own code (Elasticsearch's RRF and linear retrievers need a paid licence)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

Ranked = Sequence[tuple[str, float]]  # (id, score), best first


def rrf(lists: Mapping[str, Ranked], k: int = 60, weights: Mapping[str, float] | None = None) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: score = sum of weight / (k + rank), rank counted from 1."""
    scores: dict[str, float] = {}
    for name, ranked in lists.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, (doc_id, _) in enumerate(ranked, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def min_max(ranked: Ranked) -> dict[str, float]:
    """Scores scaled to 0..1 within one list (all 1.0 when every score is equal)."""
    if not ranked:
        return {}
    values = [score for _, score in ranked]
    low, high = min(values), max(values)
    if high == low:
        return {doc_id: 1.0 for doc_id, _ in ranked}
    return {doc_id: (score - low) / (high - low) for doc_id, score in ranked}


def linear(lists: Mapping[str, Ranked], weights: Mapping[str, float],
           coverage: Mapping[str, set[str]] | None = None) -> list[tuple[str, float]]:
    """Weighted sum of min-max normalized scores; a list that misses a document adds 0 for it.

    ``coverage`` names, per list, the documents it could have scored at all (an
    English-only encoder has no vector for a Korean-only profile). A document
    outside some lists' coverage has its sum scaled by total weight / weight
    of the lists that cover it, so it is not ranked down for a language gap.
    Lists without an entry cover every document.
    """
    scores: dict[str, float] = {}
    for name, ranked in lists.items():
        weight = weights.get(name, 0.0)
        for doc_id, normalized in min_max(ranked).items():
            scores[doc_id] = scores.get(doc_id, 0.0) + weight * normalized
    if coverage:
        total = sum(weights.get(name, 0.0) for name in lists)
        for doc_id in scores:
            available = sum(weights.get(name, 0.0) for name in lists
                            if name not in coverage or doc_id in coverage[name])
            if 0 < available < total:
                scores[doc_id] *= total / available
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
