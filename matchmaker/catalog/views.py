"""Catalog pages: the browsable supplier list and one supplier's profile."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import public, roles_required
from ..domain import INDUSTRIES
from ..extensions import db
from ..models import Supplier
from search.backend import BackendError
from search.documents import MODES

from . import saved
from ..paging import page_number, paginate
from ..search_service import search_failures
from .queries import CatalogFilters, catalog_query
from .searching import search_page
from ..warmup import is_ready

bp = Blueprint("catalog", __name__)


@bp.route("/")
@public
def index():
    """The catalog: ranked and explained by the matching service for a query, else listed from SQL."""
    filters = CatalogFilters.from_args(request.args)
    mode = request.args.get("mode") if request.args.get("mode") in MODES else "hybrid"
    per_page = current_app.config["PAGE_SIZE"]
    number = page_number()  # bounded before any query runs
    page, searched = None, False
    if filters.q:
        if mode != "lexical" and not is_ready():
            # The models are still loading (server just started): answer from the words now, not in 20 s.
            mode = "lexical"
            flash(_("Search by meaning is still starting up, so these results match your words."), "info")
        try:
            page, searched = search_page(filters, mode, number, per_page), True
        except BackendError as exc:
            search_failures().note("catalog", exc)
            flash(_("Search is unavailable right now, so these are plain text matches."), "error")
        if page is not None and number > page.pages:
            abort(404)
    if page is None:
        page = paginate(catalog_query(filters))
    return render_template("catalog/index.html", page=page, filters=filters, industries=INDUSTRIES,
                           mode=mode, searched=searched)


@bp.route("/suppliers/<int:supplier_id>")
@public
def supplier(supplier_id: int):
    """One supplier's public profile, for everyone; contact details are for staff only (the template checks)."""
    row = db.session.get(Supplier, supplier_id)
    if row is None:
        abort(404)
    is_saved = current_user.is_authenticated and current_user.role == "buyer" and saved.is_saved(current_user, row)
    return render_template("catalog/supplier.html", supplier=row, is_saved=is_saved)


@bp.route("/suppliers/<int:supplier_id>/save", methods=["POST"])
@roles_required("buyer")
def save_supplier(supplier_id: int):
    """Add a supplier to the buyer's saved list, or take it off (``action=remove``)."""
    row = db.session.get(Supplier, supplier_id)
    if row is None:
        abort(404)
    if request.form.get("action") == "remove":
        saved.unsave(current_user, row)
        flash(_("Removed from your saved suppliers."), "success")
    else:
        saved.save(current_user, row)
        flash(_("Saved. Find it under Saved suppliers."), "success")
    return redirect(url_for("catalog.supplier", supplier_id=row.id))


@bp.route("/saved")
@roles_required("buyer")
def saved_suppliers():
    """The buyer's saved suppliers, most recent first."""
    page = paginate(saved.saved_list(current_user))
    return render_template("catalog/saved.html", page=page)


from . import api, editing  # noqa: E402,F401 - the JSON search and the staff editor's pages join this blueprint
