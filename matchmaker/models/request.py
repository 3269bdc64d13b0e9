"""Buyer sourcing requests (RFQs)."""
from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import OPEN_REQUEST_STATUSES
from ..extensions import db
from ._columns import utcnow

if TYPE_CHECKING:
    from .match import Match
    from .supplier import Supplier
    from .user import User


def new_request_id() -> str:
    """A stable key for a request created in the browser."""
    return "rfq-" + secrets.token_hex(6)


class BuyerRequest(db.Model):
    """A global buyer's sourcing request (data contract: buyer request)."""

    __tablename__ = "buyer_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True, default=new_request_id)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    buyer_country: Mapped[str | None] = mapped_column(String(2))
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
    quantity: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(20))
    # As the buyer wrote them; matching reads them through the certification normalizer.
    required_certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_lead_time_days: Mapped[int | None] = mapped_column(Integer)
    target_unit_price_usd: Mapped[float | None] = mapped_column(Float)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    shortlist_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped by every change; an edit made from a stale page is refused instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The specialist who carries this request.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    buyer: Mapped[User | None] = relationship(back_populates="requests", foreign_keys=[buyer_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    matches: Mapped[list[Match]] = relationship(back_populates="request", cascade="all, delete-orphan")
    events: Mapped[list[RequestEvent]] = relationship(back_populates="request", cascade="all, delete-orphan",
                                                      order_by="RequestEvent.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        """Still taking suggestions, edits and introduction requests."""
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def shortlist_published(self) -> bool:
        """The team has published a shortlist the buyer can see."""
        return self.shortlist_published_at is not None

    def __repr__(self) -> str:
        return f"<BuyerRequest {self.external_id} {self.title!r}>"


class RequestEvent(db.Model):
    """One step in a request's timeline (posted, in review, shortlist published, ...), shown to its buyer."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("buyer_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[BuyerRequest] = relationship(back_populates="events")
    supplier: Mapped[Supplier | None] = relationship()
