"""Request pages: buyers post, follow, edit and withdraw their requests; staff see all of them."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from .. import certifications
from ..auth.access import roles_required
from ..domain import OPEN_REQUEST_STATUSES
from ..extensions import db
from ..models import BuyerRequest, Match, Supplier
from ..paging import paginate
from . import introductions as intro_service
from . import service
from .forms import IntroductionForm, RequestForm

bp = Blueprint("rfq", __name__)


@bp.app_context_processor
def _form_helpers():
    # The certification list the request form suggests from, and today's date for the deadline's minimum.
    return {"certification_choices": certifications.all_certifications, "today": date.today}

# The tabs of the request list: which statuses each shows.
TABS = {"open": OPEN_REQUEST_STATUSES, "closed": ("closed", "withdrawn")}
SUGGESTIONS_SHOWN = 10


def visible_requests():
    """Requests the signed-in user may see: staff all, a buyer their own."""
    stmt = select(BuyerRequest)
    if not current_user.is_staff:
        stmt = stmt.where(BuyerRequest.buyer_id == current_user.id)
    return stmt


def _visible_or_404(request_id: int) -> BuyerRequest:
    row = db.session.scalar(visible_requests().where(BuyerRequest.id == request_id))
    if row is None:
        abort(404)  # 404, not 403: a buyer must not learn which request ids exist
    return row


def _own_or_404(request_id: int) -> BuyerRequest:
    row = _visible_or_404(request_id)
    if row.buyer_id != current_user.id:
        abort(403)  # staff may read any request but only its buyer changes it
    return row


@bp.route("/")
@roles_required()
def index():
    """A buyer's requests, newest first, by tab (open or closed); staff work from the queue."""
    if current_user.is_staff:
        return redirect(url_for("work.queue_page"))
    tab = request.args.get("status", "")
    stmt = visible_requests()
    if tab in TABS:
        stmt = stmt.where(BuyerRequest.status.in_(TABS[tab]))
    else:
        tab = ""
    stmt = stmt.order_by(BuyerRequest.created_at.desc(), BuyerRequest.id.desc())
    page = paginate(stmt)
    has_any = bool(page.items) or db.session.scalar(visible_requests().limit(1)) is not None
    return render_template("rfq/index.html", page=page, tab=tab, tabs=TABS, has_any=has_any)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("buyer", "specialist", "admin")
def new():
    """Post a sourcing request; the buyer lands on it with suggested suppliers."""
    form = RequestForm()
    if request.method == "GET" and getattr(current_user, "country", None):
        form.buyer_country.data = current_user.country or ""
    if form.validate_on_submit():
        row = service.post_request(form.values(), current_user)
        flash(_("Your request is posted. Below are suppliers our matching suggests; our sales team will "
                "review them and publish a shortlist."), "success")
        return redirect(url_for("rfq.detail", request_id=row.id))
    return render_template("rfq/new.html", form=form)


@bp.route("/<int:request_id>")
@roles_required()
def detail(request_id: int):
    """A buyer's request: its status and timeline, the shortlist once published, and suggestions.

    Staff are sent to the request's workspace.
    """
    row = _visible_or_404(request_id)
    if current_user.is_staff:
        return redirect(url_for("work.workspace", request_id=row.id))
    intros = intro_service.introductions_of(row)
    asked = {intro.supplier_id: intro for intro in intros}
    # The published shortlist in the team's order, and the automatic suggestions (never what the team rejected).
    shortlist = service.shortlist(row) if row.shortlist_published else []
    listed = {m.supplier_id for m in shortlist}
    suggestions = db.session.scalars(
        select(Match).where(Match.request_id == row.id, Match.status == "suggested", Match.rank.is_not(None),
                            Match.supplier_id.not_in(listed) if listed else True)
        .order_by(Match.rank).limit(SUGGESTIONS_SHOWN)).all()
    return render_template("rfq/detail.html", req=row, shortlist=shortlist, suggestions=suggestions,
                           intros=intros, asked=asked)


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@roles_required("buyer")
def edit(request_id: int):
    """Change an open request; matching runs again, keeping the team's decisions."""
    row = _own_or_404(request_id)
    if not row.is_open:
        flash(_("This request is closed and can no longer be edited."), "error")
        return redirect(url_for("rfq.detail", request_id=row.id))
    form = RequestForm(obj=row)
    if request.method == "GET":
        form.required_certifications.data = ", ".join(row.required_certifications or [])
        form.version.data = str(row.version)
    if form.validate_on_submit():
        try:
            changed = service.update_request(row, form.values(), current_user, form.version.data)
        except (service.RequestStateError, StaleDataError) as exc:
            db.session.rollback()
            flash(str(exc) if isinstance(exc, service.RequestStateError) else str(service.STALE), "error")
            return redirect(url_for("rfq.edit", request_id=row.id))
        flash(_("Your request is updated and its suggestions refreshed.") if changed else _("Nothing was changed."),
              "success")
        return redirect(url_for("rfq.detail", request_id=row.id))
    return render_template("rfq/edit.html", form=form, req=row)


@bp.route("/<int:request_id>/withdraw", methods=["POST"])
@roles_required("buyer")
def withdraw(request_id: int):
    """The buyer no longer needs this request."""
    row = _own_or_404(request_id)
    try:
        service.withdraw(row, current_user)
    except service.RequestStateError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Your request is withdrawn. Suppliers will not be proposed for it any more."), "success")
    return redirect(url_for("rfq.detail", request_id=row.id))


@bp.route("/introduce/<int:supplier_id>", methods=["GET", "POST"])
@roles_required("buyer")
def introduce(supplier_id: int):
    """Ask the team for an introduction to a supplier, for one of the buyer's requests or a new one."""
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        abort(404)
    open_requests = db.session.scalars(
        select(BuyerRequest).where(BuyerRequest.buyer_id == current_user.id,
                                   BuyerRequest.status.in_(OPEN_REQUEST_STATUSES))
        .order_by(BuyerRequest.created_at.desc(), BuyerRequest.id.desc()).limit(50)).all()
    form = IntroductionForm(open_requests)
    chosen = request.args.get("request", type=int)
    if request.method == "GET":
        if chosen and any(r.id == chosen for r in open_requests):
            form.request_choice.data = str(chosen)
        form.buyer_country.data = current_user.country or ""
    if form.validate_on_submit():
        if form.request_choice.data == "new":
            row = service.post_request({
                "title": form.title.data, "description": form.message.data, "buyer_country": form.buyer_country.data,
                "quantity": form.quantity.data, "unit": form.unit.data if form.quantity.data else None,
                "industry": supplier.industry, "required_certifications": []}, current_user)
        else:
            row = next(r for r in open_requests if str(r.id) == form.request_choice.data)
        try:
            intro_service.request_introduction(row, supplier, current_user, form.message.data,
                                               form.quantity.data, form.unit.data if form.quantity.data else None)
        except service.RequestStateError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Thank you. Our sales team will contact the supplier and introduce you."), "success")
        return redirect(url_for("rfq.detail", request_id=row.id))
    return render_template("rfq/introduce.html", form=form, supplier=supplier)
