"""The matching service: a buyer's need in, suppliers ranked by relevance and fit, with reasons, out.

1. The search engine fuses BM25 and every encoder over a fixed window of
   candidates (the same for every page, so totals and paging are stable).
2. A relevance floor keeps what really fits: an encoder that reads the query
   puts the supplier close in meaning, or it matches enough of the words.
3. Fit signals (certifications, MOQ, lead time, exports, smart-factory level)
   move each candidate; the weights come from the ranking profile.
4. The page's suppliers get an explanation (:mod:`.explain`).

No Flask request objects here: the catalog, the request pages, the CLI and
the jobs all call :func:`match_text` and :func:`match_request`.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from search.analysis import analyze
from search.documents import Filter, Hit, SearchRequest
from search.engine import Retrieval
from search.language import query_language

from .. import certifications
from ..search_service import get_search
from .explain import Explanation, Line, best_by_words
from .fit import Signal, facts_of, fit_signals
from .floor import close_in_meaning, key_terms, terms_of
from .needs import Needs, needs_from_request, needs_from_text
from .profile import RankingProfile
from .reasons import explain
from .rows import as_orm, load_rows

PARTIAL_SHOWN = 5  # closest partial matches shown when nothing fits


@dataclass
class SupplierMatch:
    """One ranked supplier: the fused search hit, its fit and (on shown pages) its explanation."""

    supplier: object  # a light row while ranking (.rows.SupplierRow); a Supplier row once on a shown page
    hit: Hit
    relevance: float  # fused retrieval score scaled to 0..1
    fits: bool  # above the relevance floor
    signals: list[Signal]
    product: object | None  # the Product row that answers the need, when one does
    rank: int = 0
    explanation: Explanation | None = None
    highlights: dict[str, list[str]] = field(default_factory=dict)

    @property
    def score(self) -> float:
        """Relevance plus every fit signal's effect."""
        return self.relevance + sum(signal.effect for signal in self.signals)

    def breakdown(self) -> dict:
        """The score's parts: each retriever's raw score and rank, each fit signal's effect."""
        return {"score": round(self.score, 4), "relevance": round(self.relevance, 4),
                "lexical": None if self.hit.lexical_score is None else {
                    "score": round(self.hit.lexical_score, 4), "rank": self.hit.lexical_rank},
                "vectors": {name: {"cosine": round(score, 4), "rank": self.hit.vector_ranks.get(name)}
                            for name, score in self.hit.vector_scores.items()},
                "fit": {signal.name: round(signal.effect, 4) for signal in self.signals}}


@dataclass
class MatchPage:
    """A page of matches, with the same paging attributes as Flask-SQLAlchemy's Pagination."""

    items: list[SupplierMatch]
    total: int  # suppliers above the floor (in the candidate window)
    page: int
    per_page: int
    needs: Needs
    partial: list[SupplierMatch] = field(default_factory=list)  # closest below the floor, when none fit
    profile: str = ""  # the ranking profile's name

    @property
    def fits_nothing(self) -> bool:
        return self.total == 0

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _relevance_scale(profile, engine) -> float:
    weights = [w for w in engine.ranking.weights.values() if w > 0]
    if profile.fusion == "rrf":
        return sum(w / (profile.rrf_k + 1) for w in weights) or 1.0
    return sum(weights) or 1.0


def _supplier_terms(supplier) -> frozenset[str]:
    """The analyzed terms of a supplier's searchable text (cached by the text: analysis is the cost)."""
    parts = [supplier.name, supplier.name_en or "", supplier.description or "", *(supplier.capabilities or []),
             *(f"{p.name} {p.description or ''}" for p in supplier.products)]
    return _cached_terms("\n".join(parts))


_cached_terms = functools.lru_cache(maxsize=4096)(terms_of)


def _favourable_product(products):
    # Without a product named by the request, judge the supplier by its easiest terms, not its hardest.
    if not products:
        return None
    if len(products) == 1:
        return products[0]
    return min(products, key=lambda p: (p.lead_time_days is None, p.lead_time_days or 0, p.moq or 0))


@dataclass
class Candidates:
    """One need's retrieved candidates and what ranking them needs, before any weight is applied.

    Ranking the same candidates by another profile's fusion weights, floor and
    fit weights (:func:`rank_gathered`) needs no new search: that is how tuning
    tries thousands of profiles on the same judgments.
    """

    needs: Needs
    retrieval: Retrieval
    rows: dict[str, object]  # light supplier rows (.rows.SupplierRow) by external id
    query_terms: frozenset[str]
    facts: dict[str, tuple]  # by external id: (facts, product, product share, words share or None)
    language: str | None


def gather(needs: Needs, filters: Sequence[Filter] = (), mode: str = "hybrid",
           profile: RankingProfile | None = None) -> Candidates:
    """Search for ``needs`` with ``profile``'s retrievers and field boosts, and read each candidate's facts."""
    service = get_search()
    profile = profile or service.profile
    text = needs.text.strip()
    engine = service.engine(text, profile)
    retrieval = engine.retrieve(SearchRequest(text=text, filters=tuple(filters), mode=mode, k=profile.window))
    ids = sorted({doc_id for ranked in retrieval.lists.values() for doc_id, _ in ranked})
    rows = load_rows(ids)
    wanted = key_terms(needs.key_text or text, service.synonyms)
    query_terms = frozenset(analyze(service.expand(text)))
    lexical = {doc_id for doc_id, _ in retrieval.lists.get("lexical", ())}
    facts = {}
    for external_id, supplier in rows.items():
        named, _ = best_by_words([Line("product", p.name, p) for p in supplier.products], query_terms)
        product = named.product if named else _favourable_product(supplier.products)
        share = wanted.share(_cached_terms(named.text)) if named else 0.0
        # Without a lexical hit the supplier has none of the words (nor their synonyms): share 0.
        words = wanted.share(_supplier_terms(supplier)) if wanted.terms and external_id in lexical else None
        facts[external_id] = (facts_of(supplier), product, share, words)
    return Candidates(needs, retrieval, rows, query_terms, facts, query_language(text) if text else None)


def rank_gathered(candidates: Candidates, profile: RankingProfile | None = None, all_fit: bool = False):
    """``candidates`` ranked by ``profile``: fused, floored, moved by the fit signals; those that fit first."""
    service = get_search()
    profile = profile or service.profile
    engine = service.engine(candidates.needs.text.strip(), profile)
    ranking = engine.fuse(candidates.retrieval)
    scale = _relevance_scale(profile, engine)
    readers = {name for name, weight in engine.ranking.weights.items() if weight > 0}
    thresholds = {name: value for name, value in profile.min_cosine.items() if name in readers}
    matches = []
    for hit in ranking.hits:
        supplier = candidates.rows.get(hit.id)
        if supplier is None:
            continue  # deleted since the index saw it
        facts, product, share, words = candidates.facts[hit.id]
        fits = all_fit or close_in_meaning(hit.vector_scores, thresholds)
        if not fits and words is not None:
            fits = words >= profile.min_term_share
        signals = fit_signals(candidates.needs, facts, product, profile.fit, share)
        matches.append(SupplierMatch(supplier, hit, hit.score / scale, fits, signals, product))
    matches.sort(key=lambda m: (not m.fits, -m.score, m.supplier.external_id))
    for rank, match in enumerate(matches, start=1):
        match.rank = rank
    return matches, ranking


def rank_candidates(needs: Needs, filters: Sequence[Filter] = (), mode: str = "hybrid", all_fit: bool = False,
                    profile: RankingProfile | None = None):
    """Every candidate in the window as :class:`SupplierMatch`, those that fit first, each group best first.

    ``all_fit``: the filters alone decide what fits (a query that names nothing but a certificate).
    ``profile``: rank by this profile instead of the served one (evaluation and tuning).
    """
    profile = profile or get_search().profile
    candidates = gather(needs, filters, mode, profile)
    matches, ranking = rank_gathered(candidates, profile, all_fit)
    return matches, ranking, candidates.query_terms


def _page(needs: Needs, filters, page: int, per_page: int, mode: str, highlight: bool,
          all_fit: bool = False, profile: RankingProfile | None = None) -> MatchPage:
    service = get_search()
    profile = profile or service.profile  # read once: the served profile is a database lookup
    matches, ranking, terms = rank_candidates(needs, filters, mode, all_fit, profile)
    fitting = [m for m in matches if m.fits]
    start = (page - 1) * per_page
    # Only the shown suppliers become ORM rows (templates, links and stored suggestions need them).
    items = as_orm(fitting[start:start + per_page])
    partial = [] if fitting else as_orm(matches[:PARTIAL_SHOWN])
    shown = items + partial
    explain(service, shown, ranking.vectors, terms, needs, profile.fit)
    if highlight and needs.text.strip():
        service.engine(needs.text, profile).highlight([m.hit for m in shown], needs.text, ranking.version)
        for match in shown:
            match.highlights = match.hit.highlights
    return MatchPage(items, len(fitting), page, per_page, needs, partial, profile.name)


def match_text(text: str, filters: Sequence[Filter] = (), *, page: int = 1, per_page: int = 10,
               mode: str = "hybrid", certification: str | None = None, industry: str | None = None,
               highlight: bool = True) -> MatchPage:
    """Suppliers for a free-text search (the catalog's box, ``matchmaker search``), ranked by fit.

    A query that names nothing but certificates (``iso9001``, ``해썹``) lists their holders.
    """
    needs = needs_from_text(text, certification, industry)
    only_certificates = bool(needs.named_certifications) and not certifications.without_mentions(text)
    if only_certificates:
        named = needs.named_certifications
        filters = (*filters, *(Filter.term("certifications", cert) for cert in named))
        needs = replace(needs, text=" ".join(named), key_text=" ".join(named),
                        certifications=needs.certifications + named, named_certifications=())
    return _page(needs, filters, page, per_page, mode, highlight, all_fit=only_certificates)


def match_request(request, *, page: int = 1, per_page: int | None = None, mode: str = "hybrid",
                  profile: RankingProfile | None = None) -> MatchPage:
    """Suppliers for a buyer request (a row or a contract record), its structured needs as fit signals."""
    profile = profile or get_search().profile
    return _page(needs_from_request(request), (), page, per_page or profile.suggestions, mode, highlight=False,
                 profile=profile)
