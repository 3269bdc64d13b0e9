"""Highlights mark query terms in the original text, never let its HTML through, and do bounded, linear work."""
import random

import pytest

from search.analysis import tokens
from search.highlight import FRAGMENT, SCANNED, best_start, fragment, highlight, spans


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


class Counted(list):
    """A list that counts how many of its items are read, by index or by iteration."""

    reads = 0

    def __getitem__(self, index):
        self.reads += 1
        return super().__getitem__(index)

    def __iter__(self):
        for item in super().__iter__():
            self.reads += 1
            yield item


def brute_force_start(marked, size):
    counts = [sum(1 for s, e in marked if start <= s and e <= start + size) for start, _ in marked]
    return marked[counts.index(max(counts))][0]


@pytest.mark.parametrize("n", [1, 10, 1000, 20_000])
def test_the_best_window_is_found_in_one_pass(n):
    """Reads grow with the number of matches, not its square: quadratic code reads 20,000 spans 400 million times."""
    marked = Counted((10 * i, 10 * i + 5) for i in range(n))
    best_start(marked, FRAGMENT)
    assert marked.reads <= 3 * n + 2


def test_the_best_window_is_the_one_with_the_most_matches():
    rng = random.Random(7)
    for _ in range(300):
        starts = sorted(rng.sample(range(2000), rng.randint(1, 40)))
        marked = []
        for start in starts:  # disjoint, as spans() makes them
            if not marked or start > marked[-1][1]:
                marked.append((start, start + rng.randint(1, 30)))
        size = rng.choice([5, 40, 160, 1000])
        assert best_start(marked, size) == brute_force_start(marked, size), (marked, size)


def test_a_huge_field_is_read_only_up_to_the_cap(monkeypatch):
    """10 MB of text with matches everywhere: the analyzer is handed the first SCANNED characters, no more."""
    seen = []

    def spy(text):
        seen.append(len(text))
        return tokens(text)
    monkeypatch.setattr("search.highlight.tokens", spy)
    text = "precision brake discs " * 500_000
    out = highlight({"description": text, "name": "brake " + "가" * 10_000_000}, "brake " + "x" * 10_000_000)
    assert "<mark>brake</mark>" in out["description"][0] and "<mark>brake</mark>" in out["name"][0]
    assert max(seen) == SCANNED


def test_text_beyond_the_cap_is_not_searched():
    assert fragment("filler " * (SCANNED // 7 + 1) + "brake", {"brake"}) is None
    assert fragment("x" * (SCANNED - 4) + " brakes", {"bra"}) is None  # a word cut at the cap is not a match
    assert fragment("x" * (SCANNED - 6) + " brake", {"brake"}).endswith("<mark>brake</mark>")
