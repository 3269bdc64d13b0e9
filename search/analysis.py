"""Text analysis shared by both backends, the same as Elasticsearch's built-in ``cjk`` analyzer.

Steps, as Lucene's CJKAnalyzer does them: Unicode NFKC (``cjk_width``),
lower-casing, word tokens for Latin letters and digits (``8708.99``, ``don't``
and ``u.s.a`` stay whole, hyphens split), overlapping bigrams for runs of
Hangul, Han, Hiragana and Katakana (``스마트공장을`` gives ``스마 마트 트공 공장
장을``, so ``공장`` matches it), a lone CJK character as itself, and
CJKAnalyzer's English stop words. Tokens keep their offsets in the original
text, which is what the highlighter marks. The work is linear in the text's
length, whatever the text (:data:`MAX_MARKS`).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

# Lucene's CJKAnalyzer default stop words.
STOP_WORDS = frozenset(
    "a and are as at be but by for if in into is it no not of on or s such t that the their then there "
    "these they this to was will with www".split())

_CJK = (r"\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul jamo, compatibility jamo, syllables
        r"\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff"  # Hiragana, Katakana
        r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff")  # Han
_LETTER = rf"[^\W_{_CJK}]"  # a letter or digit that is not CJK
_WORD = rf"{_LETTER}+(?:[.'’,]{_LETTER}+)*"
TOKEN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>{_WORD})")


class Token(NamedTuple):
    """One indexed term and where it came from in the original text."""

    term: str
    start: int
    end: int


# UAX #15's "stream-safe" bound: no real text has more combining marks in a row. CPython sorts each run of
# them by insertion, so NFKC of a long run takes quadratic time (160,000 marks: 30 s); such text is folded
# one character at a time below, which is linear.
MAX_MARKS = 30


@functools.lru_cache(maxsize=4096)
def _is_mark(char: str) -> bool:
    """Whether NFKC may reorder ``char``: it combines, or its decomposition starts with a combining mark."""
    return bool(unicodedata.combining(char) or unicodedata.combining(unicodedata.normalize("NFKD", char)[:1] or " "))


def has_long_mark_run(text: str) -> bool:
    """Whether ``text`` has more than :data:`MAX_MARKS` combining marks in a row (a linear scan)."""
    marks = sorted(char for char in set(text) if _is_mark(char))
    return bool(marks) and re.search(f"[{re.escape(''.join(marks))}]{{{MAX_MARKS + 1}}}", text) is not None


def normalize(text: str) -> tuple[str, list[int]]:
    """NFKC and case folding, with each output character's source index."""
    if not has_long_mark_run(text):
        folded = unicodedata.normalize("NFKC", text).lower()
        if len(folded) == len(text):
            # The usual case (ASCII, precomposed Hangul, full-width forms): one character in, one out.
            return folded, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).lower()
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def tokens(text: str) -> list[Token]:
    """The analyzed tokens of ``text`` with offsets into ``text``."""
    if not text:
        return []
    folded, origin = normalize(text)
    origin.append(len(text))
    found: list[Token] = []
    for match in TOKEN.finditer(folded):
        start, end = match.span()
        word = match.group()
        if match.lastgroup == "word":
            if word not in STOP_WORDS:
                found.append(Token(word, origin[start], origin[end]))
        elif word.isalnum():
            _cjk_tokens(word, start, origin, found)
        else:
            # Marks and punctuation inside the CJK blocks (・ U+30FB, ゛ U+309B, ゠ U+30A0, unassigned code
            # points) separate words, as in Lucene's and FTS5's tokenizers: bigrams never span them.
            for part in re.finditer(r"[^\W_]+", word):
                _cjk_tokens(part.group(), start + part.start(), origin, found)
    return found


def _cjk_tokens(word: str, start: int, origin: list[int], found: list[Token]) -> None:
    """A run of CJK letters as overlapping bigrams (a lone character as itself)."""
    if len(word) == 1:
        found.append(Token(word, origin[start], origin[start + 1]))
    else:
        found.extend(Token(word[i:i + 2], origin[start + i], origin[start + i + 2]) for i in range(len(word) - 1))


def analyze(text: str) -> list[str]:
    """The analyzed terms of ``text``, in order."""
    return [token.term for token in tokens(text)]
