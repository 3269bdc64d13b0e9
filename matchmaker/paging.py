"""Paging of SQL lists with a bounded page number."""
from flask import abort, current_app, request
from flask_sqlalchemy.pagination import Pagination

from .extensions import db

MAX_PAGE = 10_000  # deeper pages are refused before any query runs (and before an offset overflows)


def page_number() -> int:
    """The ``page`` query argument: 1 when absent or unreadable, 404 when out of bounds."""
    number = request.args.get("page", 1, type=int)
    if number < 1 or number > MAX_PAGE:
        abort(404)
    return number


def paginate(stmt, per_page: int | None = None) -> Pagination:
    """One page of ``stmt``'s rows (``PAGE_SIZE`` a page), 404 beyond the last page."""
    page = db.paginate(stmt, page=page_number(), per_page=per_page or current_app.config["PAGE_SIZE"],
                       max_per_page=100, error_out=False)
    if page.page > 1 and not page.items:
        abort(404)
    return page
