"""Highlighted fragments: the query's terms marked in the original text, HTML-escaped."""
from __future__ import annotations

from html import escape

from .analysis import analyze, tokens

FRAGMENT = 160  # characters around the best cluster of matches


def spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` whose analyzed tokens are in ``terms``."""
    marked: list[tuple[int, int]] = []
    for token in tokens(text):
        if token.term in terms:
            if marked and token.start <= marked[-1][1]:
                marked[-1] = (marked[-1][0], max(marked[-1][1], token.end))
            else:
                marked.append((token.start, token.end))
    return marked


def fragment(text: str, terms: set[str], size: int = FRAGMENT) -> str | None:
    """The window of ``text`` with the most matches, ``<mark>``-ed, or None without matches."""
    marked = spans(text, terms)
    if not marked:
        return None
    best_start, best_count = marked[0][0], 0
    for start, _ in marked:
        count = sum(1 for s, e in marked if start <= s and e <= start + size)
        if count > best_count:
            best_start, best_count = start, count
    begin = max(0, min(best_start - size // 4, len(text) - size))
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
    terms = set(analyze(query))
    if not terms:
        return {}
    found = {}
    for field, text in source.items():
        if text and (piece := fragment(text, terms)):
            found[field] = [piece]
    return found
