"""What buyers do with suppliers: save them, ask for introductions; and what the app tells people."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._columns import utcnow

if TYPE_CHECKING:
    from .request import BuyerRequest
    from .supplier import Supplier
    from .user import User


class SavedSupplier(db.Model):
    """A supplier on a buyer's saved list."""

    __tablename__ = "saved_suppliers"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier: Mapped[Supplier] = relationship()


class Introduction(db.Model):
    """A buyer's request to be introduced to one supplier, for one of their sourcing requests."""

    __tablename__ = "introductions"
    __table_args__ = (UniqueConstraint("request_id", "supplier_id", name="uq_introductions_request_supplier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("buyer_requests.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    message: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default="requested")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    introduced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    request: Mapped[BuyerRequest] = relationship()
    supplier: Mapped[Supplier] = relationship()
    buyer: Mapped[User | None] = relationship(foreign_keys=[buyer_id])


class Notification(db.Model):
    """A message for one user: shown in the app (badge and list) and, when mail is on, e-mailed.

    The text is rendered from ``kind`` and ``params`` in the reader's language
    when shown, not stored, so switching language translates old messages too.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
