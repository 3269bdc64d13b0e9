"""Ranking quality metrics over graded judgments (data contract: grades 0-3; unjudged counts as 0)."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

K = 10


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    """Normalized discounted cumulative gain at ``k`` (exponential gain ``2**grade - 1``); 0 without positives."""
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    """Share of the fully relevant documents (the best grade given) found in the top ``k``."""
    best = max(grades.values(), default=0)
    relevant = {d for d, g in grades.items() if g == best and g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int], k: int | None = None) -> float:
    """1 / the rank of the first document with the best grade given (0 when none is in the top ``k``)."""
    best = max(grades.values(), default=0)
    for i, d in enumerate(ranked[:k] if k else ranked):
        if best > 0 and grades.get(d, 0) == best:
            return 1.0 / (i + 1)
    return 0.0
