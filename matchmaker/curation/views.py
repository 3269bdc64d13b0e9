"""The specialists' workspace: the queue, one request's curation, each match's pipeline, the board."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from search.backend import BackendError

from ..auth.access import roles_required
from ..catalog.queries import plain_matches
from ..dataio.limits import NOTE_CHARS
from ..domain import INDUSTRIES, PIPELINE_STAGES
from ..extensions import db
from ..display import country_choices
from ..forms import search_text
from ..i18n import current_language, label
from ..matching.service import match_text
from ..models import BuyerRequest, Introduction, Match, Supplier
from ..models.match import curated_order
from ..paging import page_number, paginate
from ..rfq import introductions as intro_service
from ..rfq import service as rfq_service
from ..search_service import search_failures
from . import decisions, pipeline, queue, why
from .forms import StageForm, reject_choices

bp = Blueprint("work", __name__)
staff_only = roles_required("specialist", "admin")
# The match card (templates/work/_match.html) words its "Why here" line and fit signals with these.
bp.add_app_template_filter(why.why_here)
bp.add_app_template_filter(why.signal_label)
SEARCH_SHOWN = 10


def _get_or_404(model, key: int):
    row = db.session.get(model, key)
    if row is None:
        abort(404)
    return row


def _refused(exc: Exception) -> None:
    db.session.rollback()
    flash(str(exc) if isinstance(exc, rfq_service.RequestStateError) else str(rfq_service.STALE), "error")


@bp.route("/queue")
@staff_only
def queue_page():
    """Buyer requests by status, filtered and sorted, with what has waited too long."""
    filters = queue.QueueFilters.from_args(request.args)
    page = paginate(queue.queue_query(filters, current_user))
    return render_template("work/queue.html", page=page, filters=filters, counts=queue.tab_counts(),
                           candidates=queue.candidate_counts(page.items),
                           waiting_hours=queue.waiting_hours(), industries=INDUSTRIES,
                           specialists=queue.specialists(), ages=queue.AGES, sorts=queue.SORTS, tabs=queue.TABS,
                           countries=country_choices(current_language()))


@bp.route("/requests/<int:request_id>")
@staff_only
def workspace(request_id: int):
    """One request: buyer, needs, shortlist, ranked candidates with their scores, rejected, catalog search."""
    row = _get_or_404(BuyerRequest, request_id)
    matches = db.session.scalars(select(Match).where(Match.request_id == row.id)
                                 .options(selectinload(Match.supplier).selectinload(Supplier.products))
                                 .order_by(*curated_order())).all()
    shortlist = [m for m in matches if m.status in PIPELINE_STAGES]
    candidates = [m for m in matches if m.status == "suggested"]
    rejected = [m for m in matches if m.status == "rejected"]
    query = search_text(request.args.get("q"))
    found, search_error = None, None
    if query:
        try:
            found = match_text(query, per_page=SEARCH_SHOWN, highlight=False)
        except BackendError as exc:
            search_failures().note("workspace", exc)
            search_error = _("Search is unavailable right now, so these are plain text matches.")
            found = plain_matches(query, SEARCH_SHOWN)
    # Which shortlisted suppliers are first or last among those pinned alike (no up / down button).
    ends = {m.id: (i == 0 or shortlist[i - 1].pinned != m.pinned,
                   i == len(shortlist) - 1 or shortlist[i + 1].pinned != m.pinned) for i, m in enumerate(shortlist)}
    return render_template("work/request.html", req=row, shortlist=shortlist, ends=ends, candidates=candidates,
                           rejected=rejected, on_request={m.supplier_id: m for m in matches}, query=query,
                           found=found, search_error=search_error, intros=intro_service.introductions_of(row),
                           signature=rfq_service.shortlist_signature(row), reject_choices=reject_choices())


def _back(row: BuyerRequest, anchor: str | None = None):
    return redirect(url_for("work.workspace", request_id=row.id, _anchor=anchor))


@bp.route("/requests/<int:request_id>/assign", methods=["POST"])
@staff_only
def assign(request_id: int):
    """Take the request (``to=me``) or give it up (``to=none``)."""
    row = _get_or_404(BuyerRequest, request_id)
    assignee = current_user._get_current_object() if request.form.get("to") == "me" else None
    try:
        rfq_service.assign(row, current_user, assignee, request.form.get("version", ""))
    except (rfq_service.RequestStateError, StaleDataError) as exc:
        _refused(exc)
    else:
        flash(_("The request is yours.") if assignee else _("The request is unassigned."), "success")
    if request.form.get("back") == "queue":
        return redirect(request.referrer or url_for("work.queue_page"))
    return _back(row)


@bp.route("/requests/<int:request_id>/review", methods=["POST"])
@staff_only
def start_review(request_id: int):
    """Take up a new request: in review (the buyer's timeline shows it), and assigned to you if nobody has it."""
    row = _get_or_404(BuyerRequest, request_id)
    if rfq_service.start_review(row, current_user):
        flash(_("The request is now in review."), "success")
    return _back(row)


@bp.route("/requests/<int:request_id>/rematch", methods=["POST"])
@staff_only
def rematch(request_id: int):
    """Run matching again with the current catalog and index; every decision made stays."""
    row = _get_or_404(BuyerRequest, request_id)
    report = rfq_service.rematch(row, current_user)
    if report.error:
        flash(_("Matching could not run: %(error)s", error=report.error), "error")
    else:
        flash(_("Matching ran again: %(count)d candidate(s); %(kept)d decision(s) kept.",
                count=report.suggested, kept=report.kept_decisions), "success")
    return _back(row, "candidates")


@bp.route("/requests/<int:request_id>/publish", methods=["POST"])
@staff_only
def publish(request_id: int):
    """Publish the shortlist as the page showed it; the buyer is notified."""
    row = _get_or_404(BuyerRequest, request_id)
    try:
        count = rfq_service.publish_shortlist(row, current_user, request.form.get("shortlist", ""))
    except (rfq_service.RequestStateError, StaleDataError) as exc:
        _refused(exc)
    else:
        flash(_("Shortlist of %(count)d supplier(s) published to the buyer.", count=count), "success")
    return _back(row)


@bp.route("/requests/<int:request_id>/close", methods=["POST"])
@staff_only
def close(request_id: int):
    """Close the request (done, or nothing more to do)."""
    row = _get_or_404(BuyerRequest, request_id)
    try:
        rfq_service.close(row, current_user, request.form.get("version", ""))
    except (rfq_service.RequestStateError, StaleDataError) as exc:
        _refused(exc)
    else:
        flash(_("The request is closed."), "success")
    return _back(row)


@bp.route("/requests/<int:request_id>/add/<int:supplier_id>", methods=["POST"])
@staff_only
def add_supplier(request_id: int, supplier_id: int):
    """Put a supplier found in the catalog on the shortlist by hand."""
    row = _get_or_404(BuyerRequest, request_id)
    supplier = _get_or_404(Supplier, supplier_id)
    try:
        match = decisions.add_by_hand(row, supplier, current_user)
    except (rfq_service.RequestStateError, StaleDataError) as exc:
        _refused(exc)
        return _back(row)
    flash(_("%(name)s is on the shortlist.", name=supplier.display_name), "success")
    return _back(row, f"m{match.id}")


def _decide(match: Match, action: str, revision: str) -> str | None:
    """Carry out the decision the button names; the message to flash (None: nothing to say)."""
    form = request.form
    if action == "accept":
        decisions.accept(match, current_user, revision, note=form.get("note", "").strip()[:NOTE_CHARS] or None)
        return _("Added to the shortlist.")
    if action == "reject":
        decisions.reject(match, current_user, form.get("reason", ""), revision,
                         note=form.get("note", "").strip()[:NOTE_CHARS] or None)
        return _("Rejected.")
    if action == "restore":
        decisions.restore(match, current_user, revision)
        return _("Back among the candidates.")
    if action in ("pin", "unpin"):
        decisions.pin(match, current_user, action == "pin", revision)
        return _("Pinned to the top.") if action == "pin" else _("Unpinned.")
    if action in ("up", "down"):
        decisions.move(match, current_user, action, revision)
        return None
    if action == "note":
        decisions.note(match, current_user, form.get("note", ""), revision)
        return _("Note saved.")
    abort(400)


@bp.route("/matches/<int:match_id>/decide", methods=["POST"])
@staff_only
def decide(match_id: int):
    """One curation decision on a candidate or shortlisted supplier (``action`` names it)."""
    match = _get_or_404(Match, match_id)
    row = match.request
    try:
        message = _decide(match, request.form.get("action", ""), request.form.get("revision", ""))
    except (rfq_service.RequestStateError, StaleDataError) as exc:
        _refused(exc)
    else:
        if message:
            flash(message, "success")
    return _back(row, f"m{match.id}")


@bp.route("/matches/<int:match_id>", methods=["GET", "POST"])
@staff_only
def match_page(match_id: int):
    """One shortlisted supplier on one request: its steps so far and the form for the next one."""
    match = _get_or_404(Match, match_id)
    form = StageForm()
    if request.method == "GET":
        form.revision.data = str(match.revision)
        following = PIPELINE_STAGES.index(match.status) + 1 if match.status in PIPELINE_STAGES else 1
        form.stage.data = PIPELINE_STAGES[min(following, len(PIPELINE_STAGES) - 2)]
    if form.validate_on_submit():
        try:
            pipeline.advance(match, current_user, form.stage.data, form.revision.data, on=form.happened_on.data,
                             note=form.note.data or None, reason=form.reason.data or None)
        except (rfq_service.RequestStateError, StaleDataError) as exc:
            _refused(exc)
        else:
            flash(_("Recorded: %(stage)s.", stage=label('match_status', form.stage.data)), "success")
            return redirect(url_for("work.match_page", match_id=match.id))
        return redirect(url_for("work.match_page", match_id=match.id))
    return render_template("work/match.html", match=match, req=match.request, supplier=match.supplier, form=form)


@bp.route("/introductions/<int:intro_id>/done", methods=["POST"])
@staff_only
def introduced(intro_id: int):
    """The team introduced the buyer to the supplier they asked for; the buyer is notified."""
    intro = _get_or_404(Introduction, intro_id)
    try:
        pipeline.mark_introduced(intro, current_user)
    except (rfq_service.RequestStateError, StaleDataError) as exc:
        _refused(exc)
    else:
        flash(_("Introduction recorded; the buyer has been told."), "success")
    if request.form.get("back") == "pipeline":
        return redirect(url_for("work.board"))
    return _back(intro.request)


@bp.route("/pipeline")
@staff_only
def board():
    """Every shortlisted supplier across requests, by stage, with the introductions buyers are waiting for."""
    filters = pipeline.BoardFilters.from_args(request.args)
    waiting = []
    if filters.stage in ("", "requested"):
        waiting = db.session.scalars(pipeline.waiting_introductions(filters, current_user).limit(50)).all()
    page = None
    if filters.stage != "requested":
        page = paginate(pipeline.board_query(filters, current_user))
    else:
        page_number()  # still refuse absurd page numbers
    return render_template("work/pipeline.html", page=page, filters=filters, waiting=waiting,
                           counts=pipeline.stage_counts(filters, current_user), industries=INDUSTRIES,
                           specialists=queue.specialists(), stages=PIPELINE_STAGES)
