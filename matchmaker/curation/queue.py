"""The specialists' queue: buyer requests by status, with filters, sorting and what has waited too long."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import Select, func, select

from ..dataio.codes import COUNTRIES
from ..domain import INDUSTRIES
from ..extensions import db
from ..models import BuyerRequest, Match, User
from ..models._columns import utcnow

# Tabs: which statuses each shows. "waiting" is not a status: new or in review for too long.
TABS = {"new": ("new",), "in_review": ("in_review",), "shortlisted": ("shortlisted",),
        "closed": ("closed", "withdrawn"), "waiting": ("new", "in_review")}
AGES = (1, 3, 7, 14, 30)  # "older than N days" choices
SORTS = ("oldest", "newest", "deadline", "candidates")


@dataclass
class QueueFilters:
    """The queue's tab, filters and order, read from the query string (unknown values are ignored)."""

    tab: str = "new"
    industry: str = ""
    country: str = ""
    assignee: str = ""  # "me", "none", or a user id
    age: int = 0  # older than this many days; 0: any
    sort: str = "oldest"

    @classmethod
    def from_args(cls, args) -> QueueFilters:
        def pick(name, allowed, default=""):
            value = args.get(name, default)
            return value if value in allowed else default
        assignee = args.get("assignee", "")
        if not (assignee in ("me", "none") or assignee.isdigit() and len(assignee) < 10):
            assignee = ""
        age = args.get("age", "")
        return cls(tab=pick("tab", TABS, "new"), industry=pick("industry", INDUSTRIES),
                   country=pick("country", COUNTRIES), assignee=assignee,
                   age=int(age) if age.isdigit() and int(age) in AGES else 0, sort=pick("sort", SORTS, "oldest"))

    def args(self, **changes) -> dict:
        """The query string for these filters with ``changes`` (for tab and sort links)."""
        values = {"tab": self.tab, "industry": self.industry, "country": self.country, "assignee": self.assignee,
                  "age": self.age or "", "sort": self.sort, **changes}
        return {key: value for key, value in values.items() if value not in ("", None)}


def waiting_hours() -> int:
    """How long a request may wait for a shortlist before the queue counts it as waiting (config)."""
    return current_app.config["QUEUE_WAITING_HOURS"]


def _waiting(stmt: Select) -> Select:
    return stmt.where(BuyerRequest.status.in_(TABS["waiting"]),
                      BuyerRequest.created_at < utcnow() - timedelta(hours=waiting_hours()))


def candidates_count():
    """A correlated count of a request's candidates (matches not rejected)."""
    return (select(func.count(Match.id)).where(Match.request_id == BuyerRequest.id, Match.status != "rejected")
            .correlate(BuyerRequest).scalar_subquery())


def queue_query(filters: QueueFilters, user: User) -> Select:
    """The queue's requests, filtered and sorted."""
    candidates = candidates_count()
    stmt = select(BuyerRequest).where(BuyerRequest.status.in_(TABS[filters.tab]))
    if filters.tab == "waiting":
        stmt = _waiting(stmt)
    if filters.industry:
        stmt = stmt.where(BuyerRequest.industry == filters.industry)
    if filters.country:
        stmt = stmt.where(BuyerRequest.buyer_country == filters.country)
    if filters.assignee == "me":
        stmt = stmt.where(BuyerRequest.assignee_id == user.id)
    elif filters.assignee == "none":
        stmt = stmt.where(BuyerRequest.assignee_id.is_(None))
    elif filters.assignee:
        stmt = stmt.where(BuyerRequest.assignee_id == int(filters.assignee))
    if filters.age:
        stmt = stmt.where(BuyerRequest.created_at < utcnow() - timedelta(days=filters.age))
    order = {"oldest": (BuyerRequest.created_at, BuyerRequest.id),
             "newest": (BuyerRequest.created_at.desc(), BuyerRequest.id.desc()),
             "deadline": (BuyerRequest.deadline.is_(None), BuyerRequest.deadline, BuyerRequest.id),
             "candidates": (candidates, BuyerRequest.created_at)}[filters.sort]
    return stmt.order_by(*order)


def candidate_counts(requests) -> dict[int, int]:
    """How many candidates (matches not rejected) each of ``requests`` has."""
    ids = [row.id for row in requests]
    if not ids:
        return {}
    found = dict(db.session.execute(select(Match.request_id, func.count()).where(
        Match.request_id.in_(ids), Match.status != "rejected").group_by(Match.request_id)).all())
    return {key: found.get(key, 0) for key in ids}


def tab_counts() -> dict[str, int]:
    """How many requests each tab holds (before filters), waiting included."""
    by_status = dict(db.session.execute(select(BuyerRequest.status, func.count()).group_by(BuyerRequest.status)).all())
    counts = {tab: sum(by_status.get(status, 0) for status in statuses) for tab, statuses in TABS.items()}
    counts["waiting"] = waiting_count()
    return counts


def waiting_count() -> int:
    """Requests still without a shortlist after the configured time."""
    return db.session.scalar(_waiting(select(func.count(BuyerRequest.id)))) or 0


def specialists() -> list[User]:
    """Active specialists and admins, for the assignee filter."""
    return list(db.session.scalars(select(User).where(User.role.in_(("specialist", "admin")), User.active.is_(True))
                                   .order_by(User.name, User.email)))
