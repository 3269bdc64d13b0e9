"""The "Why here" line: a candidate's score breakdown as a sales specialist reads it at a glance.

"Words: #3 · Meaning: #1 (USE), #2 (E5) · Certifications −0.50 · Lead time +0", from
``Match.explanation["breakdown"]`` as matching stored it (:meth:`SupplierMatch.breakdown`).
Any part may be missing (no word in common, an index without vectors, rows
ranked before breakdowns were stored): what is missing is left out.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Encoder ids (index field names) by the names specialists know them by.
ENCODERS = {"minilm": "MiniLM", "all-MiniLM-L6-v2": "MiniLM", "usem3": "USE", "e5": "E5"}
SIGNALS = {"certifications": _l("Certifications"), "moq": _l("Minimum order"), "lead_time": _l("Lead time"),
           "export": _l("Export experience"), "smart_factory": _l("Smart-factory level"),
           "industry": _l("Industry"), "product": _l("Product match")}


def encoder_label(encoder_id: str) -> str:
    """An encoder by its short name ("usem3" as USE); an unknown one by its id."""
    if encoder_id in ENCODERS:
        return ENCODERS[encoder_id]
    lowered = encoder_id.lower()
    # Field names made from a model path ("multilingual_e5_small") still say which family they are.
    return next((name for key, name in (("minilm", "MiniLM"), ("e5", "E5")) if key in lowered), encoder_id)


def signal_label(name: str) -> str:
    """A fit signal by its name in the interface language ("lead_time" as "Lead time")."""
    return str(SIGNALS.get(name, name))


def _effect(value: float) -> str:
    # A true minus sign; an effect too small to show reads "+0", not "+0.00" or "−0.00".
    return "+0" if round(value, 2) == 0 else f"{value:+.2f}".replace("-", "−")


def _words(lexical: Mapping[str, Any] | None) -> str:
    if not lexical:
        return _("Words: none in common")
    return _("Words: #%(rank)s", rank=lexical["rank"]) if lexical.get("rank") else _("Words: in common")


def _meaning(vectors: Mapping[str, Mapping[str, Any]]) -> str | None:
    ranked = sorted((v["rank"], encoder_label(name)) for name, v in vectors.items() if v and v.get("rank"))
    if not ranked:
        return _("Meaning: not among the closest") if vectors else None
    return _("Meaning: %(ranks)s", ranks=", ".join(f"#{rank} ({name})" for rank, name in ranked))


def why_here(explanation: Mapping[str, Any] | None) -> list[str]:
    """The line's parts: words, meaning, each fit signal (biggest effect first); none without a breakdown."""
    breakdown = (explanation or {}).get("breakdown")
    if not isinstance(breakdown, Mapping):
        return []
    parts = [_words(breakdown.get("lexical"))]
    meaning = _meaning(breakdown.get("vectors") or {})
    if meaning:
        parts.append(meaning)
    fit = breakdown.get("fit") or {}
    parts += [f"{signal_label(name)} {_effect(effect or 0)}"
              for name, effect in sorted(fit.items(), key=lambda item: -abs(item[1] or 0))]
    return parts
