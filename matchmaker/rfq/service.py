"""A sourcing request's life: posted, edited, reviewed, shortlisted, closed or withdrawn.

Views, the CLI and (later) the specialist workspace call these functions; each
one records the step on the request's timeline, writes the audit trail,
commits, tells the people concerned, and for changes to what is asked,
re-runs matching (decisions already made are kept by ``suggestions.store``).
"""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..domain import SHORTLIST_STATUSES
from ..extensions import db
from ..matching.suggestions import suggest
from ..models import BuyerRequest, Match, RequestEvent, User, record_event
from ..models.match import curated_order
from ..models._columns import utcnow
from ..notify import deliver, notify, staff_recipients

# The fields a buyer may set or change on a request.
EDITABLE = ("title", "description", "industry", "buyer_country", "quantity", "unit", "required_certifications",
            "max_lead_time_days", "target_unit_price_usd", "deadline")


class RequestStateError(ValueError):
    """The action does not fit the request's state (withdrawn, closed, changed by someone else)."""


STALE = _l("This request was changed by someone else since you opened it. "
           "Review the current version and make your change again.")


def record(row: BuyerRequest, kind: str, actor: User | None = None, supplier_id: int | None = None) -> RequestEvent:
    """Add a step to ``row``'s timeline (saved with the caller's commit)."""
    event = RequestEvent(kind=kind, actor_id=getattr(actor, "id", None), supplier_id=supplier_id)
    row.events.append(event)
    return event


def buyer_name(user: User | None) -> str:
    """How a buyer is named to the team: name and company, else the e-mail."""
    if user is None:
        return "A buyer"
    name = user.name or user.email
    return f"{name} ({user.company})" if user.company else name


def _rematch(row: BuyerRequest) -> None:
    try:
        report = suggest([row])
    except Exception:  # noqa: BLE001 - the request is saved; suggestions can be made again later
        db.session.rollback()
        current_app.logger.exception("request %s saved, matching failed", row.external_id)
        return
    if report.error:
        current_app.logger.warning("request %s saved, matching skipped: %s", row.external_id, report.error)


def post_request(values: dict, actor: User) -> BuyerRequest:
    """Create a request from ``values`` (see ``EDITABLE``), tell the team, and suggest suppliers at once."""
    row = BuyerRequest(**{key: values.get(key) for key in EDITABLE},
                       buyer_id=actor.id if actor.role == "buyer" else None)
    row.required_certifications = row.required_certifications or []
    db.session.add(row)
    record(row, "posted", actor)
    db.session.flush()
    record_event("request.create", actor=actor, entity_type="request", entity_id=row.external_id)
    sent = notify(staff_recipients(), "request_posted", url_for("rfq.detail", request_id=row.id),
                  title=row.title, buyer=buyer_name(actor))
    db.session.commit()
    deliver(sent)
    _rematch(row)
    return row


def check_version(row: BuyerRequest, version: str | int | None) -> None:
    """Refuse a change made from a page showing an older version of ``row``."""
    try:
        seen = int(version) if version not in (None, "") else None
    except (TypeError, ValueError):
        seen = None
    if seen is not None and seen != row.version:
        raise RequestStateError(STALE)


def update_request(row: BuyerRequest, values: dict, actor: User, version: str | int | None = None) -> list[str]:
    """Change an open request; return the names of the fields that changed (re-matching if any did)."""
    if not row.is_open:
        raise RequestStateError(_l("Only an open request can be edited."))
    check_version(row, version)
    changed = [key for key in EDITABLE if key in values and getattr(row, key) != values[key]]
    if not changed:
        return []
    before = {key: _plain(getattr(row, key)) for key in changed}
    for key in changed:
        setattr(row, key, values[key])
    record(row, "edited", actor)
    record_event("request.update", actor=actor, entity_type="request", entity_id=row.external_id,
                 before=before, after={key: _plain(getattr(row, key)) for key in changed})
    db.session.commit()
    _rematch(row)
    return changed


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def withdraw(row: BuyerRequest, actor: User) -> None:
    """The buyer no longer needs this: close it as withdrawn."""
    _close(row, actor, "withdrawn")


def _close(row: BuyerRequest, actor: User, status: str) -> None:
    if not row.is_open:
        raise RequestStateError(_l("This request is already closed."))
    row.status, row.closed_at = status, utcnow()
    record(row, status, actor)
    record_event(f"request.{'withdraw' if status == 'withdrawn' else 'close'}", actor=actor, entity_type="request",
                 entity_id=row.external_id)
    db.session.commit()


def start_review(row: BuyerRequest, actor: User) -> bool:
    """A specialist takes up a new request (and it is theirs if nobody had it); False when it was not new."""
    if row.status != "new":
        return False
    row.status = "in_review"
    if row.assignee_id is None:
        row.assignee_id = actor.id
    record(row, "in_review", actor)
    record_event("request.review", actor=actor, entity_type="request", entity_id=row.external_id)
    db.session.commit()
    return True


def shortlist(row: BuyerRequest) -> list[Match]:
    """The matches a published shortlist shows the buyer, in the order the team arranged them."""
    return list(db.session.scalars(
        select(Match).where(Match.request_id == row.id, Match.status.in_(SHORTLIST_STATUSES))
        .order_by(*curated_order())))


def shortlist_signature(row: BuyerRequest) -> str:
    """What the shortlist is now (members, order, revisions): a publish form carries the one it showed."""
    return ",".join(f"{m.id}:{m.revision}" for m in shortlist(row))


SHORTLIST_CHANGED = _l("The shortlist changed since you opened the page (another specialist is working on it). "
                       "Check it and publish again.")


def publish_shortlist(row: BuyerRequest, actor: User, seen: str | None = None) -> int:
    """Show the shortlisted suppliers to the buyer and tell them; return how many there are.

    ``seen``: the :func:`shortlist_signature` the specialist's page showed; a different shortlist is not published.
    """
    if not row.is_open:
        raise RequestStateError(_l("A closed request cannot get a shortlist."))
    if seen is not None and seen != shortlist_signature(row):
        raise RequestStateError(SHORTLIST_CHANGED)
    count = len(shortlist(row))
    if count == 0:
        raise RequestStateError(_l("Shortlist at least one supplier before publishing."))
    if row.status == "new":
        record(row, "in_review", actor)
    row.status, row.shortlist_published_at = "shortlisted", utcnow()
    record(row, "shortlist_published", actor)
    record_event("request.publish_shortlist", actor=actor, entity_type="request", entity_id=row.external_id,
                 suppliers=count)
    sent = notify([row.buyer], "shortlist_published", url_for("rfq.detail", request_id=row.id),
                  title=row.title, count=count)
    db.session.commit()
    deliver(sent)
    return count


def close(row: BuyerRequest, actor: User, version: str | int | None = None) -> None:
    """The team closes a request (done, or nothing more to do)."""
    check_version(row, version)
    _close(row, actor, "closed")


def assign(row: BuyerRequest, actor: User, assignee: User | None, version: str | int | None = None) -> None:
    """Give the request to ``assignee`` (None: nobody); refused from a page showing an older version."""
    check_version(row, version)
    if row.assignee_id == getattr(assignee, "id", None):
        return
    before = row.assignee.email if row.assignee else None
    row.assignee = assignee
    record_event("request.assign", actor=actor, entity_type="request", entity_id=row.external_id,
                 before={"assignee": before}, after={"assignee": assignee.email if assignee else None})
    db.session.commit()


def rematch(row: BuyerRequest, actor: User):
    """Run matching again for ``row``, keeping every decision made; return the matching report."""
    report = suggest([row])
    record_event("request.rematch", actor=actor, entity_type="request", entity_id=row.external_id,
                 suggested=report.suggested, kept=report.kept_decisions, error=report.error)
    db.session.commit()
    return report
