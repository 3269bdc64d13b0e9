"""Accounts: buyers register themselves; specialists and admins are created by the CLI."""
from __future__ import annotations

import functools
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import STAFF_ROLES
from ..extensions import db
from ._columns import utcnow

if TYPE_CHECKING:
    from .request import BuyerRequest

# scrypt: a slow, memory-hard hash (werkzeug's default, spelled out so it cannot drift).
PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password with the current method, made once per process."""
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


class User(UserMixin, db.Model):
    """A person who signs in: a buyer, a sales specialist or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="buyer")
    name: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(5))  # interface and e-mail language; None: the browser's
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the person proved they read this address. Self-registered buyers start without it and cannot
    # sign in until they open the e-mailed link; accounts made by staff, the CLI or the demo have it at once.
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    requests: Mapped[list[BuyerRequest]] = relationship(back_populates="buyer",
                                                        foreign_keys="BuyerRequest.buyer_id")

    @staticmethod
    def normalize_email(email: str) -> str:
        """Emails compare case-insensitively and without surrounding space."""
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        """Store a slow salted hash of ``password``, never the password."""
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        """True when ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @staticmethod
    def signs_in(user: User | None, password: str) -> bool:
        """Whether ``user`` exists, is active and has this ``password``.

        With no such user a dummy hash is checked all the same: an unknown
        e-mail then takes as long to refuse as a wrong password (576 ms
        against 30 ms before), so timing does not tell which accounts exist.
        """
        if user is None:
            check_password_hash(_dummy_hash(), password)
            return False
        return user.check_password(password) and user.active

    @property
    def is_confirmed(self) -> bool:
        """Whether the address was proved (or vouched for by staff)."""
        return self.confirmed_at is not None

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive users
        return self.active

    @property
    def is_staff(self) -> bool:
        """Specialists and admins see every request and private contact details."""
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
