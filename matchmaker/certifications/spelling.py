"""One written certification read into the keys it may be looked up by.

The same reading serves the table (each alias is registered under its first
key) and parsing (each key is tried in turn), so what the table accepts and
what users type are compared by one rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .status import split_status
from .text import clean, fold, key, tokens, without_parentheses, words

_DECIMAL = re.compile(r"\d+\.\d+")
_INITIAL = re.compile(r"[A-Z]")


@dataclass(frozen=True)
class Spelling:
    """A certification as written, with its status and noise taken apart."""

    original: str
    held: bool
    full: tuple[str, ...]  # the words that may name it, bracketed remarks included
    bare: tuple[str, ...]  # the same words without the bracketed remarks

    def keys(self) -> list[str]:
        """Lookup keys, most specific first.

        The full words come first, so an alias that needs its remark (``cGMP (US)``)
        wins over the bare name; a trailing decimal version (``GOTS 7.0``) is tried
        last, because ``VDA 6.3`` keeps its number as part of the name.
        """
        found: list[str] = []
        for candidate in (self.full, _unversioned(self.full), self.bare, _unversioned(self.bare)):
            if candidate and key(candidate) not in found:
                found.append(key(candidate))
        return found

    def unknown_id(self) -> str:
        """The id of a certification not in the table: its words upper-cased, one space apart.

        Case, the amount of space and punctuation between words do not count:
        ``xyz-123 certified``, ``XYZ123`` and ``XYZ / 123`` all give ``XYZ 123``, and a
        run of single letters is one word (``C.G.M.P`` is ``CGMP``). Whether two
        words are apart at all does count (``K GMP`` is not ``KGMP``): joining
        every word would make ``BEST SUPPLIER AWARD`` unreadable. When nothing but
        noise is left (``인증 진행중``), every word of the text is kept instead.
        """
        shown = self.full or tuple(tokens(fold(self.original)))
        return " ".join(_join_initials([word.upper() for word in shown]))


def read(text: str) -> Spelling:
    """Read ``text``; :class:`ValueError` when it has no letter or digit at all."""
    original = text.strip()
    if not tokens(fold(original)):
        raise ValueError(f"no certification named in {text!r}")
    remainder, held = split_status(fold(original))
    remainder = clean(remainder)
    full = tuple(words(remainder))
    return Spelling(original, held, full, tuple(words(without_parentheses(remainder))))


def _join_initials(found: list[str]) -> list[str]:
    """Runs of two or more single letters joined into one word: ``C G M P`` → ``CGMP``.

    A lone letter stays a word of its own (``CLASS A``, ``K GMP``).
    """
    joined: list[str] = []
    in_run = False
    for word in found:
        single = _INITIAL.fullmatch(word) is not None
        if single and in_run:
            joined[-1] += word
        else:
            joined.append(word)
        in_run = single
    return joined


def _unversioned(found: tuple[str, ...]) -> tuple[str, ...]:
    """``found`` without a trailing decimal version number (``GRS 4.0`` → ``GRS``)."""
    return found[:-1] if len(found) > 1 and _DECIMAL.fullmatch(found[-1]) else ()
