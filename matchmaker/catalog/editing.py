"""Staff pages that add, change and delete supplier profiles; the rules are the data contract's (``upkeep``)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import roles_required
from ..dataio.exporter import supplier_record
from ..dataio.limits import PRODUCTS
from ..domain import UNITS
from ..extensions import db
from ..models import Supplier
from . import editor, upkeep
from .forms import SupplierForm
from .views import bp


def _supplier_or_404(supplier_id: int) -> Supplier:
    row = db.session.get(Supplier, supplier_id)
    if row is None:
        abort(404)
    return row


def _row_limit(row: Supplier | None) -> int:
    """How many product rows the page may have: the limit (or the products of a profile older than it) and the
    empty rows offered. Each row is a sub-form: a post of thousands would keep a server thread busy."""
    return max(PRODUCTS, len(row.products) if row else 0) + editor.BLANK_ROWS


def _refuse_too_many_rows(row: Supplier | None) -> None:
    # Only a hand-made post has more rows than the page offers: it gets the "too large" page.
    if request.method == "POST":
        rows = {key.split("-", 2)[1] for key in request.form if key.startswith("products-")}
        if len(rows) > _row_limit(row):
            abort(413)


def _adding_a_product(form: SupplierForm, row: Supplier | None) -> bool:
    # "Add another product" sends the form back with one more empty row, keeping what was typed; nothing is saved.
    if request.method == "POST" and "add_product" in request.form:
        if len(form.products) < _row_limit(row):  # at the limit the page says so instead of offering the button
            form.products.append_entry()
        return True
    return False


def _editor_page(form: SupplierForm, row: Supplier | None, stale: list | None = None):
    # Units are suggested, not imposed: the contract takes any unit a supplier quotes in.
    return render_template("catalog/edit.html", form=form, supplier=row, stale=stale, units=UNITS,
                           row_limit=_row_limit(row), max_products=PRODUCTS)


@bp.route("/suppliers/new", methods=["GET", "POST"])
@roles_required("specialist", "admin")
def new_supplier():
    """Add a supplier profile by hand."""
    _refuse_too_many_rows(None)
    form = SupplierForm(data=editor.initial({}) if request.method == "GET" else None)
    if not _adding_a_product(form, None) and form.validate_on_submit():
        typed = editor.read(form)
        try:
            row = upkeep.create_supplier(typed.record, current_user)
        except upkeep.InvalidSupplier as exc:
            editor.show_errors(form, exc.errors, typed)
        else:
            flash(_("Supplier added. Search finds it in a few seconds."), "success")
            return redirect(url_for("catalog.supplier", supplier_id=row.id))
    return _editor_page(form, None)


@bp.route("/suppliers/<int:supplier_id>/edit", methods=["GET", "POST"])
@roles_required("specialist", "admin")
def edit_supplier(supplier_id: int):
    """Change any field of a profile; a save from a page older than the profile is refused, the input kept."""
    row = _supplier_or_404(supplier_id)
    _refuse_too_many_rows(row)
    saved = supplier_record(row)
    form = SupplierForm(data=editor.initial(saved, row.version) if request.method == "GET" else None)
    stale = None
    if not _adding_a_product(form, row) and form.validate_on_submit():
        typed = editor.read(form, saved)
        try:
            changed = upkeep.update_supplier(row, typed.record, current_user, form.version.data)
        except upkeep.InvalidSupplier as exc:
            editor.show_errors(form, exc.errors, typed)
        except upkeep.StaleSupplier:
            row = db.session.get(Supplier, supplier_id)
            if row is None:
                flash(_("Someone else deleted this profile, so your changes could not be saved."), "error")
                return redirect(url_for("catalog.index"))
            # Show what is saved now where it differs; saving again (with the new version) is a choice made knowingly.
            stale = editor.saved_values(form, upkeep.differences(row, typed.record))
            form.version.data = str(row.version)
        else:
            flash(_("Profile saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("catalog.supplier", supplier_id=row.id))
    return _editor_page(form, row, stale)


@bp.route("/suppliers/<int:supplier_id>/delete", methods=["GET", "POST"])
@roles_required("specialist", "admin")
def delete_supplier(supplier_id: int):
    """Ask, saying what goes with the profile; then delete it (and it leaves search)."""
    row = _supplier_or_404(supplier_id)
    if request.method == "POST":
        name = row.display_name
        try:
            upkeep.delete_supplier(row, current_user, request.form.get("version"))
        except upkeep.StaleSupplier:
            flash(_("Someone else changed this profile after you opened this page, so it was not deleted. "
                    "Check it, then delete it again if you still want to."), "error")
            return redirect(url_for("catalog.delete_supplier", supplier_id=supplier_id))
        flash(_("%(name)s was deleted.", name=name), "success")
        return redirect(url_for("catalog.index"))
    return render_template("catalog/delete.html", supplier=row, removed=upkeep.removal_summary(row))
