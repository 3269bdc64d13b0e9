"""Korean-English synonyms in Solr format, matched through the project's analyzer.

A phrase matches a text when its analyzed terms (:func:`search.analysis.analyze`)
occur contiguously in the text's analyzed terms: ``사출성형`` (사출 출성 성형)
matches ``사출성형기``, ``Injection Molding`` matches ``injection molding``.
Phrases are indexed by their first term, so matching costs a dictionary
look-up per term of the text.

When one match lies inside a longer one (``사출성형`` inside ``금속사출성형``,
metal injection moulding), only the longer one counts: the shorter would add
a broader sense than the text means.

Expansion is cross-lingual by default: a Korean phrase adds the group's
English phrases and the other way round, but not its same-language variants.
Measured on the dev splits (``bench/synonyms.py``), same-language variants
cost a little on single-language corpora and add nothing across languages.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .analysis import analyze

DEFAULT_PATH = Path(__file__).parent / "data" / "synonyms_ko_en.txt"
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")
# Solr syntax; a backslash makes the next character literal.
_ARROW = re.compile(r"(?<!\\)=>")
_COMMA = re.compile(r"(?<!\\),")
_ESCAPE = re.compile(r"\\(.)")


class Rule(NamedTuple):
    """One rule line: the phrases that trigger it and those it expands to."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]


class Match(NamedTuple):
    """A phrase of rule ``rule`` found at terms ``start:end`` of a text."""

    start: int
    end: int
    rule: int
    phrase: str


def _phrases(side: str) -> tuple[str, ...]:
    cleaned = (" ".join(_ESCAPE.sub(r"\1", raw).split()) for raw in _COMMA.split(side))
    return tuple(dict.fromkeys(phrase for phrase in cleaned if phrase))


def parse_line(line: str) -> Rule:
    """One Solr rule: ``a, b`` (equivalent) or ``a, b => c`` (one way); ``\\,`` is a literal comma."""
    sides = _ARROW.split(line)
    if len(sides) > 2:
        raise ValueError("more than one '=>'")
    phrases = [_phrases(side) for side in sides]
    if not all(phrases):
        raise ValueError("a side of the rule has no phrase")
    return Rule(phrases[0], phrases[-1])


class Synonyms:
    """Synonym groups, and what they add to a text."""

    def __init__(self, lines: Iterable[str], source: str = "<text>"):
        self.groups: list[tuple[str, ...]] = []
        self._rules: list[Rule] = []
        self._lines: list[str] = []
        self._terms: dict[str, tuple[str, ...]] = {}
        # First analyzed term -> (terms, rule index, phrase) of every phrase that starts with it.
        self._by_first: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
        for number, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            try:
                rule = parse_line(line)
            except ValueError as exc:
                raise ValueError(f"{source}:{number}: {exc}: {line!r}") from None
            index = len(self._rules)
            self._rules.append(rule)
            self._lines.append(line)
            self.groups.append(tuple(dict.fromkeys(rule.sources + rule.targets)))
            for phrase in self.groups[-1]:
                terms = self._terms.setdefault(phrase, tuple(analyze(phrase)))
                if terms and phrase in rule.sources:
                    self._by_first.setdefault(terms[0], []).append((terms, index, phrase))

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PATH) -> Synonyms:
        """The synonyms in the Solr file at ``path``, read once per path."""
        return _load(str(Path(path).resolve()))

    def matches(self, text: str) -> list[Match]:
        """Every phrase found in ``text``, in text order, leaving out those inside a longer match."""
        terms = analyze(text)
        found = []
        for start, term in enumerate(terms):
            for phrase_terms, rule, phrase in self._by_first.get(term, ()):
                end = start + len(phrase_terms)
                if tuple(terms[start:end]) == phrase_terms:
                    found.append(Match(start, end, rule, phrase))
        kept: list[Match] = []
        reach, last = -1, None
        for match in sorted(found, key=lambda m: (m.start, -m.end)):
            span = (match.start, match.end)
            if span != last and match.end <= reach:
                continue  # inside an earlier, longer match
            kept.append(match)
            reach, last = max(reach, match.end), span
        return kept

    def expand(self, text: str, cross_lingual: bool = True) -> list[str]:
        """The other phrases of the groups matched in ``text``, minus those whose terms it already has.

        ``cross_lingual``: only phrases in the other script than the phrase matched.
        """
        present = set(analyze(text))
        rules_seen: set[int] = set()
        terms_seen: set[tuple[str, ...]] = set()
        out: list[str] = []
        for match in self.matches(text):
            if match.rule in rules_seen:
                continue
            rules_seen.add(match.rule)
            for phrase in self._rules[match.rule].targets:
                if cross_lingual and _is_korean(phrase) == _is_korean(match.phrase):
                    continue
                terms = self._terms[phrase]
                if terms and terms not in terms_seen and not set(terms) <= present:
                    terms_seen.add(terms)
                    out.append(phrase)
        return out

    def expand_query(self, text: str, cross_lingual: bool = True) -> str:
        """``text`` followed by its expansions, for a lexical query; ``text`` itself when none."""
        extra = self.expand(text, cross_lingual)
        return " ".join([text, *extra]) if extra else text

    def english_terms(self, text: str, limit: int = 5) -> list[str]:
        """English key terms of a Korean text: the first Latin-script phrase of each group matched in Hangul."""
        out: list[str] = []
        for match in self.matches(text):
            if len(out) >= limit:
                break
            if not _HANGUL.search(match.phrase):
                continue
            english = next((p for p in self.groups[match.rule] if _LATIN.search(p) and not _HANGUL.search(p)), None)
            if english and english not in out:
                out.append(english)
        return out

    def solr_lines(self, cross_lingual: bool = True) -> list[str]:
        """Rules for Elasticsearch's ``synonym_graph``: as written, or (``cross_lingual``) as explicit
        mappings ``phrase => phrase, other-language phrases`` that expand like :meth:`expand`."""
        if not cross_lingual:
            return list(self._lines)
        lines = []
        for rule in self._rules:
            for source in rule.sources:
                other = [t for t in rule.targets if _is_korean(t) != _is_korean(source) and t != source]
                if other:
                    lines.append(" => ".join([_escape(source), ", ".join(_escape(p) for p in [source, *other])]))
        return lines


def _is_korean(phrase: str) -> bool:
    return bool(_HANGUL.search(phrase))


def _escape(phrase: str) -> str:
    return phrase.replace("\\", "\\\\").replace(",", "\\,")


@functools.cache
def _load(path: str) -> Synonyms:
    with open(path, encoding="utf-8") as handle:
        return Synonyms(handle, source=path)
