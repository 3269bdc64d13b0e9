"""Highlights mark query terms in the original text and never let its HTML through."""
from search.highlight import fragment, highlight, spans


def test_spans_merge_overlapping_bigrams():
    assert spans("스마트공장을 운영", {"공장", "장을"}) == [(3, 6)]


def test_html_in_the_text_is_escaped():
    out = highlight({"description": "<script>alert(1)</script> brake pads"}, "brake")
    assert out == {"description": ["&lt;script&gt;alert(1)&lt;/script&gt; <mark>brake</mark> pads"]}


def test_long_text_gets_a_window_around_the_matches():
    text = "filler " * 100 + "precision brake discs" + " filler" * 100
    piece = fragment(text, {"brake"})
    assert piece.startswith("…") and piece.endswith("…") and "<mark>brake</mark>" in piece
    assert len(piece) < 220


def test_no_terms_no_highlight():
    assert highlight({"name": "Daesung"}, "!!!") == {} and highlight({"name": "Daesung"}, "kimchi") == {}
