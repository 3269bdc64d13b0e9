"""Accounts: create them, change their role, switch them off and on again, set their password.

The admin pages and ``matchmaker users`` call these functions. Each one checks
the same rules, writes the audit trail (before and after values, never a
password) and commits. Messages are lazy translations: the CLI prints them in
English, the pages in the reader's language.
"""
from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from .auth import lockout
from .catalog.queries import escape_like
from .domain import ROLES
from .extensions import db
from .models import User, record_event
from .models._columns import utcnow
from .models.user import MIN_PASSWORD_LENGTH

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

STALE = _l("This account was changed by someone else since you opened the page. "
           "Look at its current state and make your change again if it is still needed.")


class UserError(ValueError):
    """An account cannot be created or changed as asked.

    ``errors`` maps each form field at fault (None: no field) to why, so a form can show them all at once.
    """

    def __init__(self, message=None, field: str | None = None, *, errors: dict | None = None):
        self.errors = errors or {field: message}
        super().__init__(*self.errors.values())

    @property
    def field(self) -> str | None:
        """The first field at fault."""
        return next(iter(self.errors))

    def __str__(self) -> str:  # translated when shown, in the reader's language
        return " ".join(str(message) for message in self.errors.values())


def new_password() -> str:
    """A random initial password (16 URL-safe characters) for the admin to hand over."""
    return secrets.token_urlsafe(12)


def create_user(email: str, password: str, role: str, name: str | None = None, *,
                company: str | None = None, actor: User | None = None) -> User:
    """Create and save an account; :class:`UserError` names every bad or taken field (email, role, password…)."""
    email = User.normalize_email(email)
    errors = {}
    if not re.match(EMAIL_PATTERN, email) or len(email) > 254:
        errors["email"] = _l("%(email)s is not an email address.", email=repr(email))
    elif db.session.scalar(select(User.id).where(User.email == email)) is not None:
        errors["email"] = _l("An account with email %(email)s exists already.", email=email)
    for field, value in (("name", name), ("company", company)):
        if len(value or "") > 200:  # the columns' size
            errors[field] = _l("Use at most 200 characters.")
    if role not in ROLES:
        errors["role"] = _l("The role must be one of: %(roles)s.", roles=", ".join(ROLES))
    if password_problem(password):
        errors["password"] = password_problem(password)
    if errors:
        raise UserError(errors=errors)
    # Made by staff, the CLI or the demo: someone vouches for the address, so it needs no confirmation.
    user = User(email=email, role=role, name=name or None, company=company or None, confirmed_at=utcnow())
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_event("user.create", actor=actor, entity_type="user", entity_id=user.id,
                 after={"email": email, "role": role, "name": user.name})
    db.session.commit()
    return user


def _locked(user: User) -> User:
    # Re-read the row under a lock (FOR UPDATE on PostgreSQL; SQLite serialises writers), so the
    # stale-page and last-admin checks below see what the change will really replace.
    return db.session.get(User, user.id, with_for_update=True, populate_existing=True)


def _is_last_active_admin(user: User) -> bool:
    if user.role != "admin" or not user.active:
        return False
    admins = db.session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))
                                .with_for_update()).all()
    return admins == [user.id]


def change_role(user: User, role: str, *, actor: User | None = None, seen_role: str | None = None) -> bool:
    """Give ``user`` another role; False if it had that role already.

    ``seen_role`` is the role the page showed; a different current role means the page is stale and
    nothing changes. Nobody may take away their own admin role, and the last active admin keeps it.
    """
    if role not in ROLES:
        raise UserError(_l("The role must be one of: %(roles)s.", roles=", ".join(ROLES)), "role")
    user = _locked(user)
    if seen_role is not None and user.role != seen_role:
        raise UserError(STALE)
    if user.role == role:
        return False
    if actor is not None and actor.id == user.id and user.role == "admin":
        raise UserError(_l("You cannot take away your own admin role. Ask another admin to do it."))
    if _is_last_active_admin(user):
        raise UserError(_l("This is the last active admin account, so it keeps its admin role. "
                           "Make another account admin first."))
    before, user.role = user.role, role
    record_event("user.role", actor=actor, entity_type="user", entity_id=user.id,
                 before={"role": before}, after={"role": role})
    db.session.commit()
    return True


def set_active(user: User, active: bool, *, actor: User | None = None, seen_active: bool | None = None) -> bool:
    """Let ``user`` sign in again (``active``) or shut them out at once; False if nothing changes.

    ``seen_active`` is the state the page showed (see :func:`change_role`). Nobody may deactivate
    themselves, and the last active admin stays active.
    """
    user = _locked(user)
    if seen_active is not None and user.active != seen_active:
        raise UserError(STALE)
    if user.active == active:
        return False
    if not active and actor is not None and actor.id == user.id:
        raise UserError(_l("You cannot deactivate your own account. Ask another admin to do it."))
    if not active and _is_last_active_admin(user):
        raise UserError(_l("This is the last active admin account, so it cannot be deactivated. "
                           "Make another account admin first."))
    user.active = active
    record_event("user.reactivate" if active else "user.deactivate", actor=actor, entity_type="user",
                 entity_id=user.id, before={"active": not active}, after={"active": active})
    db.session.commit()
    return True


def password_problem(password: str):
    """Why ``password`` may not be used, or None (the same rule as on the forms)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("The password must have at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)
    return None


def set_password(user: User, password: str, *, actor: User | None = None, action: str = "user.password") -> None:
    """Give ``user`` a new password, confirm their address and lift a sign-in lockout; audited, committed.

    Whoever sets it proved the address (a reset link) or vouches for the account (an admin), and a new
    password ends every older reset link. ``action`` names the audit event (``user.password_reset``: by e-mail).
    """
    problem = password_problem(password)
    if problem:
        raise UserError(problem, "password")
    user.set_password(password)
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    lifted = lockout.clear(user.email)
    record_event(action, actor=actor, entity_type="user", entity_id=user.id,
                 **({"lock_lifted": True} if lifted else {}))
    db.session.commit()


def lift_lockout(user: User, *, actor: User | None = None) -> bool:
    """Let ``user`` try to sign in again at once; False if there was nothing to lift."""
    if not lockout.clear(user.email):
        return False
    record_event("user.unlock", actor=actor, entity_type="user", entity_id=user.id)
    db.session.commit()
    return True


def users_query(role: str = "", active: bool | None = None, q: str = "") -> Select:
    """Accounts with ``role`` and ``active`` state (any when empty or None) whose email or name contains ``q``."""
    stmt = select(User).order_by(User.email, User.id)
    if role:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if q:
        pattern = f"%{escape_like(q)}%"
        stmt = stmt.where(or_(User.email.ilike(pattern, escape="\\"), User.name.ilike(pattern, escape="\\")))
    return stmt


def find_user(email: str) -> User:
    """The account with ``email`` (any case); :class:`UserError` if there is none."""
    user = db.session.scalar(select(User).where(User.email == User.normalize_email(email)))
    if user is None:
        raise UserError(_l("There is no account with email %(email)s.", email=User.normalize_email(email)), "email")
    return user
