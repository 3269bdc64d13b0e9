"""Registration, confirmation and password reset by e-mail, without telling who has an account.

Each request sends exactly one e-mail, whether the address is new, registered
or unknown, and does the same slow work, so neither the page nor the time it
takes says whether an account exists. What the e-mail says depends on it, and
only the address's owner reads it. The views call these functions and always
answer "check your e-mail".
"""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from .. import accounts
from ..extensions import db
from ..models import User, record_event
from ..models._columns import utcnow
from ..models.user import PASSWORD_METHOD
from . import mail, tokens
from .signin import find_by_email


def _new_buyer(email: str, password: str, **profile) -> User | None:
    """Save an unconfirmed buyer; None if the address was taken meanwhile (two registrations at once)."""
    user = User(email=email, role="buyer", **{key: value or None for key, value in profile.items()})
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    record_event("user.register", actor=user, entity_type="user", entity_id=user.id)
    db.session.commit()
    return user


def register(email: str, password: str, *, next_url: str = "", **profile) -> None:
    """Register a buyer for ``email`` (``profile``: name, company, country) and e-mail what comes next.

    A new address gets an unconfirmed account and a confirmation link; a registered one gets an
    e-mail saying someone tried, with links to sign in and reset the password, and is left unchanged.
    """
    email = User.normalize_email(email)
    existing = find_by_email(email)
    user = _new_buyer(email, password, **profile) if existing is None else None
    if user is not None:
        mail.send("confirm", email, user, token=tokens.confirm_token(user, next_url))
        return
    existing = existing or find_by_email(email)
    generate_password_hash(password, method=PASSWORD_METHOD)  # the work a new account costs, so timing is alike
    record_event("user.register_again", entity_type="user", entity_id=existing.id)
    db.session.commit()
    mail.send("exists", email, existing)


def resend_confirmation(email: str) -> None:
    """E-mail a new confirmation link, or say the address is confirmed already, or has no account."""
    email = User.normalize_email(email)
    user = find_by_email(email)
    if user is None:
        mail.send("unknown", email)
    elif not user.is_confirmed:
        mail.send("confirm", email, user, token=tokens.confirm_token(user))
    else:
        mail.send("exists", email, user)


def request_reset(email: str) -> None:
    """E-mail a single-use link to set a new password, or say there is no account for ``email``."""
    email = User.normalize_email(email)
    user = find_by_email(email)
    if user is None:
        mail.send("unknown", email)
        return
    record_event("user.reset_requested", entity_type="user", entity_id=user.id)
    db.session.commit()
    mail.send("reset", email, user, token=tokens.reset_token(user))


def confirm(token: str) -> str:
    """Confirm the address a link was sent to; the ``next`` it carries. :class:`tokens.BadLink` if it does not work.

    Nobody is signed in by the link: a stranger may have registered someone else's address with a
    password of their own, and the owner must not end up using that account. They sign in, or reset.
    """
    user, next_url = tokens.read_confirm_token(token)
    user.confirmed_at = utcnow()
    record_event("user.confirm", actor=user, entity_type="user", entity_id=user.id)
    db.session.commit()
    return next_url


def reset_password(user: User, password: str) -> None:
    """Set the password chosen through a reset link (which dies with the old password); lifts a lockout."""
    accounts.set_password(user, password, actor=user, action="user.password_reset")
