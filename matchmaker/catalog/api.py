"""``GET /api/search``: the catalog's search as JSON, for integrations and load tests.

The same matching service, filters and explanations as the catalog page
(``/?q=``); public like the catalog, read-only, and never an HTML error page:
bad arguments answer 400 with ``error``. When the search backend fails the
answer is still 200: plain text matches from SQL, unranked, with
``"fallback": true`` and a ``note`` saying so (as the catalog page does).
"""
from __future__ import annotations

from flask import current_app, jsonify, request, url_for

from search.backend import BackendError
from search.documents import MODES

from ..auth.access import public
from ..display import name_pair
from ..extensions import db
from ..matching.service import match_text
from ..paging import MAX_PAGE
from ..warmup import is_ready
from ..search_service import search_failures
from .queries import CatalogFilters, catalog_query
from .searching import engine_filters
from .views import bp

MAX_PER_PAGE = 50


def _error(message: str, status: int):
    return jsonify({"error": message}), status


def _supplier(supplier, rank: int) -> dict:
    """One result's supplier fields, ranked or listed alike."""
    shown, korean = name_pair(supplier.name, supplier.name_en)
    return {"rank": rank, "external_id": supplier.external_id, "name": shown, "name_ko": korean,
            "url": url_for("catalog.supplier", supplier_id=supplier.id, _external=True),
            "industry": supplier.industry}


def _match(match) -> dict:
    return {**_supplier(match.supplier, match.rank), "score": round(match.score, 6),
            "reason": match.explanation.summary if match.explanation else None,
            "explanation": match.explanation.as_dict() if match.explanation else None}


def _fallback(filters, page: int, per_page: int) -> dict:
    """The catalog's SQL listing for ``filters`` in the API's shape: no scores, no reasons."""
    listed = db.paginate(catalog_query(filters), page=page, per_page=per_page, max_per_page=MAX_PER_PAGE,
                         error_out=False)
    results = [{**_supplier(supplier, rank), "score": None, "reason": None, "explanation": None}
               for rank, supplier in enumerate(listed.items, start=(page - 1) * per_page + 1)]
    return {"query": filters.q, "mode": "sql", "fallback": True,
            "note": "search is unavailable right now; these are plain text matches from the catalog, unranked",
            "page": page, "per_page": per_page, "total": listed.total, "pages": listed.pages,
            "fits_nothing": False, "results": results, "partial": []}


@bp.route("/api/search")
@public
def api_search():
    """Ranked, explained suppliers for ``q`` (with ``mode``, ``industry``, ``certification``, ``min_level``,
    ``page`` and ``per_page``), as JSON."""
    filters = CatalogFilters.from_args(request.args)
    if not filters.q:
        return _error("q is required: what to search for", 400)
    mode = request.args.get("mode", "hybrid")
    if mode not in MODES:
        return _error(f"mode must be one of {', '.join(MODES)}", 400)
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", current_app.config["PAGE_SIZE"], type=int)
    if not 1 <= page <= MAX_PAGE:
        return _error(f"page must be a whole number from 1 to {MAX_PAGE}", 400)
    if not 1 <= per_page <= MAX_PER_PAGE:
        return _error(f"per_page must be a whole number from 1 to {MAX_PER_PAGE}", 400)
    note = None
    if mode != "lexical" and not is_ready():  # models still loading: answer from the words now, as the catalog does
        mode, note = "lexical", "search by meaning is still starting up; these results match the words"
    try:
        result = match_text(filters.q, engine_filters(filters), page=page, per_page=per_page, mode=mode,
                            certification=filters.certification or None, highlight=False)
    except BackendError as exc:
        search_failures().note("api", exc)
        return jsonify(_fallback(filters, page, per_page))
    return jsonify({"query": filters.q, "mode": mode, "fallback": False, "note": note, "page": page,
                    "per_page": per_page, "total": result.total, "pages": result.pages,
                    "fits_nothing": result.fits_nothing,
                    "results": [_match(m) for m in result.items],
                    "partial": [_match(m) for m in result.partial[:per_page]]})
