"""A product's trade facts in one line: HS code with its English description, MOQ, lead time."""
from __future__ import annotations

from .hs import hs_description


def product_facts(product) -> list[str]:
    """``["HS 8708.30 (Vehicle parts; brakes…)", "MOQ 12,000 sets", "31 days lead time"]``, leaving out unknowns."""
    facts = []
    if product.hs_code:
        described = hs_description(product.hs_code)
        facts.append(f"HS {product.hs_code}" + (f" ({described})" if described else ""))
    if product.moq:
        facts.append(f"MOQ {product.moq:,} {product.unit or ''}".strip())
    if product.lead_time_days is not None:
        facts.append(f"{product.lead_time_days} days lead time")
    return facts
