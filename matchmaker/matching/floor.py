"""The relevance floor: whether a candidate fits the query at all, on absolute evidence.

Fused scores are relative (min-max within each query), so even a nonsense
query has a "best" supplier. The floor asks two absolute questions instead:
does an encoder that reads the query put the supplier close in meaning (a
cosine above that encoder's threshold), or does the supplier's text contain
enough of the query's words (a synonym counts for the words it replaces)?
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from search.analysis import analyze
from search.synonyms import Synonyms

def singular(term: str) -> str:
    """A light English plural folding (``gears`` → ``gear``, ``batteries`` → ``battery``); others unchanged.

    The analyzer does not stem (Elasticsearch's ``cjk`` analyzer does not either); for the
    floor's question "does the supplier name these things" a plural must not count as a miss.
    """
    if len(term) <= 3 or not term.isascii() or not term.isalpha():
        return term
    if term.endswith("ies"):
        return term[:-3] + "y"
    if term.endswith(("ses", "xes", "ches", "shes")):
        return term[:-2]
    if term.endswith("s") and not term.endswith("ss"):
        return term[:-1]
    return term


def terms_of(text: str) -> frozenset[str]:
    """The analyzed terms of ``text``, plurals folded."""
    return frozenset(singular(term) for term in analyze(text))


# Words every buyer request has whatever it asks for; they say nothing about fit.
REQUEST_WORDS = frozenset(singular(term) for term in analyze(
    "korean korea manufacturer manufacturers maker makers supplier suppliers factory wanted looking seeking need "
    "needed sourcing source rfq quote quotation request partner company companies produce producer please "
    "pcs pc piece pieces unit units set sets kg ton tons per order volume"))


def _number(term: str) -> bool:
    return term.replace(".", "").replace(",", "").isdigit()


@functools.cache
def _phrase_terms(phrase: str) -> frozenset[str]:
    return terms_of(phrase)


@dataclass(frozen=True)
class KeyTerms:
    """The words of a query that a supplier must share, and their synonyms."""

    terms: frozenset[str]
    alternatives: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = ()  # (query phrase terms, its group)

    def share(self, document_terms: set[str] | frozenset[str]) -> float:
        """The share of the key terms found in ``document_terms``, directly or through a synonym."""
        if not self.terms:
            return 0.0
        covered = set(self.terms & document_terms)
        for phrase_terms, group in self.alternatives:
            if not phrase_terms <= covered and any(_phrase_terms(p) and _phrase_terms(p) <= document_terms
                                                   for p in group):
                covered |= phrase_terms
        return len(covered & self.terms) / len(self.terms)


def key_terms(text: str, synonyms: Synonyms | None) -> KeyTerms:
    """The key terms of ``text`` (request boilerplate left out), with the synonym groups they match."""
    sequence = [singular(term) for term in analyze(text)]
    # Numbers (quantities, "100%", "5-axis") say how much or which size, not what: a supplier
    # whose profile happens to contain "100" does not fit "kimchi 100".
    terms = frozenset(term for term in sequence if term not in REQUEST_WORDS and not _number(term))
    alternatives = []
    if synonyms is not None:
        for match in synonyms.matches(text):
            phrase = frozenset(sequence[match.start:match.end]) & terms
            if phrase:
                alternatives.append((phrase, synonyms.groups[match.rule]))
    return KeyTerms(terms, tuple(alternatives))


def close_in_meaning(cosines: Mapping[str, float], thresholds: Mapping[str, float]) -> bool:
    """Whether any encoder puts the candidate at or above its own cosine threshold."""
    return any(score >= thresholds[name] for name, score in cosines.items() if name in thresholds)
