"""The signed links in account e-mails: confirm an address, reset a password.

Tokens are signed with ``SECRET_KEY`` (itsdangerous), a salt per purpose so
one kind cannot be used as the other, and carry the time they were made,
taken from the app's clock (:func:`~matchmaker.models._columns.utcnow`). Each
also carries what it may change, so it works once: a confirmation only while
the address is unconfirmed, a reset only while the password is the one it was
made for (a fingerprint of its hash; a new password kills every older link).
"""
from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from ..extensions import db
from ..models import User
from ..models._columns import utcnow

CONFIRM_SALT = "matchmaker.confirm-email"
RESET_SALT = "matchmaker.reset-password"


class BadLink(ValueError):
    """A link that is forged, damaged, expired or used already; ``expired`` tells the first from the rest."""

    def __init__(self, expired: bool = False):
        self.expired = expired
        super().__init__("expired" if expired else "invalid")


class _AppClockSigner(TimestampSigner):
    # The app's clock (which tests and the demo can set), not time.time().
    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=_AppClockSigner)


def _load(token: str, salt: str, max_age_seconds: int) -> dict[str, Any]:
    try:
        data = _serializer(salt).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise BadLink(expired=True) from exc
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise BadLink() from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise BadLink()
    return data


def _user(data: dict[str, Any]) -> User:
    user = db.session.get(User, data["u"]) if 0 < data["u"] < 2**31 else None
    if user is None:
        raise BadLink()
    return user


def confirm_token(user: User, next_url: str | None = None) -> str:
    """A link token that confirms ``user``'s address; ``next_url`` is where sign-in goes afterwards."""
    return _serializer(CONFIRM_SALT).dumps({"u": user.id, "e": user.email, "n": next_url or ""})


def read_confirm_token(token: str) -> tuple[User, str]:
    """The unconfirmed user a confirmation token is for, and its ``next``; :class:`BadLink` otherwise."""
    data = _load(token, CONFIRM_SALT, current_app.config["CONFIRM_LINK_HOURS"] * 3600)
    user = _user(data)
    if user.email != data.get("e") or user.is_confirmed:
        raise BadLink()
    return user, str(data.get("n") or "")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    """A link token that lets whoever holds it set ``user``'s password, once."""
    return _serializer(RESET_SALT).dumps({"u": user.id, "p": _fingerprint(user)})


def read_reset_token(token: str) -> User:
    """The user a reset token is for, while their password is unchanged; :class:`BadLink` otherwise."""
    data = _load(token, RESET_SALT, current_app.config["RESET_LINK_MINUTES"] * 60)
    user = _user(data)
    if data.get("p") != _fingerprint(user):
        raise BadLink()
    return user
