"""Fit signals: how well a supplier meets a buyer's certifications, quantity, lead time and market.

Each signal is a pure function of the :class:`~.needs.Needs`, the supplier's
facts and the product that answers the request; it returns a :class:`Signal`
with its effect on the score (weights from the ranking profile), a status and
words a buyer can read.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .. import certifications
from ..display.codes import country_name
from .needs import Needs, normalize_unit
from .profile import FitWeights

MET, MISSING, PARTIAL, UNKNOWN, INFO = "met", "missing", "partial", "unknown", "info"


@dataclass(frozen=True)
class Signal:
    """One fit signal's verdict."""

    name: str
    effect: float
    status: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "effect": round(self.effect, 4), "status": self.status, "detail": self.detail,
                **({"data": self.data} if self.data else {})}


@dataclass(frozen=True)
class SupplierFacts:
    """What the fit signals read of a supplier (from a model row, see :func:`facts_of`)."""

    certifications: frozenset[str]  # held, canonical
    pending: frozenset[str]  # applied for, in progress
    export_markets: tuple[str, ...]
    smart_factory_level: int | None
    industry: str


@functools.lru_cache(maxsize=8192)
def _pending(text: str) -> str | None:
    # The id of a certificate written as applied for, in progress or lapsed; None when held or unreadable.
    try:
        found = certifications.parse(text)
    except ValueError:
        return None
    return None if found.held else found.id


def facts_of(supplier) -> SupplierFacts:
    """The fit facts of a supplier row (held certifications are its stored canonical ids)."""
    pending = {cert for text in supplier.certifications or [] if text and (cert := _pending(text))}
    return SupplierFacts(frozenset(supplier.certification_ids or ()), frozenset(pending),
                         tuple(supplier.export_markets or ()), supplier.smart_factory_level, supplier.industry)


def certification_signal(needs: Needs, facts: SupplierFacts, weights: FitWeights) -> Signal | None:
    """Required certifications held, pending or missing; ones only named in a search count for less.

    Typed into a search box, a certificate may be a wish rather than a must
    (the catalog's certification filter is the must); it should order
    suppliers who make the same thing, not lift holders who make something else.
    """
    wanted = needs.all_certifications
    if not wanted:
        return None
    met = [c for c in wanted if c in facts.certifications]
    pending = [c for c in wanted if c not in facts.certifications and c in facts.pending]
    missing = [c for c in wanted if c not in facts.certifications and c not in facts.pending]

    def share(items):
        return sum(1.0 if c in needs.certifications else weights.named_certification for c in items) / len(wanted)
    effect = weights.missing_certification * share(missing) + weights.pending_certification * share(pending)
    # Ids are the short names buyers write ("ISO 13485"); the table's long names are for tooltips.
    parts = [f"has {c}" for c in met] + [f"applying for {c}" for c in pending] + [f"no {c}" for c in missing]
    status = MET if not (missing or pending) else (MISSING if not met and not pending else PARTIAL)
    return Signal("certifications", effect, status, ", ".join(parts),
                  {"met": met, "pending": pending, "missing": missing})


def moq_signal(needs: Needs, product, weights: FitWeights) -> Signal | None:
    """The product's minimum order against the requested quantity, in the same unit only."""
    if needs.quantity is None or product is None or product.moq is None:
        return None
    unit, asked = normalize_unit(product.unit), needs.unit
    moq_text = f"MOQ {product.moq:,} {product.unit or ''}".strip()
    if asked and unit and asked != unit:
        return Signal("moq", 0.0, UNKNOWN, f"{moq_text}; you asked for {needs.quantity:,} {needs.unit} "
                      "(different units, not compared)", {"moq": product.moq, "unit": product.unit})
    if product.moq > needs.quantity:
        return Signal("moq", weights.moq_above_quantity, MISSING, f"{moq_text} is above your {needs.quantity:,}",
                      {"moq": product.moq, "unit": product.unit, "quantity": needs.quantity})
    return Signal("moq", 0.0, MET, f"{moq_text} fits your {needs.quantity:,}",
                  {"moq": product.moq, "unit": product.unit, "quantity": needs.quantity})


def lead_time_signal(needs: Needs, product, weights: FitWeights) -> Signal | None:
    """The product's lead time against the buyer's limit."""
    if needs.max_lead_time_days is None or product is None or product.lead_time_days is None:
        return None
    days, limit = product.lead_time_days, needs.max_lead_time_days
    if days > limit:
        return Signal("lead_time", weights.lead_time_over, MISSING, f"lead time {days} days, over your {limit}",
                      {"days": days, "limit": limit})
    return Signal("lead_time", 0.0, MET, f"lead time {days} days, within your {limit}", {"days": days, "limit": limit})


def export_signal(needs: Needs, facts: SupplierFacts, weights: FitWeights) -> Signal | None:
    """Export experience, in the buyer's country above all."""
    if needs.country and needs.country in facts.export_markets:
        return Signal("export", weights.exports_to_country, MET, f"exports to {country_name(needs.country)}",
                      {"country": needs.country})
    if facts.export_markets:
        shown = ", ".join(country_name(code) for code in facts.export_markets[:3])
        more = f" and {len(facts.export_markets) - 3} more" if len(facts.export_markets) > 3 else ""
        status = PARTIAL if needs.country else INFO
        prefix = f"no exports to {country_name(needs.country)} yet; " if needs.country else ""
        return Signal("export", weights.exports_elsewhere, status, f"{prefix}exports to {shown}{more}",
                      {"markets": list(facts.export_markets)})
    return None


def smart_factory_signal(facts: SupplierFacts, weights: FitWeights) -> Signal | None:
    """A small preference for more advanced smart factories."""
    if not facts.smart_factory_level:
        return None
    level = facts.smart_factory_level
    return Signal("smart_factory", weights.smart_factory_per_level * level, INFO, f"smart-factory level {level}",
                  {"level": level})


def industry_signal(needs: Needs, facts: SupplierFacts, weights: FitWeights) -> Signal | None:
    """A request that names an industry prefers suppliers in it."""
    if not needs.industry or needs.industry == facts.industry:
        return None
    return Signal("industry", weights.industry_mismatch, PARTIAL, "in another industry than requested",
                  {"industry": facts.industry})


def product_signal(share: float, weights: FitWeights) -> Signal | None:
    """How much of what the buyer asked for one of the supplier's products names (share of key words)."""
    if share <= 0:
        return None
    detail = "a product's name has all your key words" if share >= 1 else \
        f"a product's name has {share:.0%} of your key words"
    return Signal("product", weights.product_match * share, MET if share >= 1 else PARTIAL, detail,
                  {"share": round(share, 3)})


def fit_signals(needs: Needs, facts: SupplierFacts, product, weights: FitWeights,
                product_share: float = 0.0) -> list[Signal]:
    """Every signal that has something to say, with the profile's weights applied."""
    signals = [product_signal(product_share, weights),
               certification_signal(needs, facts, weights), moq_signal(needs, product, weights),
               lead_time_signal(needs, product, weights), export_signal(needs, facts, weights),
               smart_factory_signal(facts, weights), industry_signal(needs, facts, weights)]
    return [signal for signal in signals if signal is not None]
