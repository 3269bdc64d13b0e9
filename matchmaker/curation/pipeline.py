"""The sales pipeline: each shortlisted supplier's way from proposed to won or lost, across all requests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from ..domain import INDUSTRIES, LOST_REASONS, PIPELINE_STAGES
from ..extensions import db
from ..models import BuyerRequest, Introduction, Match, Supplier, User, record_event
from ..models._columns import utcnow
from ..notify import deliver, notify
from ..rfq.service import record
from .decisions import DecisionError, _decide, _take_up, claim, next_position, pair

# How far from today a step's date may be: a meeting may be booked ahead, history may be filled in late.
STEP_DAYS_AHEAD = 366


def check_step_date(request: BuyerRequest, on: date | None) -> date:
    """The step's date, defaulting to today; refused before the request existed or over a year ahead."""
    today = utcnow().date()
    on = on or today
    if on < request.created_at.date():
        raise DecisionError(_l("The date cannot be before the request was posted (%(day)s).",
                               day=request.created_at.date().isoformat()))
    if on > today + timedelta(days=STEP_DAYS_AHEAD):
        raise DecisionError(_l("The date can be at most a year ahead."))
    return on


def advance(match: Match, actor: User, stage: str, revision=None, *, on: date | None = None,
            note: str | None = None, reason: str | None = None) -> None:
    """Record the next step of a shortlisted supplier (``lost`` needs one of ``domain.LOST_REASONS``).

    Stepping to ``introduced`` also answers the buyer's introduction request
    for this supplier, if there is one, and tells the buyer.
    """
    if stage not in PIPELINE_STAGES:
        raise DecisionError(_l("Choose a pipeline stage."))
    if match.status == "rejected":
        raise DecisionError(_l("Put this supplier back on the shortlist before moving it along the pipeline."))
    if stage == "lost" and reason not in LOST_REASONS:
        raise DecisionError(_l("Choose why the deal was lost."))
    if note and len(note) > 2000:
        raise DecisionError(_l("A note can have at most %(max)d characters.", max=2000))
    on = check_step_date(match.request, on)
    claim(match, revision)
    _decide(match, actor, stage, reason=reason if stage == "lost" else None, note=note, on=on)
    if match.position is None:
        match.position = next_position(match.request_id)
    _take_up(match.request, actor)
    sent = _answer_introduction(match, actor) if stage == "introduced" else []
    db.session.commit()
    deliver(sent)


def _answer_introduction(match: Match, actor: User):
    intro = db.session.scalar(select(Introduction).where(Introduction.request_id == match.request_id,
                                                         Introduction.supplier_id == match.supplier_id))
    record(match.request, "introduced", actor, supplier_id=match.supplier_id)
    if intro is not None and intro.status != "introduced":
        intro.status, intro.introduced_at, intro.handled_by_id = "introduced", utcnow(), actor.id
    buyer = (intro.buyer if intro is not None else None) or match.request.buyer
    return notify([buyer], "introduction_made", url_for("rfq.detail", request_id=match.request_id),
                  title=match.request.title, supplier=match.supplier.display_name)


def mark_introduced(intro: Introduction, actor: User) -> None:
    """The team put the buyer in touch with the supplier they asked for: the match steps to introduced."""
    if intro.status == "introduced":
        return
    match = pair(intro.request, intro.supplier)  # recreated if it was removed meanwhile
    if match.status in ("suggested", "shortlisted", "rejected"):
        if match.status == "rejected":
            match.status = "suggested"
        advance(match, actor, "introduced")
    else:  # already further along: only the buyer's request is answered
        intro.status, intro.introduced_at, intro.handled_by_id = "introduced", utcnow(), actor.id
        record_event("introduction.made", actor=actor, entity_type="request", entity_id=intro.request.external_id,
                     supplier=intro.supplier.external_id)
        db.session.commit()


@dataclass
class BoardFilters:
    """What the pipeline board shows: one stage (or all), an industry, a specialist."""

    stage: str = ""
    industry: str = ""
    specialist: str = ""  # a user id, or "me"

    @classmethod
    def from_args(cls, args) -> BoardFilters:
        stage = args.get("stage", "")
        industry = args.get("industry", "")
        specialist = args.get("specialist", "")
        return cls(stage=stage if stage in (*PIPELINE_STAGES, "requested") else "",
                   industry=industry if industry in INDUSTRIES else "",
                   specialist=specialist if specialist == "me" or specialist.isdigit() and len(specialist) < 10
                   else "")

    def specialist_id(self, user: User) -> int | None:
        if self.specialist == "me":
            return user.id
        return int(self.specialist) if self.specialist else None


def _filtered(stmt: Select, filters: BoardFilters, user: User) -> Select:
    if filters.industry:
        stmt = stmt.where(Supplier.industry == filters.industry)
    specialist = filters.specialist_id(user)
    if specialist is not None:
        stmt = stmt.where(BuyerRequest.assignee_id == specialist)
    return stmt


def board_query(filters: BoardFilters, user: User) -> Select:
    """Pipeline matches across all requests, most recently moved first."""
    stmt = (select(Match).join(BuyerRequest, Match.request_id == BuyerRequest.id)
            .join(Supplier, Match.supplier_id == Supplier.id)
            .where(Match.status.in_([filters.stage] if filters.stage in PIPELINE_STAGES else PIPELINE_STAGES)))
    return _filtered(stmt, filters, user).order_by(Match.decided_at.desc().nulls_last(), Match.id.desc())


def stage_counts(filters: BoardFilters, user: User) -> dict[str, int]:
    """How many matches are at each stage (under the industry and specialist filters)."""
    stmt = (select(Match.status, func.count()).join(BuyerRequest, Match.request_id == BuyerRequest.id)
            .join(Supplier, Match.supplier_id == Supplier.id).where(Match.status.in_(PIPELINE_STAGES))
            .group_by(Match.status))
    counts = dict(db.session.execute(_filtered(stmt, filters, user)).all())
    return {stage: counts.get(stage, 0) for stage in PIPELINE_STAGES}


def waiting_introductions(filters: BoardFilters, user: User) -> Select:
    """Buyers' introduction requests the team has not answered yet, oldest first."""
    stmt = (select(Introduction).join(BuyerRequest, Introduction.request_id == BuyerRequest.id)
            .join(Supplier, Introduction.supplier_id == Supplier.id).where(Introduction.status == "requested"))
    return _filtered(stmt, filters, user).order_by(Introduction.created_at, Introduction.id)
