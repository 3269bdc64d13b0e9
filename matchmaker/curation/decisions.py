"""A specialist's decisions on one request's candidates: accept, reject, restore, pin, reorder, note, add by hand.

Each decision is a compare-and-set on the match's ``revision``: the page
carries the revision the specialist saw, and the decision is refused if
another specialist decided on the same supplier in between (no lost updates).
Internal callers (the demo history, the pipeline) pass ``revision=None`` to
skip the check. Every decision records who made it and when (the judgment's
provenance), writes the audit trail and commits.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..dataio.limits import NOTE_CHARS
from ..domain import PIPELINE_STAGES, REJECT_REASONS
from ..extensions import db
from ..forms import NUL_MESSAGE
from ..models import BuyerRequest, Match, MatchStep, Supplier, User, record_event
from ..models.match import curated_order
from ..models._columns import utcnow
from ..rfq.service import RequestStateError, record

STALE_MATCH = _l("Someone else changed this supplier's place on the request since you opened the page. "
                 "Look at it again and repeat your action if it still applies.")


class DecisionError(RequestStateError):
    """The decision does not fit the match's state, or was made from a stale page."""


def claim(match: Match, revision: int | str | None) -> None:
    """Bump ``match.revision`` if it still is ``revision`` (compare-and-set in SQL); refuse otherwise."""
    if revision is None:
        seen = match.revision
    else:
        try:
            seen = int(revision)
        except (TypeError, ValueError):
            raise DecisionError(STALE_MATCH) from None
    done = db.session.execute(update(Match).where(Match.id == match.id, Match.revision == seen)
                              .values(revision=Match.revision + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise DecisionError(STALE_MATCH)
    set_committed_value(match, "revision", seen + 1)


def matches_of(request: BuyerRequest, statuses=None) -> list[Match]:
    """``request``'s matches in curated order, optionally only those with one of ``statuses``."""
    stmt = select(Match).where(Match.request_id == request.id)
    if statuses is not None:
        stmt = stmt.where(Match.status.in_(statuses))
    return list(db.session.scalars(stmt.order_by(*curated_order())))


def _check_note(text: str | None) -> None:
    """Refuse a note with a NUL character (the workspace posts notes without a form; PostgreSQL cannot store it)."""
    if text and "\x00" in text:
        raise DecisionError(NUL_MESSAGE)


def _decide(match: Match, actor: User, status: str, *, reason: str | None = None, note: str | None = None,
            on=None) -> MatchStep:
    """Move ``match`` to ``status``: the step, the provenance, the audit line (the caller has claimed it)."""
    before = {"status": match.status, "reason": match.reason}
    match.status, match.reason = status, reason
    match.grade = None  # a decision made now outranks a grade imported earlier
    match.decided_by_id, match.decided_at = actor.id, utcnow()
    step = MatchStep(status=status, reason=reason, note=note or None, happened_on=on or utcnow().date(),
                     actor_id=actor.id)
    match.steps.append(step)
    record_event(f"match.{status}", actor=actor, entity_type="match", entity_id=match.id,
                 request=match.request.external_id, supplier=match.supplier.external_id,
                 before=before, after={"status": status, "reason": reason})
    return step


def next_position(request_id: int) -> int:
    """The place after the last one the team gave on ``request_id``'s list."""
    highest = db.session.scalar(select(func.max(Match.position)).where(Match.request_id == request_id))
    return (highest or 0) + 1


def pair(request: BuyerRequest, supplier: Supplier) -> Match:
    """The match of ``supplier`` on ``request``, created as a candidate (and flushed) if there is none."""
    match = db.session.scalar(select(Match).where(Match.request_id == request.id, Match.supplier_id == supplier.id))
    if match is None:
        match = Match(request_id=request.id, supplier_id=supplier.id, status="suggested")
        match.request, match.supplier = request, supplier
        db.session.add(match)
        db.session.flush()
    return match


def _take_up(request: BuyerRequest, actor: User) -> None:
    # The first decision on a new request puts it in review (the buyer's timeline shows it).
    if request.status == "new":
        request.status = "in_review"
        record(request, "in_review", actor)


def _open(match: Match) -> None:
    if not match.request.is_open:
        raise DecisionError(_l("This request is closed; reopen it by asking the buyer to post it again."))


def accept(match: Match, actor: User, revision=None, note: str | None = None) -> None:
    """Put a candidate on the shortlist (at its end)."""
    _open(match)
    _check_note(note)
    if match.status not in ("suggested", "rejected"):
        raise DecisionError(_l("This supplier is on the shortlist already."))
    claim(match, revision)
    _decide(match, actor, "shortlisted", note=note)
    match.position = next_position(match.request_id)
    _take_up(match.request, actor)
    db.session.commit()


def reject(match: Match, actor: User, reason: str, revision=None, note: str | None = None) -> None:
    """Take a candidate out, saying why (one of ``domain.REJECT_REASONS``)."""
    _open(match)
    _check_note(note)
    if reason not in REJECT_REASONS:
        raise DecisionError(_l("Choose why this supplier does not fit."))
    if match.status not in ("suggested", "shortlisted"):
        raise DecisionError(_l("Only a candidate or a shortlisted supplier not yet introduced can be rejected; "
                               "record a lost deal instead."))
    claim(match, revision)
    _decide(match, actor, "rejected", reason=reason, note=note)
    match.pinned, match.position = False, None
    _take_up(match.request, actor)
    db.session.commit()


def restore(match: Match, actor: User, revision=None) -> None:
    """Undo an accept or a reject: the supplier is a candidate again."""
    _open(match)
    if match.status not in ("shortlisted", "rejected"):
        raise DecisionError(_l("Only a shortlisted or rejected supplier can go back to the candidates."))
    claim(match, revision)
    _decide(match, actor, "suggested")
    match.decided_by_id = match.decided_at = None  # no judgment any more
    match.pinned, match.position = False, None
    db.session.commit()


def pin(match: Match, actor: User, pinned: bool, revision=None) -> None:
    """Keep a supplier at the top of its list (and through every re-run of matching)."""
    if match.status == "rejected":
        raise DecisionError(_l("A rejected supplier cannot be pinned."))
    claim(match, revision)
    match.pinned = pinned
    record_event("match.pin" if pinned else "match.unpin", actor=actor, entity_type="match", entity_id=match.id,
                 request=match.request.external_id, supplier=match.supplier.external_id,
                 before={"pinned": not pinned}, after={"pinned": pinned})
    db.session.commit()


def move(match: Match, actor: User, direction: str, revision=None) -> bool:
    """Move a shortlisted supplier one place up or down among those pinned alike; False at the end."""
    if match.status not in PIPELINE_STAGES:
        raise DecisionError(_l("Only the shortlist can be reordered."))
    claim(match, revision)
    group = [m for m in matches_of(match.request, PIPELINE_STAGES) if m.pinned == match.pinned]
    index = next(i for i, m in enumerate(group) if m.id == match.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(group):
        db.session.rollback()
        return False
    group[index], group[other] = group[other], group[index]
    base = min((m.position for m in group if m.position is not None), default=1)
    for offset, row in enumerate(group):
        row.position = base + offset
    record_event("match.move", actor=actor, entity_type="match", entity_id=match.id,
                 request=match.request.external_id, supplier=match.supplier.external_id, direction=direction,
                 before={"place": index + 1}, after={"place": other + 1})
    db.session.commit()
    return True


def note(match: Match, actor: User, text: str, revision=None) -> None:
    """Set the team's note on a match (empty text clears it)."""
    text = (text or "").strip()
    _check_note(text)
    if len(text) > NOTE_CHARS:
        raise DecisionError(_l("A note can have at most %(max)d characters.", max=NOTE_CHARS))
    claim(match, revision)
    before = match.notes
    match.notes = text or None
    record_event("match.note", actor=actor, entity_type="match", entity_id=match.id,
                 request=match.request.external_id, supplier=match.supplier.external_id,
                 before={"notes": before}, after={"notes": match.notes})
    db.session.commit()


def add_by_hand(request: BuyerRequest, supplier: Supplier, actor: User) -> Match:
    """Put a supplier the specialist found in the catalog on the shortlist (creating the match if needed)."""
    if not request.is_open:
        raise DecisionError(_l("This request is closed; reopen it by asking the buyer to post it again."))
    match = pair(request, supplier)
    if match.status in PIPELINE_STAGES:
        raise DecisionError(_l("This supplier is on the shortlist already."))
    claim(match, None)
    _decide(match, actor, "shortlisted", note=str(_l("Added by hand from the catalog")))
    match.position = next_position(request.id)
    _take_up(request, actor)
    db.session.commit()
    return match
