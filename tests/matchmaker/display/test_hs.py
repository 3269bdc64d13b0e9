"""HS codes described in English from the packaged HS 2022 nomenclature."""
from importlib.resources import files

import pytest

from matchmaker.display.hs import MAX_CHARS, hs_description, hs_descriptions, shorten

PARTS = "Vehicle parts and accessories; n.e.c. in heading no. 8708"


@pytest.mark.parametrize("code", ["8708.99", "870899", "8708.99.10", " 8708 99 "])
def test_a_subheading_in_any_usual_spelling(code):
    assert hs_description(code) == PARTS


def test_shorter_codes_give_the_heading_or_chapter():
    assert hs_description("8708") == "Motor vehicles; parts and accessories, of heading no. 8701 to 8705"
    assert hs_description("87").startswith("Vehicles; other than railway")


def test_a_subheading_the_nomenclature_lacks_falls_back_to_its_heading():
    assert "902780" not in hs_descriptions()  # split into 9027.81 and 9027.89 in HS 2022
    assert hs_description("9027.80") == hs_description("9027")


@pytest.mark.parametrize("code", ["0000.00", "77", "8", "", None, "abc", "HS 8708"])
def test_unknown_or_malformed_codes_have_no_description(code):
    assert hs_description(code) is None


def test_long_descriptions_are_shortened_unless_asked_for_in_full():
    full = hs_description("3304.99", max_chars=None)
    short = hs_description("3304.99")
    assert len(full) > MAX_CHARS >= len(short)
    assert short.endswith("…") and full.startswith(short[:-1])


def test_shortening_never_ends_on_a_dangling_word_or_an_open_parenthesis():
    for text in hs_descriptions().values():
        short = shorten(text, MAX_CHARS)
        assert len(short) <= MAX_CHARS
        if short != text:
            assert short.rsplit(" ", 1)[-1].rstrip("…)") not in {"of", "or", "and", "with", "the"}
            assert short.rfind("(") <= short.rfind(")")  # a count would trip on the source's own typos


def test_shorten_cuts_at_a_clause_when_that_keeps_most_of_the_text():
    assert shorten("Widgets; of steel, for pipes, tanks or vats, whether or not fitted", 50) == \
        "Widgets; of steel, for pipes, tanks or vats…"
    assert shorten("Gears; (not toothed wheels or other parts presented separately)", 40) == \
        "Gears; (not toothed wheels…)"


def test_the_nomenclature_is_package_data_with_its_attribution():
    data = files("matchmaker.display").joinpath("data")
    assert data.joinpath("ATTRIBUTION.md").read_text(encoding="utf-8").count("PDDL") >= 1
    assert len(hs_descriptions()) > 6000
