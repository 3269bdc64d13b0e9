"""The admin's Search page: the live index, and the outbox of changes waiting for the search worker."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy import select

from search.backend import BackendError

from ..auth.access import roles_required
from ..extensions import db
from ..models import SearchOutboxEntry, Supplier
from ..paging import paginate
from ..search_sync import PENDING, outbox_status, retry_now
from .views import bp, per_page


@bp.route("/search")
@roles_required("admin")
def search():
    """The live index (backend, version, documents) and the queued changes, oldest first."""
    from ..search_service import get_search, search_failures  # the search stack loads on first use

    try:
        index = get_search().backend.health()
    except (BackendError, OSError) as exc:
        current_app.logger.warning("admin search page: backend unavailable: %s", exc)
        index = {"status": "unavailable", "error": str(exc)}  # admins see why; the public health answer does not
    failures = search_failures().as_dict()
    if failures["last_fallback_seconds"] is not None:
        failures["ago"] = format_timedelta(timedelta(seconds=failures["last_fallback_seconds"]), threshold=1.1)
    page = paginate(select(SearchOutboxEntry).where(PENDING)
                    .order_by(SearchOutboxEntry.id), per_page=per_page())
    ids = {entry.supplier_external_id for entry in page.items}
    suppliers = dict(db.session.execute(select(Supplier.external_id, Supplier.id)
                                        .where(Supplier.external_id.in_(ids))).all()) if ids else {}
    outbox = outbox_status()
    waited = format_timedelta(timedelta(seconds=outbox["oldest_seconds"] or 0), threshold=1.1)
    return render_template("admin/search.html", index=index, outbox=outbox, waited=waited, page=page,
                           suppliers=suppliers, mode=current_app.config["SEARCH_SYNC"],
                           failures=failures)


@bp.route("/search/retry", methods=["POST"])
@roles_required("admin")
def retry():
    """Make every failed change due now (after the backend is fixed); the worker picks them up.

    The CSRF token is checked by CSRFProtect before this runs, as for every POST.
    """
    count = retry_now()
    flash(_("%(count)d failed change(s) will be retried now.", count=count) if count
          else _("No change was waiting for a retry."), "success")
    return redirect(url_for("admin.search"))
