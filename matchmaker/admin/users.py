"""Admin pages for accounts: list, create, change role, deactivate, reactivate and lift a sign-in lockout.

The rules live in :mod:`matchmaker.accounts`; these views read forms, call it
and say what happened.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import accounts
from ..auth import lockout
from ..auth.access import roles_required
from ..domain import ROLES
from ..extensions import db
from ..i18n import ROLE_LABELS
from ..models import AuditEvent, User
from ..paging import paginate
from .forms import ActiveForm, NewUserForm, RoleForm
from .views import bp, emails_of, per_page

STATUS_FILTERS = {"active": True, "inactive": False}  # ?status= and the accounts it keeps
HISTORY_SHOWN = 20


@dataclass(frozen=True)
class UserFilters:
    """What the account list is narrowed to; unknown values are dropped, never an error."""

    q: str = ""
    role: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> UserFilters:
        """Read filters from query-string arguments."""
        role, status = args.get("role", ""), args.get("status", "")
        return cls(q=args.get("q", "").strip()[:200], role=role if role in ROLES else "",
                   status=status if status in STATUS_FILTERS else "")

    def __bool__(self) -> bool:
        return bool(self.q or self.role or self.status)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users")
@roles_required("admin")
def users():
    """Accounts by email, filtered by role and state, searched by email or name."""
    filters = UserFilters.from_args(request.args)
    stmt = accounts.users_query(filters.role, STATUS_FILTERS.get(filters.status), filters.q)
    page = paginate(stmt, per_page=per_page())
    return render_template("admin/users.html", page=page, filters=filters, roles=ROLES)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user():
    """Create an account with the admin's password or a generated one, shown once."""
    form = NewUserForm()
    if form.validate_on_submit():
        password = form.password.data or accounts.new_password()
        try:
            user = accounts.create_user(form.email.data, password, form.role.data, form.name.data,
                                        company=form.company.data, actor=current_user)
        except accounts.UserError as exc:
            db.session.rollback()
            for field, message in exc.errors.items():
                form[field or "email"].errors.append(str(message))
        else:
            if form.password.data:
                flash(_("Account %(email)s created.", email=user.email), "success")
                return redirect(url_for("admin.user", user_id=user.id))
            # Answered here rather than redirected: the password must not ride in the session cookie,
            # and no-store keeps it out of the browser's cache and history.
            response = make_response(render_template("admin/created.html", user=user, password=password))
            response.headers["Cache-Control"] = "no-store"
            return response
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>")
@roles_required("admin")
def user(user_id: int):
    """One account: its details, the role and access forms, and what was done to it."""
    row = _user_or_404(user_id)
    role_form = RoleForm(role=row.role, seen_role=row.role)
    # The access form asks for the opposite of what the page shows, and says what it showed.
    active_form = ActiveForm(active="0" if row.active else "1", seen_active="1" if row.active else "0")
    history = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "user", AuditEvent.entity_id == str(row.id),
                                 AuditEvent.action != "user.login")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(HISTORY_SHOWN)).all()
    return render_template("admin/user.html", user=row, role_form=role_form, active_form=active_form,
                           history=history, emails=emails_of(e.actor_id for e in history),
                           failures=lockout.recent_failures(row.email), locked=lockout.is_locked(row.email))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@roles_required("admin")
def change_role(user_id: int):
    """Give an account another role, unless the page was stale or the rules forbid it."""
    row = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles offered.") if form.role.errors else
              _("This form is incomplete. Reload the page and try again."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        changed = accounts.change_role(row, form.role.data, actor=current_user, seen_role=form.seen_role.data)
    except accounts.UserError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("%(email)s is now %(role)s.", email=row.email, role=ROLE_LABELS[row.role]) if changed else
              _("Nothing was changed."), "success" if changed else "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def set_active(user_id: int):
    """Deactivate an account (its sessions end at once) or let it sign in again."""
    row = _user_or_404(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        flash(_("This form is incomplete. Reload the page and try again."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    active = form.active.data == "1"
    try:
        changed = accounts.set_active(row, active, actor=current_user, seen_active=form.seen_active.data == "1")
    except accounts.UserError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        if not changed:
            flash(_("Nothing was changed."), "info")
        elif active:
            flash(_("%(email)s can sign in again.", email=row.email), "success")
        else:
            flash(_("%(email)s is deactivated and signed out everywhere.", email=row.email), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles_required("admin")
def unlock(user_id: int):
    """Forget an account's failed sign-ins, so it may try again at once (the form carries only its CSRF token)."""
    row = _user_or_404(user_id)
    if accounts.lift_lockout(row, actor=current_user):
        flash(_("%(email)s can sign in again at once.", email=row.email), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("admin.user", user_id=user_id))
