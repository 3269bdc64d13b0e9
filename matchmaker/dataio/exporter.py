"""Export suppliers, requests and judgments in the data contract's JSON Lines formats."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import BuyerRequest, Match, Supplier, User
from .contract import PRODUCT, REQUEST, SUPPLIER
from .jsonl import dumps

BATCH = 500  # rows streamed from the database at a time


def _compact(row: Any, fields) -> dict[str, Any]:
    """The contract fields of ``row`` in contract order, leaving out empty values."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(row, name)
        if value is None or value == [] or value == "":
            continue
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def supplier_record(supplier: Supplier) -> dict[str, Any]:
    """One supplier as a contract record."""
    record = _compact(supplier, [name for name in SUPPLIER if name != "products"])
    products = [_compact(product, PRODUCT) for product in supplier.products]
    if products:
        # Keep the contract's field order: products come right after region.
        ordered = {}
        for name in SUPPLIER:
            if name == "products":
                ordered["products"] = products
            elif name in record:
                ordered[name] = record[name]
        record = ordered
    return record


def index_record(supplier: Supplier) -> dict[str, Any]:
    """A supplier as the search index reads it: the contract record plus canonical certification ids."""
    return {**supplier_record(supplier), "certification_ids": list(supplier.certification_ids or [])}


def request_record(request: BuyerRequest) -> dict[str, Any]:
    """One buyer request as a contract record."""
    return _compact(request, REQUEST)


def iter_suppliers(for_index: bool = False) -> Iterator[dict[str, Any]]:
    """Every supplier as a record (``for_index``: as :func:`index_record`), streamed in id order."""
    stmt = (select(Supplier).options(selectinload(Supplier.products)).order_by(Supplier.id)
            .execution_options(yield_per=BATCH))
    for supplier in db.session.scalars(stmt):
        yield index_record(supplier) if for_index else supplier_record(supplier)


def iter_requests() -> Iterator[dict[str, Any]]:
    """Every buyer request as a record, in id order."""
    stmt = select(BuyerRequest).order_by(BuyerRequest.id).execution_options(yield_per=BATCH)
    for request in db.session.scalars(stmt):
        yield request_record(request)


def iter_judgments() -> Iterator[dict[str, Any]]:
    """Every judged match (explicit grade or a curation decision) as a judgment record.

    The grade is ``Match.judgment`` (the mapping is ``domain.STATUS_GRADES``).
    A decision made in the workspace also says what it was (``decision``),
    who made it and when (``decided_by``, ``decided_at``): fields beyond the
    contract, which importers ignore.
    """
    stmt = (select(Match, BuyerRequest.external_id, Supplier.external_id, User.email)
            .join(BuyerRequest, Match.request_id == BuyerRequest.id)
            .join(Supplier, Match.supplier_id == Supplier.id)
            .outerjoin(User, Match.decided_by_id == User.id)
            .order_by(BuyerRequest.id, Match.rank.is_(None), Match.rank, Supplier.id))
    for match, request_id, supplier_id, decided_by in db.session.execute(stmt):
        if match.judgment is None:
            continue
        record: dict[str, Any] = {"request_id": request_id, "supplier_id": supplier_id, "grade": match.judgment}
        if match.grade is None:  # derived from a decision, not imported
            record["decision"] = match.status
        if match.decided_at is not None:
            record["decided_by"] = decided_by
            record["decided_at"] = match.decided_at.isoformat()
        yield record


EXPORTERS = {"suppliers": iter_suppliers, "requests": iter_requests, "judgments": iter_judgments}


class ExportFailed(ValueError):
    """A stored value cannot be written as JSON (NaN or an infinity); the export stops there."""


def export(kind: str, handle: IO[str]) -> int:
    """Write every ``kind`` record to ``handle`` as JSON Lines; return how many."""
    count = 0
    for record in EXPORTERS[kind]():
        try:
            line = dumps(record)
        except ValueError as exc:
            key = record.get("external_id") or f"{record.get('request_id')} x {record.get('supplier_id')}"
            raise ExportFailed(f"{kind} record {count + 1} ({key}) cannot be exported: it holds NaN or an "
                               f"infinity, which JSON cannot represent ({exc})") from exc
        handle.write(line + "\n")
        count += 1
    return count
