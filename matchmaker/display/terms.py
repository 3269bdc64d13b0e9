"""English key terms for Korean text, from the bilingual synonym file, and certification names."""
from __future__ import annotations

import re

from search.synonyms import Synonyms

from .. import certifications
from .hangul import has_hangul

_LATIN = re.compile(r"[A-Za-z]")
KEY_TERMS = 6  # more than this on a card is noise


def has_latin(text: str | None) -> bool:
    """Whether ``text`` has any Latin letter (an English word, a model number, a certificate)."""
    return bool(text and _LATIN.search(text))


def english_terms(text: str | None, limit: int = 3) -> list[str]:
    """English phrases for the Korean manufacturing terms in ``text`` (empty for text without Hangul)."""
    if not text or not has_hangul(text):
        return []
    return Synonyms.load().english_terms(text, limit=limit)


def english_key_terms(supplier, limit: int = KEY_TERMS) -> list[str]:
    """English key terms of a supplier's Korean products and capabilities (its description when it lists none)."""
    found: dict[str, None] = {}
    # Product and capability names say what the company makes; a description also says where it sells
    # and how it works, which gives terms ("export", "smart factory") that do not tell suppliers apart.
    for text in [p.name for p in supplier.products] + list(supplier.capabilities or []):
        for term in english_terms(text, limit=limit):
            found.setdefault(term)
    if not found:
        found.update(dict.fromkeys(english_terms(supplier.description, limit=3)))
    return list(found)[:limit]


def certification(text: str) -> certifications.ParsedCertification:
    """A written certification parsed (``.id``, ``.held``); unreadable text stays as written, held."""
    try:
        return certifications.parse(text)
    except ValueError:
        return certifications.ParsedCertification(text, text, False, True)


def certification_id(text: str) -> str:
    """The canonical id of a written certification (``iso9001`` is ``ISO 9001``; ``-`` stays ``-``)."""
    return certification(text).id


def certification_label(cert_id: str) -> str:
    """The English name of a canonical certification id."""
    return certifications.label(cert_id)
