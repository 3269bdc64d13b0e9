"""Supplier profiles kept by hand: create, change and delete, checked by the data contract as imports are.

Each function validates with :data:`~matchmaker.dataio.contract.SUPPLIER`
(raising :class:`InvalidSupplier` with the contract's field errors), writes the
row with the importer's :func:`~matchmaker.dataio.apply.apply_supplier`,
records an audit event and commits. A change made from a page that shows an
older version of the profile raises :class:`StaleSupplier` and writes nothing.
The search index follows after the commit (``search_sync``).
"""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..dataio.apply import apply_supplier
from ..dataio.contract import SUPPLIER, FieldError, validate
from ..dataio.exporter import supplier_record
from ..extensions import db
from ..models import Introduction, Match, SavedSupplier, Supplier, User, record_event
from ..models._columns import utcnow

STALE = _l("Someone else saved this profile after you opened it, so your changes were not saved.")


class InvalidSupplier(ValueError):
    """The record breaks the data contract; ``errors`` names each field."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


class StaleSupplier(RuntimeError):
    """The profile changed since the page that sent this change was shown."""

    def __init__(self):
        super().__init__(str(STALE))


def new_external_id() -> str:
    """A fresh key for a profile made by hand (profiles from other systems bring their own)."""
    return "sup-" + secrets.token_hex(6)


def compact(record: dict) -> dict:
    """``record`` (and its products) without empty fields, so a stored row and a typed record compare."""
    out = {}
    for name, value in record.items():
        if isinstance(value, list):
            value = [compact(item) if isinstance(item, dict) else item for item in value]
        if value not in (None, "", []):
            out[name] = value
    return out


def checked(record: dict) -> dict:
    """The clean record, or :class:`InvalidSupplier`."""
    clean, errors = validate(SUPPLIER, record, 0)
    if errors:
        raise InvalidSupplier(errors)
    return compact(clean)


def _refuse_if_taken(external_id: str) -> None:
    if db.session.scalar(select(Supplier.id).where(Supplier.external_id == external_id)) is not None:
        raise InvalidSupplier([FieldError(0, "external_id", _("%(id)s is already used by another supplier",
                                                              id=external_id))])


def create_supplier(record: dict, actor: User | None) -> Supplier:
    """Add a supplier from a contract record; without an ``external_id`` one is made up."""
    given = record.get("external_id")
    record = {**record, "external_id": given if isinstance(given, str) and given.strip() else new_external_id()}
    clean = checked(record)
    _refuse_if_taken(clean["external_id"])
    row = Supplier()
    apply_supplier(row, clean)
    db.session.add(row)
    record_event("supplier.create", actor=actor, entity_type="supplier", entity_id=row.external_id, after=clean)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        _refuse_if_taken(clean["external_id"])  # the same id, saved by someone else a moment ago
        raise
    return row


def check_version(row: Supplier, version: str | int | None) -> None:
    """Refuse a change sent from a page that showed another version of ``row`` (or none)."""
    try:
        seen = int(version)
    except (TypeError, ValueError):
        seen = None
    if seen != row.version:
        raise StaleSupplier()


def changes(row: Supplier, record: dict) -> dict[str, tuple]:
    """The contract fields where ``record`` differs from ``row``, as ``{field: (before, after)}``."""
    before, after = compact(supplier_record(row)), compact(record)
    return {name: (before.get(name), after.get(name)) for name in SUPPLIER if before.get(name) != after.get(name)}


def differences(row: Supplier, record: dict) -> dict[str, tuple]:
    """Like :func:`changes` for a record that may not be valid: what a refused stale edit shows."""
    clean, _errors = validate(SUPPLIER, {**record, "external_id": row.external_id}, 0)
    return changes(row, clean)


def update_supplier(row: Supplier, record: dict, actor: User | None, version: str | int | None) -> list[str]:
    """Change ``row`` to say what ``record`` says; return the fields that changed (none: nothing written).

    The external id is the profile's key in other systems and stays as it is.
    """
    check_version(row, version)
    clean = checked({**record, "external_id": row.external_id})
    changed = changes(row, clean)
    if not changed:
        return []
    with _saving():
        apply_supplier(row, clean)
        row.updated_at = utcnow()  # an UPDATE of the row, so its version moves even when only products changed
        record_event("supplier.update", actor=actor, entity_type="supplier", entity_id=row.external_id,
                     before={name: pair[0] for name, pair in changed.items()},
                     after={name: pair[1] for name, pair in changed.items()})
    return list(changed)


def removal_summary(row: Supplier) -> dict[str, int]:
    """What goes with ``row`` when it is deleted: its products, matches, introductions and saved-list entries."""
    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(model.supplier_id == row.id))
    return {"products": len(row.products), "matches": count(Match), "introductions": count(Introduction),
            "saved": count(SavedSupplier)}


def delete_supplier(row: Supplier, actor: User | None, version: str | int | None) -> dict[str, int]:
    """Delete ``row`` with its products, matches, introductions and saved-list entries; return how many of each."""
    check_version(row, version)
    summary = removal_summary(row)
    with _saving():
        record_event("supplier.delete", actor=actor, entity_type="supplier", entity_id=row.external_id,
                     before={"name": row.name, "name_en": row.name_en, "industry": row.industry, **summary})
        # Matches, introductions and saved entries go by the database's ON DELETE CASCADE.
        db.session.delete(row)
    return summary


@contextmanager
def _saving() -> Iterator[None]:
    # Any flush in the block, or the commit, finds out when the row changed since it was read.
    try:
        yield
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleSupplier() from None
