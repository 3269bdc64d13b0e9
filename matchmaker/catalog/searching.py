"""Catalog search: the box and filters handed to the matching service, which ranks and explains."""
from __future__ import annotations

from markupsafe import Markup

from search.documents import Filter

from ..display import certification_id
from ..matching.service import MatchPage, match_text
from .queries import CatalogFilters

# Which highlighted fields a result card shows: the name is in the card's title and the matched
# product in its reason already, so the highlight shows the words in context.
SHOWN_FIELDS = ("description", "capabilities")
SHOWN_AT_MOST = 1


def card_highlights(highlights: dict[str, list[str]]) -> dict[str, list[Markup]]:
    """The few highlighted fragments worth a card's space, one line each."""
    chosen = [name for name in SHOWN_FIELDS if name in highlights][:SHOWN_AT_MOST]
    # The highlighter escapes the text itself and adds only <mark> tags.
    return {name: [Markup(highlights[name][0].replace("\n", " · "))] for name in chosen}


def engine_filters(filters: CatalogFilters) -> tuple[Filter, ...]:
    """The catalog's filters as search-engine filters (applied before ranking)."""
    found = []
    if filters.industry:
        found.append(Filter.term("industry", filters.industry))
    if filters.certification:
        found.append(Filter.term("certifications", certification_id(filters.certification)))
    if filters.min_level is not None:
        found.append(Filter.range("smart_factory_level", gte=filters.min_level))
    return tuple(found)


def search_page(filters: CatalogFilters, mode: str, page: int, per_page: int) -> MatchPage:
    """Ranked, explained suppliers for the catalog's query and filters."""
    result = match_text(filters.q, engine_filters(filters), page=page, per_page=per_page, mode=mode,
                        certification=filters.certification or None)
    for match in result.items + result.partial:
        match.highlights = card_highlights(match.highlights)
    return result
