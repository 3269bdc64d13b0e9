"""Our ranking metrics agree with a maintained reference implementation (ir-measures over pytrec_eval)."""
import random

import ir_measures
import pytest
from ir_measures import RR, R, Qrel, ScoredDoc, nDCG

from search.metrics import ndcg, recall, reciprocal_rank

GAINS = {0: 0, 1: 1, 2: 3, 3: 7}  # 2**grade - 1, the data contract's grades


def reference(measure, ranked, grades):
    qrels = [Qrel("q", doc, grade) for doc, grade in grades.items()]
    # Scores strictly decreasing by rank, so the reference ranks exactly as we do (no tie-breaking by id).
    run = [ScoredDoc("q", doc, float(len(ranked) - i)) for i, doc in enumerate(ranked)]
    return ir_measures.calc_aggregate([measure], qrels, run)[measure] if run else 0.0


def random_case(rng):
    docs = [f"d{i}" for i in range(40)]
    grades = {doc: rng.choice([0, 0, 0, 1, 2, 3]) for doc in rng.sample(docs, rng.randint(1, 25))}
    ranked = rng.sample(docs, rng.randint(1, 40))
    return ranked, grades


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("k", [1, 5, 10, 50])
def test_ndcg_recall_and_mrr_match_ir_measures(seed, k):
    rng = random.Random(seed)
    ranked, grades = random_case(rng)
    best = max(grades.values())
    assert ndcg(ranked, grades, k) == pytest.approx(reference(nDCG(gains=GAINS) @ k, ranked, grades), abs=1e-9)
    if best > 0:  # recall and MRR count the documents with the best grade given
        assert recall(ranked, grades, k) == pytest.approx(reference(R(rel=best) @ k, ranked, grades), abs=1e-9)
        assert reciprocal_rank(ranked, grades) == pytest.approx(reference(RR(rel=best), ranked, grades), abs=1e-9)
        assert reciprocal_rank(ranked, grades, k) == pytest.approx(reference(RR(rel=best) @ k, ranked, grades),
                                                                   abs=1e-9)
    else:
        assert ndcg(ranked, grades, k) == 0 and recall(ranked, grades, k) == 0 and reciprocal_rank(ranked, grades) == 0


def test_a_perfect_ranking_scores_one_and_an_empty_one_zero():
    grades = {"a": 3, "b": 2, "c": 0}
    assert ndcg(["a", "b", "c"], grades) == 1.0
    assert ndcg([], grades) == 0.0 and recall([], grades) == 0.0 and reciprocal_rank([], grades) == 0.0
    assert ndcg(["b", "a"], grades) < 1.0
