"""Fusion in our own code: RRF and weighted linear fusion with min-max normalization."""
import pytest

from search.fusion import linear, min_max, rrf


def test_rrf_sums_reciprocal_ranks():
    fused = dict(rrf({"a": [("x", 9), ("y", 8)], "b": [("y", 0.9), ("z", 0.1)]}, k=60))
    assert fused["y"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["x"] == pytest.approx(1 / 61) and fused["z"] == pytest.approx(1 / 62)
    assert [d for d, _ in rrf({"a": [("x", 9), ("y", 8)], "b": [("y", 0.9), ("z", 0.1)]})] == ["y", "x", "z"]


def test_rrf_weights():
    fused = rrf({"a": [("x", 1)], "b": [("y", 1)]}, weights={"a": 1, "b": 2})
    assert [d for d, _ in fused] == ["y", "x"]


def test_min_max():
    assert min_max([("a", 10), ("b", 5), ("c", 0)]) == {"a": 1.0, "b": 0.5, "c": 0.0}
    assert min_max([("a", 3), ("b", 3)]) == {"a": 1.0, "b": 1.0}
    assert min_max([]) == {}


def test_linear_weights_normalized_scores():
    fused = dict(linear({"lex": [("a", 20), ("b", 10), ("c", 0)], "vec": [("c", 0.9), ("b", 0.5), ("a", 0.1)]},
                        {"lex": 1, "vec": 2}))
    assert fused["a"] == pytest.approx(1.0)
    assert fused["b"] == pytest.approx(0.5 + 2 * 0.5)
    assert fused["c"] == pytest.approx(2.0)


def test_linear_does_not_punish_documents_an_encoder_cannot_read():
    lists = {"lex": [("en", 10), ("ko", 10)], "minilm": [("en", 0.9), ("other", 0.1)],
             "usem3": [("ko", 0.8), ("en", 0.4), ("other", 0.0)]}
    weights = {"lex": 1, "minilm": 2, "usem3": 1}
    unfair = dict(linear(lists, weights))
    assert unfair["en"] > unfair["ko"]
    fair = dict(linear(lists, weights, coverage={"minilm": {"en", "other"}}))
    # ko has no MiniLM vector: its lexical and USE scores speak for the whole weight.
    assert fair["ko"] == pytest.approx((1 * 1.0 + 1 * 1.0) * 4 / 2)
    assert fair["en"] == pytest.approx(1 * 1.0 + 2 * 1.0 + 1 * 0.5)
    assert fair["ko"] > fair["en"]
