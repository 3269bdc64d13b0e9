"""Versioned ranking profiles and which one was live when: what ``matchmaker tune`` writes and the app serves."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._columns import utcnow


class RankingProfileVersion(db.Model):
    """One ranking profile, frozen: its TOML text and the figures it was judged by. Never edited."""

    __tablename__ = "ranking_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    body: Mapped[str] = mapped_column(Text)  # the profile as TOML (matching/profiles/*.toml format)
    source: Mapped[str] = mapped_column(String(16))  # packaged, tune, file
    parent: Mapped[str | None] = mapped_column(String(80))  # the profile it was tuned from
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # cross-validated nDCG@10 and the like
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class RankingActivation(db.Model):
    """The moment a profile went live; the newest activation is the served profile."""

    __tablename__ = "ranking_activations"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("ranking_profiles.id", ondelete="CASCADE"), index=True)
    activated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(200))  # "rollback from tuned-3", ...

    profile: Mapped[RankingProfileVersion] = relationship(lazy="joined")
