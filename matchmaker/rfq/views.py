"""Request pages: buyers see their own requests, staff see all of them."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import roles_required
from ..domain import REQUEST_STATUSES
from ..extensions import db
from ..models import BuyerRequest, Match, record_event
from ..matching.suggestions import suggest
from .forms import RequestForm

bp = Blueprint("rfq", __name__)


def visible_requests():
    """Requests the signed-in user may see: staff all, a buyer their own."""
    stmt = select(BuyerRequest)
    if not current_user.is_staff:
        stmt = stmt.where(BuyerRequest.buyer_id == current_user.id)
    return stmt


@bp.route("/")
@roles_required()
def index():
    """Requests, newest first, optionally by status."""
    status = request.args.get("status", "")
    stmt = visible_requests()
    if status in REQUEST_STATUSES:
        stmt = stmt.where(BuyerRequest.status == status)
    stmt = stmt.order_by(BuyerRequest.created_at.desc(), BuyerRequest.id.desc())
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], max_per_page=100)
    return render_template("rfq/index.html", page=page, status=status, statuses=REQUEST_STATUSES)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("buyer", "specialist", "admin")
def new():
    """Post a sourcing request."""
    form = RequestForm()
    if form.validate_on_submit():
        row = BuyerRequest(
            title=form.title.data.strip(), description=form.description.data.strip(),
            industry=form.industry.data or None,
            buyer_country=(form.buyer_country.data or "").upper() or None,
            quantity=form.quantity.data, unit=form.unit.data or None,
            required_certifications=form.certification_list(),
            max_lead_time_days=form.max_lead_time_days.data,
            target_unit_price_usd=float(form.target_unit_price_usd.data)
            if form.target_unit_price_usd.data is not None else None,
            deadline=form.deadline.data,
            buyer_id=current_user.id if current_user.role == "buyer" else None)
        db.session.add(row)
        db.session.flush()
        record_event("request.create", actor=current_user, entity_type="request", entity_id=row.external_id)
        db.session.commit()
        try:
            matched = suggest([row])
        except Exception:  # noqa: BLE001 - the request is saved; suggestions can be made again later
            db.session.rollback()
            current_app.logger.exception("request %s saved, matching failed", row.external_id)
        else:
            if matched.error:
                current_app.logger.warning("request %s saved, matching skipped: %s", row.external_id, matched.error)
        flash("Your request is posted. Our sales team will propose suppliers.", "success")
        return redirect(url_for("rfq.detail", request_id=row.id))
    return render_template("rfq/new.html", form=form)


@bp.route("/<int:request_id>")
@roles_required()
def detail(request_id: int):
    """One request; staff also see the suppliers matched to it."""
    row = db.session.scalar(visible_requests().where(BuyerRequest.id == request_id))
    if row is None:
        abort(404)  # 404, not 403: a buyer must not learn which request ids exist
    matches = []
    if current_user.is_staff:
        matches = db.session.scalars(select(Match).where(Match.request_id == row.id)
                                     .order_by(Match.rank.is_(None), Match.rank, Match.id)).all()
    return render_template("rfq/detail.html", req=row, matches=matches)
