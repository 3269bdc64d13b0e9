"""What a search index holds and what a search asks: documents, schemas, filters, hits."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

MODES = ("lexical", "vector", "hybrid")
Mode = Literal["lexical", "vector", "hybrid"]


@dataclass(frozen=True)
class IndexSchema:
    """The fields of an index: weighted text, keywords, numbers and named vectors with their sizes."""

    text_fields: dict[str, float]
    keyword_fields: tuple[str, ...] = ()
    numeric_fields: tuple[str, ...] = ()
    vectors: dict[str, int] = field(default_factory=dict)

    def check(self, doc: Document) -> None:
        """Raise ValueError when ``doc`` has a field this schema does not know or a vector of the wrong size."""
        for kind, names, known in (("text", doc.text, self.text_fields), ("keyword", doc.keywords, self.keyword_fields),
                                   ("numeric", doc.numbers, self.numeric_fields), ("vector", doc.vectors, self.vectors)):
            unknown = set(names) - set(known)
            if unknown:
                raise ValueError(f"document {doc.id}: unknown {kind} field(s) {sorted(unknown)}")
        for name, vector in doc.vectors.items():
            if len(vector) != self.vectors[name]:
                raise ValueError(f"document {doc.id}: vector {name} has {len(vector)} dimensions, "
                                 f"expected {self.vectors[name]}")


@dataclass
class Document:
    """One thing to find (a supplier), by its id."""

    id: str
    text: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """A hash of what the document says (text, keywords, numbers; not its vectors), see :func:`digest`."""
        return digest(self.text, self.keywords, self.numbers)


def digest(text: Mapping[str, str], keywords: Mapping[str, list[str]], numbers: Mapping[str, float]) -> str:
    """A hash of a document's content as every backend stores it, to compare an index with its source.

    Normalized the way storage loses detail: empty fields dropped, keyword
    values as a sorted set, numbers as floats. Vectors are left out: they
    follow from the text and the encoders (the build fingerprint covers those).
    """
    canonical = {"text": {name: value for name, value in text.items() if value},
                 "keywords": {name: sorted(set(values)) for name, values in keywords.items() if values},
                 "numbers": {name: float(value) for name, value in numbers.items() if value is not None}}
    encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Filter:
    """One condition a hit must meet: ``term`` (value), ``terms`` (values) or ``range`` (gte/lte)."""

    field: str
    kind: Literal["term", "terms", "range"]
    values: tuple = ()
    gte: float | None = None
    lte: float | None = None

    @classmethod
    def term(cls, field: str, value: str) -> Filter:
        return cls(field, "term", (value,))

    @classmethod
    def terms(cls, field: str, values) -> Filter:
        return cls(field, "terms", tuple(values))

    @classmethod
    def range(cls, field: str, gte: float | None = None, lte: float | None = None) -> Filter:
        if gte is None and lte is None:
            raise ValueError("a range filter needs gte, lte or both")
        return cls(field, "range", (), gte, lte)


@dataclass(frozen=True)
class SearchRequest:
    """A query: text and/or a vector per encoder, filters, a mode, and the page wanted."""

    text: str = ""
    vectors: dict[str, np.ndarray] = field(default_factory=dict, hash=False, compare=False)
    filters: tuple[Filter, ...] = ()
    mode: Mode = "hybrid"
    k: int = 10
    offset: int = 0

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.k < 1 or self.offset < 0:
            raise ValueError("k must be at least 1 and offset at least 0")


@dataclass
class Hit:
    """One ranked result: the fused score and what each retriever said."""

    id: str
    score: float
    rank: int
    lexical_score: float | None = None
    lexical_rank: int | None = None
    vector_scores: dict[str, float] = field(default_factory=dict)
    vector_ranks: dict[str, int] = field(default_factory=dict)
    highlights: dict[str, list[str]] = field(default_factory=dict)

    @property
    def vector_score(self) -> float | None:
        """The best cosine similarity over the encoders, if any vector retriever found this hit."""
        return max(self.vector_scores.values()) if self.vector_scores else None


@dataclass
class SearchResult:
    """A page of hits and how many hits the retrievers found in all (at least)."""

    hits: list[Hit]
    total: int
    version: str | None = None
