"""All-or-nothing import of suppliers, requests and judgments, upserting on external ids.

Every line is checked before anything is written. With errors, nothing is
written and :class:`ImportFailed` lists each bad line and field; with
``skip_invalid`` the good lines are imported and the bad ones reported. The
writes happen in one transaction, so a database error also leaves no half
import behind.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import BuyerRequest, Match, RequestEvent, Supplier, record_event
from .apply import apply_supplier, assign
from .contract import JUDGMENT, REQUEST, SUPPLIER, FieldError, validate
from .jsonl import read_lines

Progress = Callable[[int], None]
CHUNK = 500  # rows looked up per IN (...) query


class ImportFailed(Exception):
    """The file has bad lines; nothing was imported."""

    def __init__(self, kind: str, errors: list[FieldError]):
        self.kind = kind
        self.errors = errors
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = "\n".join(f"  {error}" for error in self.errors)
        return f"{len(self.errors)} error(s) in the {self.kind} file; nothing was imported:\n{lines}"


@dataclass
class ImportReport:
    """What an import did."""

    kind: str
    created: int = 0
    updated: int = 0
    skipped: list[FieldError] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # external ids written
    notes: list[str] = field(default_factory=list)  # what happened after the import (matching)

    @property
    def skipped_lines(self) -> int:
        """How many distinct lines were left out."""
        return len({error.line for error in self.skipped})

    def summary(self) -> str:
        """One line for people."""
        text = f"{self.kind}: {self.created} created, {self.updated} updated"
        text += f", {self.skipped_lines} bad line(s) skipped" if self.skipped else ""
        return "\n".join([text, *self.notes])


NO_RECORDS = "the file has no records: it is empty or has only blank lines"


def parse(raw_lines: Iterable[bytes], spec, key: Callable[[dict], Any], key_name: str, kind: str = "records"):
    """Decode and check every line; return the good ``(line, record)`` pairs and all errors.

    A key seen twice is an error on the later line, which names the earlier one.
    A file without a single record raises :class:`ImportFailed` (also with
    ``skip_invalid``): an empty file is a mistake, not an import of nothing.
    """
    good: list[tuple[int, dict]] = []
    errors: list[FieldError] = []
    first_line: dict[Any, int] = {}
    for line, obj, error in read_lines(raw_lines):
        if error:
            errors.append(error)
            continue
        record, problems = validate(spec, obj, line)
        if problems:
            errors.extend(problems)
            continue
        record_key = key(record)
        if record_key in first_line:
            errors.append(FieldError(line, key_name, f"duplicate {record_key!r}, first given on line "
                                                     f"{first_line[record_key]}"))
            continue
        first_line[record_key] = line
        good.append((line, record))
    if not good and not errors:
        raise ImportFailed(kind, [FieldError(0, "", NO_RECORDS)])
    return good, errors


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing(model, ids: list[str], *options) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(ids):
        rows = db.session.scalars(select(model).where(model.external_id.in_(chunk)).options(*options))
        found.update((row.external_id, row) for row in rows)
    return found


def _run(kind: str, good, errors, skip_invalid: bool, write: Callable[[list, ImportReport], None]) -> ImportReport:
    if errors and not skip_invalid:
        raise ImportFailed(kind, errors)
    report = ImportReport(kind, skipped=errors)
    try:
        write(good, report)
        record_event(f"import.{kind}", entity_type=kind, created=report.created, updated=report.updated,
                     skipped_lines=report.skipped_lines)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def _upsert(model, records, report: ImportReport, progress: Progress | None,
            apply: Callable[[Any, dict], None], *options) -> None:
    """Create or update one ``model`` row per record, matched on external_id."""
    existing = _existing(model, [record["external_id"] for _, record in records], *options)
    for _, record in records:
        row = existing.get(record["external_id"])
        if row is None:
            row = model()
            db.session.add(row)
            report.created += 1
        else:
            report.updated += 1
        apply(row, record)
        report.keys.append(record["external_id"])
        if progress:
            progress(1)


def import_suppliers(raw_lines: Iterable[bytes], *, skip_invalid: bool = False,
                     progress: Progress | None = None) -> ImportReport:
    """Upsert supplier profiles (and replace their products) from JSON Lines."""
    good, errors = parse(raw_lines, SUPPLIER, lambda r: r["external_id"], "external_id", "suppliers")
    return _run("suppliers", good, errors, skip_invalid, lambda records, report: _upsert(
        Supplier, records, report, progress, apply_supplier, selectinload(Supplier.products)))


REQUEST_COLUMNS = list(REQUEST)


def _apply_request(row: BuyerRequest, record: dict) -> None:
    record = dict(record)
    if record.get("deadline"):
        record["deadline"] = date.fromisoformat(record["deadline"])
    assign(row, record, REQUEST_COLUMNS)
    if row.id is None and not row.events:
        row.events.append(RequestEvent(kind="posted"))  # a new request's timeline starts when it arrives


def import_requests(raw_lines: Iterable[bytes], *, skip_invalid: bool = False,
                    progress: Progress | None = None, match: bool = True) -> ImportReport:
    """Upsert buyer requests from JSON Lines, then (``match``) store suggested suppliers for each."""
    good, errors = parse(raw_lines, REQUEST, lambda r: r["external_id"], "external_id", "requests")
    report = _run("requests", good, errors, skip_invalid, lambda records, report: _upsert(
        BuyerRequest, records, report, progress, _apply_request))
    if match and report.keys:
        from ..matching.suggestions import suggest_for_ids  # the matching service imports this package

        report.notes.append(suggest_for_ids(report.keys).summary())
    return report


def _id_map(model, ids: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(ids)):
        found.update(db.session.execute(select(model.external_id, model.id).where(model.external_id.in_(chunk))).all())
    return found


def import_judgments(raw_lines: Iterable[bytes], *, skip_invalid: bool = False,
                     progress: Progress | None = None) -> ImportReport:
    """Record graded judgments as matches (request x supplier) with an explicit grade."""
    good, errors = parse(raw_lines, JUDGMENT, lambda r: (r["request_id"], r["supplier_id"]), "supplier_id",
                         "judgments")
    requests = _id_map(BuyerRequest, {r["request_id"] for _, r in good})
    suppliers = _id_map(Supplier, {r["supplier_id"] for _, r in good})
    known = []
    for line, record in good:
        problems = [FieldError(line, name, f"no {what} with external_id {record[name]!r}")
                    for name, what, ids in (("request_id", "request", requests), ("supplier_id", "supplier", suppliers))
                    if record[name] not in ids]
        errors.extend(problems)
        if not problems:
            known.append((line, record))
    errors.sort(key=lambda e: e.line)

    def write(records, report):
        existing = {(m.request_id, m.supplier_id): m for m in db.session.scalars(
            select(Match).where(Match.request_id.in_({requests[r["request_id"]] for _, r in records})))}
        for _, record in records:
            pair = (requests[record["request_id"]], suppliers[record["supplier_id"]])
            row = existing.get(pair)
            if row is None:
                row = Match(request_id=pair[0], supplier_id=pair[1], status="suggested")
                db.session.add(row)
                existing[pair] = row
                report.created += 1
            else:
                report.updated += 1
            row.grade = record["grade"]
            if progress:
                progress(1)
    return _run("judgments", known, errors, skip_invalid, write)


IMPORTERS = {"suppliers": import_suppliers, "requests": import_requests, "judgments": import_judgments}
