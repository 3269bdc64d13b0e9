"""Catalog listing from SQL: browsing without a query, and the fallback when search is down."""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import Integer, Select, Text, case, cast, exists, func, or_, select

from ..display import certification_id
from ..domain import INDUSTRIES
from ..extensions import db
from ..forms import search_text
from ..models import Product, Supplier


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
        return cls(q=search_text(args.get("q")),
                   industry=industry if industry in INDUSTRIES else "",
                   certification=search_text(args.get("certification"))[:50],
                   min_level=int(level) if level.isdigit() and 0 <= int(level) <= 5 else None)


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so a user's ``%`` or ``_`` match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _present(column):
    return case((column.is_not(None), 1), else_=0)


def _listed(column):
    # JSON lists are stored as text on both databases; an empty one is "[]".
    return case((func.coalesce(cast(column, Text), "[]") != "[]", 1), else_=0)


def completeness():
    """SQL score of how much a buyer can learn from a profile: English name, products, certificates…"""
    has_products = case((exists().where(Product.supplier_id == Supplier.id), 2), else_=0)
    return cast(has_products + _present(Supplier.name_en) + _present(Supplier.region)
                + _present(Supplier.smart_factory_level) + _present(Supplier.employees)
                + _present(Supplier.founded_year) + _present(Supplier.website)
                + _listed(Supplier.capabilities) + _listed(Supplier.certification_ids)
                + _listed(Supplier.export_markets) + _listed(Supplier.languages), Integer)


def catalog_query(filters: CatalogFilters) -> Select:
    """Suppliers matching ``filters``: the most complete, most recently updated profiles first."""
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
    return stmt.order_by(completeness().desc(), Supplier.updated_at.desc(), Supplier.id)


def has_certification(name: str):
    """SQL condition: the supplier holds the certification ``name`` (any spelling of it)."""
    # JSON lists are stored as text on both databases; match the quoted canonical id.
    needle = f'%"{escape_like(certification_id(name))}"%'
    return cast(Supplier.certification_ids, Text).like(needle, escape="\\")


def plain_matches(q: str, limit: int) -> SimpleNamespace:
    """The first ``limit`` SQL matches for ``q``, shaped like a search page (``items`` with a ``supplier``,
    no ``explanation``), for pages that show search results when search is down."""
    rows = db.session.scalars(catalog_query(CatalogFilters(q=q)).limit(limit)).all()
    return SimpleNamespace(items=[SimpleNamespace(supplier=row, explanation=None) for row in rows], partial=[])
