"""Notifications: stored for the in-app list and badge, and e-mailed when mail is on.

Callers add notifications with :func:`notify`, commit their own change, then
call :func:`deliver`: a failing mail server never undoes the change or the
in-app notification, it is logged and the e-mail is not retried.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage
from sqlalchemy import func, select, update

from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE
from ..models import Notification, User
from ..models._columns import utcnow
from . import messages


def notify(users: Iterable[User], kind: str, link: str | None = None, **params) -> list[Notification]:
    """Add one notification of ``kind`` per user to the session (the caller commits)."""
    if kind not in messages.MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    rows = []
    for user in {user.id: user for user in users if user is not None and user.active}.values():
        row = Notification(user_id=user.id, kind=kind, params=dict(params), link=link)
        row.user = user
        db.session.add(row)
        rows.append(row)
    return rows


def staff_recipients() -> list[User]:
    """Who hears about new requests and introduction requests: the specialists, else the admins."""
    specialists = db.session.scalars(select(User).where(User.role == "specialist", User.active.is_(True))).all()
    if specialists:
        return list(specialists)
    return list(db.session.scalars(select(User).where(User.role == "admin", User.active.is_(True))))


def _absolute(link: str | None) -> str:
    # Always the configured address, never the request's Host header: a forged Host would put another
    # site's address in the e-mail (the account e-mails do the same).
    return current_app.config["BASE_URL"] + (link or "/")


def deliver(rows: Iterable[Notification]) -> int:
    """E-mail committed notifications to their users, each in the user's language; return how many were sent."""
    if current_app.config.get("MAIL_BACKEND") == "dummy":
        return 0
    sent = 0
    for row in rows:
        user = row.user
        if not user.email:
            continue
        with force_locale(user.locale or DEFAULT_LANGUAGE):
            subject = messages.subject(row.kind, row.params)
            text = render_template("mail/notification.txt", user=user, subject=subject,
                                   body=messages.body(row.kind, row.params), link=_absolute(row.link))
        try:
            EmailMessage(subject=subject, body=text, to=[user.email]).send()
        except Exception:  # noqa: BLE001 - SMTP errors are many; the in-app notification stands
            current_app.logger.exception("could not e-mail notification %s to user %s", row.id, user.id)
            continue
        row.emailed_at = utcnow()
        sent += 1
    db.session.commit()
    return sent


def unread_count(user: User) -> int:
    """How many notifications ``user`` has not seen yet (the badge)."""
    return db.session.scalar(select(func.count(Notification.id))
                             .where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user: User, up_to_id: int) -> None:
    """Mark ``user``'s notifications up to ``up_to_id`` as read (those they have seen)."""
    db.session.execute(update(Notification)
                       .where(Notification.user_id == user.id, Notification.id <= up_to_id,
                              Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()
