"""Per-account lockout: too many failed sign-ins for one e-mail address lock it for a while.

The rule, in one place: an address is locked while it has
``SIGN_IN_MAX_FAILURES`` (5) failed sign-ins within the last
``SIGN_IN_LOCKOUT_MINUTES`` (15), so a lock ends at most that long after the
last failure. Failures are rows in the database, so every worker sees the same
count, and they are counted by the address typed, whether or not it has an
account: a locked unknown address answers exactly like a locked account.
Attempts while locked count too, so a lock lasts as long as the guessing does;
the owner gets out by resetting the password by e-mail, which lifts the lock
and signs them in, or through an admin (``matchmaker users set-password``, or
"Lift the lock" on the account's page).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import SignInFailure, User, record_event
from ..models._columns import utcnow


def window() -> timedelta:
    """How far back failures count, which is also the longest a lock lasts."""
    return timedelta(minutes=current_app.config["SIGN_IN_LOCKOUT_MINUTES"])


def recent_failures(email: str) -> int:
    """Failed sign-ins for ``email`` (normalized) within the window."""
    since = utcnow() - window()
    return db.session.scalar(select(func.count(SignInFailure.id))
                             .where(SignInFailure.email == email, SignInFailure.at > since)) or 0


def is_locked(email: str) -> bool:
    """Whether sign-in with ``email`` (normalized) is refused without looking at the password."""
    return recent_failures(email) >= current_app.config["SIGN_IN_MAX_FAILURES"]


def record_failure(email: str, user: User | None, address: str | None, reason: str) -> bool:
    """Count and audit a refused sign-in (``reason``: password, locked); True if ``email`` is now locked.

    The caller commits. Rows past the window are dropped here, so the table stays small.
    """
    now = utcnow()
    db.session.execute(delete(SignInFailure).where(SignInFailure.at <= now - window()))
    db.session.add(SignInFailure(email=email, address=(address or "")[:64] or None, at=now))
    details = {"email": email, "address": address, "reason": reason}
    user_id = user.id if user is not None else None
    record_event("user.login_failed", entity_type="user" if user_id else None, entity_id=user_id, **details)
    count = recent_failures(email)
    if count == current_app.config["SIGN_IN_MAX_FAILURES"]:  # the failure that starts the lock
        record_event("user.locked", entity_type="user" if user_id else None, entity_id=user_id, email=email,
                     minutes=current_app.config["SIGN_IN_LOCKOUT_MINUTES"])
    return count >= current_app.config["SIGN_IN_MAX_FAILURES"]


def clear(email: str) -> int:
    """Forget the failures of ``email`` (a sign-in, a new password, an admin); how many there were.

    The caller commits; the audit log keeps them.
    """
    return db.session.execute(delete(SignInFailure).where(SignInFailure.email == email)).rowcount or 0
