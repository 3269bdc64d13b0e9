"""The signed-in user's notifications."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import roles_required
from ..extensions import db
from ..models import Notification
from ..paging import paginate
from . import messages
from .service import mark_read

bp = Blueprint("notify", __name__)


@bp.route("/")
@roles_required()
def index():
    """Newest first; the ones unread until now are marked, then counted as read."""
    stmt = (select(Notification).where(Notification.user_id == current_user.id)
            .order_by(Notification.id.desc()))
    page = paginate(stmt)
    items = [{"row": row, "subject": messages.subject(row.kind, row.params),
              "body": messages.body(row.kind, row.params), "unread": row.read_at is None} for row in page.items]
    html = render_template("notify/index.html", page=page, items=items)
    if page.items:
        mark_read(current_user, max(row.id for row in page.items))
    return html


@bp.route("/read", methods=["POST"])
@roles_required()
def read_all():
    """Mark every notification read."""
    newest = db.session.scalar(select(Notification.id).where(Notification.user_id == current_user.id)
                               .order_by(Notification.id.desc()).limit(1))
    if newest is not None:
        mark_read(current_user, newest)
    return redirect(url_for("notify.index", page=request.args.get("page", type=int) or None))
