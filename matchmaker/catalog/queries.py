"""Catalog listing from SQL (the search engine replaces the text match in the search issue)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, Text, cast, func, or_, select

from ..domain import INDUSTRIES
from ..models import Supplier


@dataclass(frozen=True)
class CatalogFilters:
    """What a buyer narrowed the catalog to."""

    q: str = ""
    industry: str = ""
    certification: str = ""
    min_level: int | None = None

    @classmethod
    def from_args(cls, args) -> CatalogFilters:
        """Read filters from query-string arguments, dropping values that make no sense."""
        industry = args.get("industry", "")
        level = args.get("min_level", "")
        return cls(q=args.get("q", "").strip()[:200],
                   industry=industry if industry in INDUSTRIES else "",
                   certification=args.get("certification", "").strip()[:50],
                   min_level=int(level) if level.isdigit() and 0 <= int(level) <= 5 else None)


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so a user's ``%`` or ``_`` match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def catalog_query(filters: CatalogFilters) -> Select:
    """Suppliers matching ``filters``, alphabetically by the name buyers read first."""
    stmt = select(Supplier)
    for word in filters.q.split():
        pattern = f"%{escape_like(word.lower())}%"
        stmt = stmt.where(or_(func.lower(Supplier.name).like(pattern, escape="\\"),
                              func.lower(Supplier.name_en).like(pattern, escape="\\"),
                              func.lower(Supplier.description).like(pattern, escape="\\")))
    if filters.industry:
        stmt = stmt.where(Supplier.industry == filters.industry)
    if filters.min_level is not None:
        stmt = stmt.where(Supplier.smart_factory_level >= filters.min_level)
    if filters.certification:
        stmt = stmt.where(has_certification(filters.certification))
    return stmt.order_by(func.coalesce(Supplier.name_en, Supplier.name), Supplier.id)



def has_certification(name: str):
    """SQL condition: the supplier lists ``name`` among its certifications, in any letter case."""
    # JSON lists are stored as text on both databases; match the quoted item.
    needle = f'%"{escape_like(name.lower())}"%'
    return func.lower(cast(Supplier.certifications, Text)).like(needle, escape="\\")
