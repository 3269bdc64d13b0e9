"""Admin-only pages: the audit log here, accounts in :mod:`.users` (both on this blueprint)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select

from ..auth.access import roles_required
from ..extensions import db
from ..models import AuditEvent, User
from ..paging import paginate
from .audit import changes

bp = Blueprint("admin", __name__)
bp.add_app_template_filter(changes, "audit_changes")


def per_page() -> int:
    """Rows on an admin list page: twice the catalog's, as admins scan long lists."""
    return current_app.config["PAGE_SIZE"] * 2


def emails_of(ids) -> dict[int, str]:
    """The emails of the accounts with these ids (None ids skipped), for "who did it" columns."""
    ids = {i for i in ids if i is not None}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all()) if ids else {}


@bp.route("/audit")
@roles_required("admin")
def audit():
    """The audit log, newest first; ``?action=`` keeps one kind of event (``user.login_failed``: failed sign-ins)."""
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    action = request.args.get("action", "")
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action in actions:  # an unknown action shows everything, never an error
        stmt = stmt.where(AuditEvent.action == action)
    page = paginate(stmt, per_page=per_page())
    return render_template("admin/audit.html", page=page, emails=emails_of(e.actor_id for e in page.items),
                           actions=actions, action=action if action in actions else "")


from . import search, users  # noqa: E402,F401 - these views register on ``bp``
