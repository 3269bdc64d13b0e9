"""Catalog search through the search engine, shaped like a SQL page for the templates."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select

from search.documents import Filter, SearchRequest

from ..extensions import db
from ..models import Supplier
from ..search_service import get_search, load_in_order
from .queries import CatalogFilters, has_certification


# Which highlighted fields a result card shows, best first; the name is in the card's title already.
SHOWN_FIELDS = ("products", "description", "capabilities", "region")
SHOWN_AT_MOST = 2


def card_highlights(highlights: dict[str, list[str]]) -> dict[str, list[Markup]]:
    """The few highlighted fragments worth a card's space, one line each."""
    chosen = [name for name in SHOWN_FIELDS if name in highlights][:SHOWN_AT_MOST]
    # The highlighter escapes the text itself and adds only <mark> tags.
    return {name: [Markup(highlights[name][0].replace("\n", " · "))] for name in chosen}


@dataclass
class SearchPage:
    """One page of ranked suppliers, with the same attributes as Flask-SQLAlchemy's Pagination."""

    items: list[Supplier]
    total: int
    page: int
    per_page: int
    highlights: dict[int, dict[str, list[Markup]]] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)

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


def canonical_certification(text: str) -> str:
    """The spelling the catalog uses for a certification typed in any case (``iso 9001`` → ``ISO 9001``)."""
    wanted = text.strip()
    # One supplier that lists it is enough to learn the spelling; SQL finds it without reading them all.
    certs = db.session.scalar(select(Supplier.certifications).where(has_certification(wanted)).limit(1))
    for cert in certs or []:
        if cert.casefold() == wanted.casefold():
            return cert
    return wanted


def engine_filters(filters: CatalogFilters) -> tuple[Filter, ...]:
    """The catalog's filters as search-engine filters (applied before ranking)."""
    found = []
    if filters.industry:
        found.append(Filter.term("industry", filters.industry))
    if filters.certification:
        found.append(Filter.term("certifications", canonical_certification(filters.certification)))
    if filters.min_level is not None:
        found.append(Filter.range("smart_factory_level", gte=filters.min_level))
    return tuple(found)


def search_page(filters: CatalogFilters, mode: str, page: int, per_page: int) -> SearchPage:
    """Run the search and load the page's suppliers from SQL in ranked order."""
    result = get_search().engine(filters.q).search(SearchRequest(
        text=filters.q, filters=engine_filters(filters), mode=mode, k=per_page, offset=(page - 1) * per_page))
    rows = load_in_order([hit.id for hit in result.hits])
    hits = {hit.id: hit for hit in result.hits}
    return SearchPage(
        items=rows, total=result.total, page=page, per_page=per_page,
        highlights={row.id: card_highlights(hits[row.external_id].highlights) for row in rows},
        scores={row.id: hits[row.external_id].score for row in rows})
