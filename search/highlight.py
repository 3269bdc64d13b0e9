"""Highlighted fragments: the query's terms marked in the original text, HTML-escaped.

The work is linear in the text and bounded: only the first :data:`SCANNED`
characters of a field (and of the query) are analyzed, as Elasticsearch's
``max_analyzed_offset`` does, and the best window is found in one pass.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .analysis import analyze, tokens

FRAGMENT = 160  # characters around the best cluster of matches
# Characters of a field searched for the query's terms; the rest is never read. Above the longest text field
# the app stores (a test in tests/matchmaker/dataio checks it against the input limits), so cutting only
# bounds the work on data stored before those limits.
SCANNED = 65_536


def spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` (its first :data:`SCANNED` characters) whose tokens are in ``terms``."""
    cut = len(text) > SCANNED
    marked: list[tuple[int, int]] = []
    for token in tokens(text[:SCANNED]):
        if cut and token.end == SCANNED:
            continue  # a word cut in two is not the word
        if token.term in terms:
            if marked and token.start <= marked[-1][1]:
                marked[-1] = (marked[-1][0], max(marked[-1][1], token.end))
            else:
                marked.append((token.start, token.end))
    return marked


def best_start(marked: Sequence[tuple[int, int]], size: int) -> int:
    """Where the ``size``-character window holding the most spans starts (at a span; the first on a tie).

    ``marked`` is sorted and disjoint, so the spans inside a window starting at
    span ``i`` run from ``i`` to ``last``, and ``last`` only moves forward: one pass.
    """
    best, best_count, last = marked[0][0], 0, 0
    for first, (start, _) in enumerate(marked):
        last = max(last, first)
        while last < len(marked) and marked[last][1] <= start + size:
            last += 1
        if last - first > best_count:
            best, best_count = start, last - first
    return best


def fragment(text: str, terms: set[str], size: int = FRAGMENT) -> str | None:
    """The window of ``text`` with the most matches, ``<mark>``-ed, or None without matches."""
    marked = spans(text, terms)
    if not marked:
        return None
    begin = max(0, min(best_start(marked, size) - size // 4, len(text) - size))
    end = min(len(text), begin + size)
    out, cursor = [], begin
    for start, stop in marked:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    out.append(escape(text[cursor:end]))
    return ("…" if begin > 0 else "") + "".join(out).strip() + ("…" if end < len(text) else "")


def highlight(source: dict[str, str], query: str) -> dict[str, list[str]]:
    """One fragment per text field of ``source`` that contains a query term."""
    terms = set(analyze(query[:SCANNED]))
    if not terms:
        return {}
    found = {}
    for field, text in source.items():
        if text and (piece := fragment(text, terms)):
            found[field] = [piece]
    return found
