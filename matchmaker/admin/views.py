"""Admin-only views of users and audit events."""
from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from ..auth.access import roles_required
from ..extensions import db
from ..paging import paginate
from ..models import AuditEvent, User

bp = Blueprint("admin", __name__)


@bp.route("/users")
@roles_required("admin")
def users():
    """Every account with its role."""
    page = paginate(select(User).order_by(User.role, User.email), per_page=current_app.config["PAGE_SIZE"] * 2)
    return render_template("admin/users.html", page=page)


@bp.route("/audit")
@roles_required("admin")
def audit():
    """The audit log, newest first."""
    page = paginate(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
                    per_page=current_app.config["PAGE_SIZE"] * 2)
    emails = dict(db.session.execute(select(User.id, User.email)).all())
    return render_template("admin/audit.html", page=page, emails=emails)
