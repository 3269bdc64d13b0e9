"""Explanations: the matched line by words or by meaning, English terms for Korean lines, one short line."""
from types import SimpleNamespace

import numpy as np

from matchmaker.matching.explain import (MEANING, WORDS, Explanation, Line, best_by_meaning, best_by_words,
                                         has_hangul, lines_of)
from matchmaker.matching.fit import MET, MISSING, INFO, Signal
from search.analysis import analyze


def supplier():
    products = [SimpleNamespace(name="brake pads", hs_code="8708.30", moq=500, unit="pcs", lead_time_days=30,
                                unit_price_usd=2.5),
                SimpleNamespace(name="자동차 와이어 하네스", hs_code=None, moq=None, unit=None, lead_time_days=None,
                                unit_price_usd=None)]
    return SimpleNamespace(products=products, capabilities=["5-axis CNC machining", ""])


def test_lines_are_products_then_capabilities_without_blanks():
    lines = lines_of(supplier())
    assert [(line.kind, line.text) for line in lines] == [
        ("product", "brake pads"), ("product", "자동차 와이어 하네스"), ("capability", "5-axis CNC machining")]


def test_best_by_words_picks_the_line_sharing_most_query_terms():
    lines = lines_of(supplier())
    line, overlap = best_by_words(lines, frozenset(analyze("ceramic brake pads for trucks")))
    assert line.text == "brake pads" and overlap == 2
    line, _ = best_by_words(lines, frozenset(analyze("와이어 하네스 조립")))
    assert line.text == "자동차 와이어 하네스"
    assert best_by_words(lines, frozenset(analyze("kimchi"))) == (None, 0)


def test_best_by_meaning_picks_the_closest_embedding():
    lines = lines_of(supplier())
    vectors = np.eye(3, dtype=np.float32)
    line, similarity = best_by_meaning(lines, vectors, np.array([0.1, 0.9, 0.1], dtype=np.float32))
    assert line.text == "자동차 와이어 하네스" and similarity == np.float32(0.9)
    assert best_by_meaning([], np.zeros((0, 3)), np.ones(3)) == (None, 0.0)


def test_summary_reads_as_one_line_for_a_buyer():
    lines = lines_of(supplier())
    explanation = Explanation(lines[0], WORDS, signals=[
        Signal("certifications", -0.5, MISSING, "has ISO 9001, no IATF 16949",
               {"met": ["ISO 9001"], "pending": [], "missing": ["IATF 16949"]}),
        Signal("moq", 0.0, MET, "MOQ 500 pcs fits your 1,000"),
        Signal("smart_factory", 0.03, INFO, "smart-factory level 3")])
    assert explanation.summary == "Makes brake pads · has ISO 9001, no IATF 16949 · MOQ 500 pcs fits your 1,000"
    data = explanation.as_dict()
    assert data["matched"]["hs_code"] == "8708.30" and data["matched"]["hs_description"]
    assert data["matched"]["moq"] == 500 and data["matched"]["how"] == WORDS
    assert data["certifications"]["missing"] == ["IATF 16949"]
    assert [s["name"] for s in data["signals"]] == ["certifications", "moq", "smart_factory"]


def test_a_korean_line_found_by_meaning_shows_english_terms():
    line = lines_of(supplier())[1]
    explanation = Explanation(line, MEANING, similarity=0.61, english=["wire harness"])
    assert explanation.summary == "Closest product: 자동차 와이어 하네스 (wire harness)"
    assert explanation.as_dict()["matched"]["similarity"] == 0.61


def test_without_a_matched_line_the_summary_still_says_something():
    assert Explanation().summary == "Related to your request"
    assert Explanation(Line("capability", "anodizing"), WORDS).summary == "Offers anodizing"
    assert Explanation(Line("capability", "anodizing"), MEANING).summary == "Closest capability: anodizing"
    assert has_hangul("ISO 9001 인증") and not has_hangul("ISO 9001")


def test_a_product_is_named_before_a_capability_that_shares_about_as_many_words():
    row = SimpleNamespace(products=[SimpleNamespace(name="hydraulic cylinders", hs_code=None, moq=24, unit="pcs",
                                                    lead_time_days=None, unit_price_usd=None)],
                          capabilities=["hard chrome plating"])
    terms = frozenset(analyze("hydraulic cylinders with hard chrome plating"))
    line, _ = best_by_words(lines_of(row), terms)
    assert line.kind == "product"
    line, _ = best_by_words(lines_of(row), frozenset(analyze("hard chrome plating of piston rods")))
    assert line.kind == "capability"
