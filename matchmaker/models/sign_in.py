"""Failed sign-ins, counted per e-mail address to lock an account (matchmaker.auth.lockout).

One row per failure, whether or not the address has an account, so a hammered
unknown address locks exactly like a known one. Rows older than the lockout
window are deleted as new ones come; the audit log keeps the lasting record.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._columns import utcnow


class SignInFailure(db.Model):
    """One refused sign-in: the e-mail typed, from where, and when."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)  # as normalized by User.normalize_email
    address: Mapped[str | None] = mapped_column(String(64))  # the client's IP address
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
