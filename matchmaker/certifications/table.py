"""The certification table: ``certifications.toml`` loaded once and checked as it loads."""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from ..domain import INDUSTRIES
from .spelling import read

TABLE_FILE = "certifications.toml"
# "general" marks what every industry uses (ISO 9001, ISO 14001 ...).
INDUSTRY_CODES = frozenset(INDUSTRIES) | {"general"}
SCHEMES = frozenset({
    "management-system",  # audited by an accredited body against an ISO-style standard
    "product-certification",  # a mark or certificate on the product, by a third party
    "regulatory",  # conformity with a law or regulation, often self-declared (CE, RoHS, REACH)
    "gmp",  # manufacturing practice inspected by a regulator or accredited body
    "registration",  # a filing with an authority, not an assessment (FDA registration, CPNP)
    "sustainability",  # environmental, social or sourcing standards and ratings
    "customer-programme",  # one buyer's own supplier certification (Samsung Eco-Partner)
    "company-designation",  # a status of the company, not of a product or process (INNOBIZ)
    "accreditation",  # competence of a laboratory or inspection body
})
_FIELDS = {"id", "name", "name_ko", "industries", "aliases", "scheme", "notes"}


class TableError(ValueError):
    """The table contradicts itself or the rules of the normalizer."""


@dataclass(frozen=True)
class Certification:
    """One row of the table: a scheme, standard or mark, and how people write it."""

    id: str
    name: str
    name_ko: str | None
    industries: tuple[str, ...]
    aliases: tuple[str, ...]
    scheme: str | None = None
    notes: str | None = None

    def spellings(self) -> tuple[str, ...]:
        """Every spelling that must parse to this entry: id, names and aliases."""
        return (self.id, self.name, *([self.name_ko] if self.name_ko else []), *self.aliases)


@dataclass(frozen=True)
class Table:
    """The entries in file order, by id, and each lookup key's id."""

    entries: tuple[Certification, ...]
    by_id: Mapping[str, Certification]
    by_key: Mapping[str, str]


@cache
def table() -> Table:
    """The packaged table, read and validated on first use."""
    text = files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return build(tomllib.loads(text).get("certification", []))


def build(rows: list[dict[str, Any]]) -> Table:
    """A :class:`Table` from raw rows; :class:`TableError` naming the first problem found."""
    entries = tuple(_entry(row, number) for number, row in enumerate(rows, 1))
    if not entries:
        raise TableError("the table has no entries")
    by_id: dict[str, Certification] = {}
    by_key: dict[str, str] = {}
    for entry in entries:
        if entry.id in by_id:
            raise TableError(f"{entry.id!r} appears twice")
        by_id[entry.id] = entry
        for spelling in entry.spellings():
            registered = _key(entry.id, spelling)
            owner = by_key.setdefault(registered, entry.id)
            if owner != entry.id:
                raise TableError(f"{spelling!r} of {entry.id!r} reads as {owner!r} (key {registered!r})")
    return Table(entries, by_id, by_key)


def _entry(row: dict[str, Any], number: int) -> Certification:
    """One row checked for its fields and their types."""
    where = f"entry {number} ({row.get('id', 'no id')!r})"
    if unknown := set(row) - _FIELDS:
        raise TableError(f"{where}: unknown fields {sorted(unknown)}")
    text_fields = {"id": True, "name": True, "name_ko": False, "scheme": False, "notes": False}
    for name, required in text_fields.items():
        value = row.get(name)
        if (required or value is not None) and not (isinstance(value, str) and value.strip() == value != ""):
            raise TableError(f"{where}: {name} must be a non-empty string without outer spaces")
    industries, aliases = row.get("industries"), row.get("aliases", [])
    if not isinstance(industries, list) or not industries or not set(industries) <= INDUSTRY_CODES:
        raise TableError(f"{where}: industries must be a non-empty list of {sorted(INDUSTRY_CODES)}")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise TableError(f"{where}: aliases must be a list of non-empty strings")
    if row.get("scheme") is not None and row["scheme"] not in SCHEMES:
        raise TableError(f"{where}: scheme must be one of {sorted(SCHEMES)}")
    return Certification(row["id"], row["name"], row.get("name_ko"), tuple(industries), tuple(aliases),
                         row.get("scheme"), row.get("notes"))


def _key(cert_id: str, spelling: str) -> str:
    """The key ``spelling`` is registered under; it must read as held and name something."""
    try:
        found = read(spelling)
    except ValueError:
        raise TableError(f"{spelling!r} of {cert_id!r} has no letters or digits") from None
    if not found.held:
        raise TableError(f"{spelling!r} of {cert_id!r} reads as pending or lapsed")
    if not found.full:
        raise TableError(f"{spelling!r} of {cert_id!r} is nothing but noise words")
    return found.keys()[0]
