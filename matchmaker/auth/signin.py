"""Deciding a sign-in: the lockout first, then the password, then the confirmed address.

The view only reads the form and shows the outcome. Every refusal for a wrong
password or a locked address is counted and audited (:mod:`.lockout`); a
locked address is refused without looking at the password, the right one
included, and an unknown address goes through the same steps as a known one.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import User, record_event
from ..models._columns import utcnow
from . import lockout


class Outcome(enum.Enum):
    """What a sign-in attempt came to."""

    SIGNED_IN = "signed_in"
    WRONG = "wrong"  # wrong password, unknown e-mail or deactivated account: one answer for all
    LOCKED = "locked"  # too many failures for this e-mail address, known or not
    UNCONFIRMED = "unconfirmed"  # the right password, but the address was never confirmed


@dataclass(frozen=True)
class Attempt:
    """The outcome, and the account when it may be signed in."""

    outcome: Outcome
    user: User | None = None


def find_by_email(email: str) -> User | None:
    """The account with ``email`` (any case, surrounding space ignored), if any."""
    return db.session.scalar(select(User).where(User.email == User.normalize_email(email)))


def attempt(email: str, password: str, address: str | None) -> Attempt:
    """Check a sign-in from client ``address``, record it and commit; the caller signs in a SIGNED_IN user."""
    email = User.normalize_email(email)
    user = find_by_email(email)
    if lockout.is_locked(email):
        lockout.record_failure(email, user, address, "locked")
        db.session.commit()
        return Attempt(Outcome.LOCKED)
    if not User.signs_in(user, password):
        locked = lockout.record_failure(email, user, address, "password")
        db.session.commit()
        return Attempt(Outcome.LOCKED if locked else Outcome.WRONG)
    if not user.is_confirmed:
        return Attempt(Outcome.UNCONFIRMED)
    lockout.clear(email)
    user.last_login_at = utcnow()
    record_event("user.login", actor=user, entity_type="user", entity_id=user.id, address=address)
    db.session.commit()
    return Attempt(Outcome.SIGNED_IN, user)
