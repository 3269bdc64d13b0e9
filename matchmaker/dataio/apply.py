"""Writing a checked contract record onto a database row: one way, for imports and the supplier editor."""
from __future__ import annotations

from typing import Any

from ..models import Product, Supplier
from .contract import PRODUCT, SUPPLIER

SUPPLIER_COLUMNS = [name for name in SUPPLIER if name != "products"]
LIST_COLUMNS = {"capabilities", "certifications", "export_markets", "languages", "required_certifications"}


def assign(row: Any, record: dict, columns: list[str]) -> None:
    """Set each of ``columns`` from ``record``; a field the record leaves out is cleared."""
    for name in columns:
        value = record.get(name)
        setattr(row, name, list(value or []) if name in LIST_COLUMNS else value)


def apply_supplier(row: Supplier, record: dict) -> None:
    """Make ``row`` say what ``record`` (already validated) says, its products included.

    Products are matched by position: the first product of the record updates
    the row's first product, and so on; extra ones are added or removed. So
    only what really changed is written.
    """
    assign(row, record, SUPPLIER_COLUMNS)
    wanted = record.get("products") or []
    products = list(row.products)[:len(wanted)]
    for position, values in enumerate(wanted):
        if position == len(products):
            products.append(Product())
        products[position].position = position
        assign(products[position], values, list(PRODUCT))
    row.products = products
