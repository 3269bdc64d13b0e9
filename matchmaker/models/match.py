"""Matches: one request paired with one supplier, from suggestion to won or lost."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import STATUS_GRADES
from ..extensions import db
from ._columns import utcnow

if TYPE_CHECKING:
    from .request import BuyerRequest
    from .supplier import Supplier
    from .user import User


class Match(db.Model):
    """A supplier proposed for a buyer request, with its ranking and curation state."""

    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("request_id", "supplier_id", name="uq_matches_request_supplier"),
        CheckConstraint("grade BETWEEN 0 AND 3", name="grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("buyer_requests.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    lexical_score: Mapped[float | None] = mapped_column(Float)
    vector_score: Mapped[float | None] = mapped_column(Float)
    relevance: Mapped[float | None] = mapped_column(Float)  # retrieval alone, before fit signals
    # The matching service's reasons and score breakdown when it last ranked this pair.
    explanation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    matched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ranked_by: Mapped[str | None] = mapped_column(String(80))  # the ranking profile that placed it (its rank)
    status: Mapped[str] = mapped_column(String(16), default="suggested", index=True)
    # Why it was rejected or lost (domain.REJECT_REASONS / LOST_REASONS).
    reason: Mapped[str | None] = mapped_column(String(32))
    # An explicit relevance grade (imported judgments); otherwise derived from status.
    grade: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    # The specialist's order: pinned first, then by position, then by the matching rank.
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    position: Mapped[int | None] = mapped_column(Integer)
    # Who made the last curation or pipeline decision, and when (the judgment's provenance).
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped by every decision (not by re-scoring): a decision made from a stale page is refused.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    request: Mapped[BuyerRequest] = relationship(back_populates="matches")
    supplier: Mapped[Supplier] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    steps: Mapped[list[MatchStep]] = relationship(back_populates="match", cascade="all, delete-orphan",
                                                  order_by="MatchStep.id")

    @property
    def judgment(self) -> int | None:
        """The relevance grade this match stands for, or None when nobody judged it."""
        if self.grade is not None:
            return self.grade
        return STATUS_GRADES.get(self.status)


def curated_order():
    """ORDER BY for a request's matches as the team arranged them: pinned, then placed, then by matching rank."""
    return (Match.pinned.desc(), Match.position.is_(None), Match.position, Match.rank.is_(None), Match.rank,
            Match.id)


class MatchStep(db.Model):
    """One step of a match's way to a contract (shortlisted, introduced, meeting, ..., won or lost)."""

    __tablename__ = "match_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    # The day it happened (a meeting last Tuesday is recorded today); ``created_at`` is when it was written.
    happened_on: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    match: Mapped[Match] = relationship(back_populates="steps")
    actor: Mapped[User | None] = relationship()
