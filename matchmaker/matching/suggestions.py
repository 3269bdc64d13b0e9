"""Suggested matches for buyer requests: the matching service's top candidates, stored as ``Match`` rows.

Re-running is safe: a pair somebody has already decided on (shortlisted,
rejected, anywhere in the pipeline, graded, pinned, or with notes) keeps its
status, grade, notes and place and only gets fresh scores; untouched suggestions that fell
off the list are removed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from search.backend import BackendError

from ..domain import OPEN_REQUEST_STATUSES
from ..extensions import db
from ..models import BuyerRequest, Match
from ..models._columns import utcnow
from .service import MatchPage, SupplierMatch, match_request


@dataclass
class SuggestionReport:
    """What matching a batch of requests did."""

    requests: int = 0
    suggested: int = 0
    kept_decisions: int = 0
    nothing_fits: list[str] = field(default_factory=list)  # request external ids
    error: str | None = None

    def summary(self) -> str:
        """One line for people."""
        if self.error:
            return f"Matching skipped: {self.error}"
        text = f"Matched {self.requests} request(s): {self.suggested} suggestion(s)"
        if self.kept_decisions:
            text += f", {self.kept_decisions} curated match(es) kept"
        if self.nothing_fits:
            text += f"; nothing fits {len(self.nothing_fits)} request(s), closest partial matches stored"
        return text + "."


def _decided(row: Match) -> bool:
    return row.status != "suggested" or row.grade is not None or bool(row.notes) or bool(row.pinned)


def _explanation(match: SupplierMatch, partial: bool) -> dict:
    data = match.explanation.as_dict() if match.explanation else {}
    return {**data, "breakdown": match.breakdown(), "partial": partial}


def store(request: BuyerRequest, page: MatchPage) -> tuple[int, int]:
    """Write ``page``'s candidates as suggestions of ``request``; return (suggested, decisions kept)."""
    partial = page.fits_nothing
    candidates = page.partial if partial else page.items
    existing = {row.supplier_id: row for row in db.session.scalars(select(Match).where(Match.request_id == request.id))}
    now, chosen = utcnow(), set()
    for position, match in enumerate(candidates, start=1):
        row = existing.get(match.supplier.id)
        if row is None:
            row = Match(request_id=request.id, supplier_id=match.supplier.id, status="suggested")
            db.session.add(row)
        chosen.add(match.supplier.id)
        row.rank, row.score, row.relevance = position, match.score, match.relevance
        row.lexical_score, row.vector_score = match.hit.lexical_score, match.hit.vector_score
        row.explanation, row.matched_at, row.ranked_by = _explanation(match, partial), now, page.profile or None
    kept = 0
    for supplier_id, row in existing.items():
        if supplier_id in chosen:
            continue
        if _decided(row):
            row.rank = None  # no longer among the top candidates, but the decision stands
            kept += 1
        else:
            db.session.delete(row)
    return len(candidates), kept + sum(1 for s in chosen if s in existing and _decided(existing[s]))


def suggest(requests: Iterable[BuyerRequest], progress: Callable[[int], None] | None = None) -> SuggestionReport:
    """Match each request and store its suggestions, committing once per request."""
    report = SuggestionReport()
    for request in requests:
        try:
            page = match_request(request)
        except BackendError as exc:
            db.session.rollback()
            report.error = str(exc)
            return report
        suggested, kept = store(request, page)
        db.session.commit()
        report.requests += 1
        report.suggested += suggested
        report.kept_decisions += kept
        if page.fits_nothing:
            report.nothing_fits.append(request.external_id)
        if progress:
            progress(1)
    return report


def suggest_for_ids(external_ids: Iterable[str], progress=None) -> SuggestionReport:
    """:func:`suggest` for the requests with these external ids."""
    ids = list(external_ids)
    rows = []
    for start in range(0, len(ids), 500):
        rows += db.session.scalars(select(BuyerRequest).where(BuyerRequest.external_id.in_(ids[start:start + 500])))
    return suggest(sorted(rows, key=lambda row: row.external_id), progress)


def open_request_ids() -> list[str]:
    """External ids of every open request, in id order."""
    return list(db.session.scalars(select(BuyerRequest.external_id)
                                   .where(BuyerRequest.status.in_(OPEN_REQUEST_STATUSES))
                                   .order_by(BuyerRequest.external_id)))


def existing_request_ids(ids: list[str]) -> list[str]:
    """Which of ``ids`` are requests in the database."""
    found = []
    for start in range(0, len(ids), 500):
        found += db.session.scalars(select(BuyerRequest.external_id)
                                    .where(BuyerRequest.external_id.in_(ids[start:start + 500])))
    return found


def stored_matches(external_id: str) -> list[Match]:
    """A request's matches, ranked ones first."""
    return list(db.session.scalars(select(Match).join(BuyerRequest).where(BuyerRequest.external_id == external_id)
                                   .order_by(Match.rank.is_(None), Match.rank, Match.id)))
