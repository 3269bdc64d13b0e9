"""Catalog pages: the browsable supplier list and one supplier's profile."""
from flask import Blueprint, abort, current_app, render_template, request

from ..auth.access import roles_required
from ..domain import INDUSTRIES
from ..extensions import db
from ..models import Supplier
from .queries import CatalogFilters, catalog_query

bp = Blueprint("catalog", __name__)


@bp.route("/")
@roles_required()
def index():
    """The catalog, filtered and paginated."""
    filters = CatalogFilters.from_args(request.args)
    page = db.paginate(catalog_query(filters), per_page=current_app.config["PAGE_SIZE"], max_per_page=100)
    return render_template("catalog/index.html", page=page, filters=filters, industries=INDUSTRIES)


@bp.route("/suppliers/<int:supplier_id>")
@roles_required()
def supplier(supplier_id: int):
    """One supplier's profile; contact details are for staff only (the template checks)."""
    row = db.session.get(Supplier, supplier_id)
    if row is None:
        abort(404)
    return render_template("catalog/supplier.html", supplier=row)
