"""What a buyer needs, whether it comes from a posted request or from a search box.

Fit signals and explanations are computed against :class:`Needs`, so a
request and a free-text search are ranked by the same rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import certifications

# Units buyers and suppliers write for the same thing; anything else is compared as written.
UNIT_ALIASES = {
    "pcs": ("pc", "pcs", "piece", "pieces", "ea", "each", "unit", "units", "개", "ea."),
    "set": ("set", "sets", "세트"),
    "kg": ("kg", "kgs", "kilogram", "kilograms", "킬로그램"),
    "t": ("t", "ton", "tons", "tonne", "tonnes", "mt", "톤"),
    "m": ("m", "meter", "meters", "metre", "metres", "미터"),
    "m2": ("m2", "m²", "sqm", "square meter", "square meters", "square metre", "square metres", "㎡"),
    "l": ("l", "liter", "liters", "litre", "litres", "리터"),
    "carton": ("carton", "cartons", "ctn", "ctns", "box", "boxes", "박스"),
    "roll": ("roll", "rolls", "롤"),
    "pair": ("pair", "pairs", "켤레"),
    "kit": ("kit", "kits", "키트"),
    "case": ("case", "cases"),
    "bottle": ("bottle", "bottles", "병"),
    "batch": ("batch", "batches", "lot", "lots"),
}
_UNIT_OF = {alias: canonical for canonical, aliases in UNIT_ALIASES.items() for alias in aliases}


def normalize_unit(unit: str | None) -> str | None:
    """One spelling per unit (``pieces`` and ``ea`` are ``pcs``); unknown units lower-cased as written."""
    if not unit or not unit.strip():
        return None
    cleaned = re.sub(r"\s+", " ", unit.strip().lower())
    return _UNIT_OF.get(cleaned, _UNIT_OF.get(cleaned.rstrip("."), cleaned))


@dataclass(frozen=True)
class Needs:
    """The structured part of a buyer's need (the text itself is searched)."""

    text: str = ""  # what is searched: the buyer's words without the certifications they name
    key_text: str = ""  # the words that must be matched for a lexical fit: a title, or the search box
    certifications: tuple[str, ...] = ()  # canonical ids, all required
    quantity: int | None = None
    unit: str | None = None
    max_lead_time_days: int | None = None
    country: str | None = None
    industry: str | None = None
    named_certifications: tuple[str, ...] = field(default=(), compare=False)  # only named in the text

    @property
    def all_certifications(self) -> tuple[str, ...]:
        """Required and merely mentioned certifications, without repeats."""
        return tuple(dict.fromkeys(self.certifications + self.named_certifications))


def _searchable(text: str) -> str:
    # Certifications are checked as facts; searched as words they pull in every holder of
    # that certificate whatever it makes. A query that is nothing but a certificate keeps it.
    return certifications.without_mentions(text) or text


def needs_from_request(request) -> Needs:
    """The needs of a buyer request (a model row or a contract record)."""
    get = request.get if isinstance(request, dict) else lambda name: getattr(request, name, None)
    title, description = (get("title") or "").strip(), (get("description") or "").strip()
    text = title if description == title else "\n".join(part for part in (title, description) if part)
    required = certifications.canonical_list(get("required_certifications") or [], held_only=False)
    mentioned = tuple(cert for cert in certifications.mentions(text) if cert not in required)
    return Needs(text=_searchable(text), key_text=_searchable(title or description), certifications=tuple(required),
                 quantity=get("quantity"), unit=normalize_unit(get("unit")),
                 max_lead_time_days=get("max_lead_time_days"), country=get("buyer_country"),
                 industry=get("industry"), named_certifications=mentioned)


def needs_from_text(text: str, certification: str | None = None, industry: str | None = None) -> Needs:
    """The needs of a search: certifications named in the box count as wanted, a filter as required."""
    required = tuple(certifications.canonical_list([certification], held_only=False)) if certification else ()
    mentioned = tuple(cert for cert in certifications.mentions(text) if cert not in required)
    return Needs(text=_searchable(text), key_text=_searchable(text), certifications=required, industry=industry,
                 named_certifications=mentioned)
