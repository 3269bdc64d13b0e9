"""Audit events: who did what to which record, kept for the team's records."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._columns import utcnow


class AuditEvent(db.Model):
    """One recorded action."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record_event(action: str, *, actor=None, entity_type: str | None = None,
                 entity_id: object = None, **details: Any) -> AuditEvent:
    """Add an audit event to the current session; it is saved with the caller's commit."""
    event = AuditEvent(action=action, actor_id=getattr(actor, "id", None), entity_type=entity_type,
                       entity_id=None if entity_id is None else str(entity_id), details=details)
    db.session.add(event)
    return event
