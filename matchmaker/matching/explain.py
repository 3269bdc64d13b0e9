"""Reasons a buyer can read: which product or capability matched, and how the supplier fits.

A line matches "by your words" when it shares analyzed terms with the request
(synonyms included, so ``injection molding`` matches ``사출성형``); otherwise the
line closest in meaning to the request is named, so a Korean-only profile
found by an encoder still gets a reason. Korean lines carry English key terms
from the bilingual synonym file.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from search.analysis import analyze

from ..display import has_hangul, has_latin, hs_description
from .fit import MET, MISSING, PARTIAL, Signal

WORDS, MEANING = "words", "meaning"


@dataclass
class Line:
    """One product or capability of a supplier, as a candidate reason."""

    kind: str  # "product" or "capability"
    text: str
    product: Any = None  # the Product row for products

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.product is not None:
            p = self.product
            out.update({k: v for k, v in (("hs_code", p.hs_code), ("hs_description", hs_description(p.hs_code)
                                                                     if p.hs_code else None),
                                          ("moq", p.moq), ("unit", p.unit), ("lead_time_days", p.lead_time_days),
                                          ("unit_price_usd", p.unit_price_usd)) if v is not None})
        return out


def lines_of(supplier) -> list[Line]:
    """A supplier's products, then its capabilities."""
    return ([Line("product", p.name, p) for p in supplier.products]
            + [Line("capability", c) for c in supplier.capabilities or [] if c])


@functools.lru_cache(maxsize=32768)
def line_terms(text: str) -> frozenset[str]:
    """The analyzed terms of a product or capability line (cached: a search reads some 1,000 lines, and
    product names repeat across suppliers and searches)."""
    return frozenset(analyze(text))


def word_overlap(line: Line, terms: frozenset[str]) -> int:
    """How many distinct query terms the line's name shares."""
    return len(line_terms(line.text) & terms)


def best_by_words(lines: list[Line], terms: frozenset[str]) -> tuple[Line | None, int]:
    """The line sharing most query terms, and how many; products win ties and near-ties.

    What a supplier makes answers a buyer better than how it makes it: a
    capability is named only when it shares at least two more terms than the
    best product.
    """
    best: dict[str, tuple[Line | None, int]] = {"product": (None, 0), "capability": (None, 0)}
    for line in lines:
        overlap = word_overlap(line, terms)
        if overlap > best[line.kind][1]:
            best[line.kind] = (line, overlap)
    product, capability = best["product"], best["capability"]
    return capability if capability[1] >= product[1] + 2 else (product if product[1] else capability)


def best_by_meaning(lines: list[Line], vectors: np.ndarray, query: np.ndarray) -> tuple[Line | None, float]:
    """The line whose embedding is closest to the query's, and the cosine."""
    if not lines or len(vectors) == 0:
        return None, 0.0
    scores = vectors @ query
    best = int(np.argmax(scores))
    return lines[best], float(scores[best])


@dataclass
class Explanation:
    """Why a supplier is on the list: structured for templates and JSON, and as one line."""

    matched: Line | None = None
    how: str | None = None  # WORDS or MEANING
    similarity: float | None = None
    english: list[str] = field(default_factory=list)  # English key terms of a Korean matched line
    signals: list[Signal] = field(default_factory=list)

    def signal(self, name: str) -> Signal | None:
        return next((s for s in self.signals if s.name == name), None)

    @property
    def certifications(self) -> dict[str, list[str]]:
        found = self.signal("certifications")
        return found.data if found else {"met": [], "pending": [], "missing": []}

    def matched_text(self) -> str | None:
        """The matched line, with English terms beside Korean text."""
        if self.matched is None:
            return None
        if self.english and has_hangul(self.matched.text) and not has_latin(self.matched.text):
            return f"{self.matched.text} ({', '.join(self.english[:3])})"
        return self.matched.text

    @property
    def summary(self) -> str:
        """One short line: the match, then the fit verdicts that matter to a buyer."""
        parts = []
        if self.matched is not None:
            if self.how == MEANING:  # found by an encoder: say what is closest, not that it matched
                parts.append(f"Closest {self.matched.kind}: {self.matched_text()}")
            else:
                parts.append(f"{'Makes' if self.matched.kind == 'product' else 'Offers'} {self.matched_text()}")
        for name in ("certifications", "moq", "lead_time", "export"):
            found = self.signal(name)
            if found and found.status in (MET, MISSING, PARTIAL):
                parts.append(found.detail)
        return " · ".join(parts) if parts else "Related to your request"

    def as_dict(self) -> dict[str, Any]:
        return {"summary": self.summary,
                "matched": None if self.matched is None else {
                    **self.matched.as_dict(), "how": self.how, "english": self.english,
                    **({"similarity": round(self.similarity, 4)} if self.similarity is not None else {})},
                "certifications": self.certifications,
                "signals": [signal.as_dict() for signal in self.signals]}
