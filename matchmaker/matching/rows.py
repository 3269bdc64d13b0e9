"""Candidate suppliers as light read-only rows: what ranking reads, without the ORM's cost.

A search ranks every candidate in its window (up to four retrievers times the
profile's window, some 700 suppliers and 1,000 products): each needs its fit
facts, products and words, but only the page's dozen are shown. Loading all
of them as ORM objects cost about 90 ms a search at 100k profiles; two plain
queries into slotted dataclasses cost a fraction of that. The page's own
suppliers are loaded as ORM rows afterwards (:func:`as_orm`), so views,
templates and stored suggestions keep working with real rows.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Product, Supplier
from ..search_service import load_in_order

_CHUNK = 500  # ids per IN list: well below every database's parameter limit


@dataclass(frozen=True, slots=True)
class ProductRow:
    """The columns of a product that ranking and fit signals read."""

    id: int
    name: str
    description: str | None
    hs_code: str | None
    moq: int | None
    unit: str | None
    lead_time_days: int | None
    unit_price_usd: float | None


@dataclass(frozen=True, slots=True)
class SupplierRow:
    """The columns of a supplier that ranking and fit signals read, with its products in order."""

    id: int
    external_id: str
    name: str
    name_en: str | None
    description: str
    industry: str
    capabilities: list[str]
    certifications: list[str]
    certification_ids: list[str]
    export_markets: list[str]
    smart_factory_level: int | None
    products: tuple[ProductRow, ...]


_SUPPLIER_COLUMNS = [getattr(Supplier, name) for name in SupplierRow.__slots__ if name != "products"]
_PRODUCT_COLUMNS = [getattr(Product, name) for name in ProductRow.__slots__]


def load_rows(external_ids: Sequence[str]) -> dict[str, SupplierRow]:
    """Light rows for ``external_ids`` by external id (ids no longer in the database are left out)."""
    suppliers = []
    for start in range(0, len(external_ids), _CHUNK):
        chunk = list(external_ids[start:start + _CHUNK])
        suppliers += db.session.execute(select(*_SUPPLIER_COLUMNS).where(Supplier.external_id.in_(chunk))).all()
    products: dict[int, list[ProductRow]] = {}
    ids = [row.id for row in suppliers]
    for start in range(0, len(ids), _CHUNK):
        stmt = (select(Product.supplier_id, *_PRODUCT_COLUMNS).where(Product.supplier_id.in_(ids[start:start + _CHUNK]))
                .order_by(Product.supplier_id, Product.position, Product.id))
        for supplier_id, *values in db.session.execute(stmt):
            products.setdefault(supplier_id, []).append(ProductRow(*values))
    return {row.external_id: SupplierRow(*row, products=tuple(products.get(row.id, ()))) for row in suppliers}


def as_orm(matches) -> list:
    """``matches`` with their supplier and product swapped for ORM rows (those deleted meanwhile dropped)."""
    rows = {row.external_id: row for row in load_in_order([m.supplier.external_id for m in matches],
                                                          with_products=True)}
    kept = []
    for match in matches:
        row = rows.get(match.supplier.external_id)
        if row is None:
            continue
        if match.product is not None:
            match.product = next((p for p in row.products if p.id == match.product.id), None)
        match.supplier = row
        kept.append(match)
    return kept
