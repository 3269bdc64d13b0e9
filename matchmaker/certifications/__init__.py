"""Certifications as facts, not strings: one canonical id for every way of writing one.

``parse("ISO9001:2015 (KSA)")``, ``parse("KS Q ISO 9001 인증")`` and
``parse("iso-9001 certified by BSI")`` all give the id ``ISO 9001``;
``parse("해썹")`` gives ``HACCP``; ``parse("IATF 16949 (2025 예정)")`` gives
``IATF 16949`` with ``held=False``. The table (``certifications.toml``) says
which schemes exist; ``text.py`` and ``status.py`` say what is noise and what
means "not held yet". Lookalike schemes (KGMP, EU GMP, US cGMP, PIC/S GMP)
are separate entries, and names that could mean several (bare ``GMP``,
``CGMP``, ``API``, ``Organic``) are deliberately left unknown.

Ids: the short form people write (``ISO 9001``, ``IATF 16949``, ``KC``).
Unknown certifications keep an id made of their words, upper-cased, one space
apart, without years, versions, issuers and filler words, so spellings that
differ only in case, spacing or punctuation agree (``xyz-123 cert`` → ``XYZ 123``).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .mentions import mentions, without_mentions
from .spelling import read
from .table import INDUSTRY_CODES, Certification, TableError, table

__all__ = [
    "Certification", "ParsedCertification", "TableError", "all_certifications", "canonical",
    "canonical_list", "for_industry", "label", "lookup", "mentions", "parse", "without_mentions",
]


@dataclass(frozen=True)
class ParsedCertification:
    """What a written certification says: which scheme, whether we know it, whether it is held."""

    original: str  # the text as written, stripped
    id: str  # canonical id, or for an unknown certification its cleaned words (see the module doc)
    known: bool  # the id is in the table
    held: bool  # False when the text says pending, planned, applied for, in audit, or lapsed


def parse(text: str) -> ParsedCertification:
    """Read one written certification.

    Raises :class:`ValueError` when ``text`` has no letter or digit (empty,
    whitespace, ``"-"``): there is nothing to keep, and a silent placeholder
    would end up stored as a certification. :func:`canonical` returns ``None``
    for such text instead.
    """
    spelling = read(text)
    by_key = table().by_key
    for key in spelling.keys():
        if key in by_key:
            return ParsedCertification(spelling.original, by_key[key], True, spelling.held)
    return ParsedCertification(spelling.original, spelling.unknown_id(), False, spelling.held)


def canonical(text: str | None) -> str | None:
    """The id of a held certification; ``None`` when pending, lapsed, empty or blank."""
    try:
        found = parse(text or "")
    except ValueError:
        return None
    return found.id if found.held else None


def canonical_list(texts: Iterable[str | None], *, held_only: bool = True) -> list[str]:
    """The ids of the held certifications among ``texts``, each once, in first-seen order.

    ``held_only=False`` keeps pending ones too: a buyer's requirement names a
    scheme, whatever words of status came with it.
    """
    ids: dict[str, None] = {}
    for text in texts:
        if held_only:
            found = canonical(text)
        else:
            try:
                found = parse(text or "").id
            except ValueError:
                found = None
        if found is not None:
            ids.setdefault(found)
    return list(ids)


def lookup(cert_id: str) -> Certification | None:
    """The table entry with exactly this canonical id (use :func:`parse` for free text)."""
    return table().by_id.get(cert_id)


def label(cert_id: str) -> str:
    """English display name for an id; the id itself when it is not in the table."""
    entry = lookup(cert_id)
    return entry.name if entry else cert_id


def all_certifications() -> list[Certification]:
    """Every entry, in table order (grouped by industry), for form choice lists."""
    return list(table().entries)


def for_industry(code: str, *, include_general: bool = True) -> list[Certification]:
    """Entries for an industry code, then (unless told not to) the ``general`` ones.

    An unknown code raises :class:`ValueError`: a typo would otherwise show an
    empty choice list that looks like a fact.
    """
    if code not in INDUSTRY_CODES:
        raise ValueError(f"unknown industry code {code!r}")
    entries = all_certifications()
    specific = [entry for entry in entries if code in entry.industries]
    general = [entry for entry in entries if "general" in entry.industries and entry not in specific]
    return specific + (general if include_general else [])
