"""Matches: one request paired with one supplier, from suggestion to won or lost."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import STATUS_GRADES
from ..extensions import db
from ._columns import utcnow

if TYPE_CHECKING:
    from .request import BuyerRequest
    from .supplier import Supplier


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
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    # An explicit relevance grade (imported judgments); otherwise derived from status.
    grade: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    request: Mapped[BuyerRequest] = relationship(back_populates="matches")
    supplier: Mapped[Supplier] = relationship()

    @property
    def judgment(self) -> int | None:
        """The relevance grade this match stands for, or None when nobody judged it."""
        if self.grade is not None:
            return self.grade
        return STATUS_GRADES.get(self.status)
