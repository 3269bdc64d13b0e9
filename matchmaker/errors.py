"""Error pages: inside the site's layout, and never an error themselves.

If the layout cannot be rendered (the database is down, so the page cannot
read who is signed in; a template is broken), a plain page in the same words
is sent instead, with the right status code, and the failure is logged.
"""
from html import escape

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have access to this page."),
    404: _l("There is no page at this address."),
    405: _l("This page does not accept that method."),
    413: _l("What you sent is too large. Shorten it and try again."),
    429: _l("Too many attempts in a short time. Wait a few minutes and try again."),
    500: _l("Something went wrong on our side. The team has been told."),
}

# Werkzeug's names for these codes, so they can be translated too.
TITLES = {
    400: _l("Bad Request"),
    403: _l("Forbidden"),
    404: _l("Not Found"),
    405: _l("Method Not Allowed"),
    413: _l("Too Large"),
    429: _l("Too Many Requests"),
    500: _l("Internal Server Error"),
}


PLAIN_PAGE = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{title} · Matchmaker</title>"
              "<body style=\"font-family: sans-serif; margin: 2rem\"><h1>{code} · {title}</h1><p>{message}</p>"
              "<p><a href=\"/\">Back to the catalog</a></p></body></html>")


def page(code: int, title, message):
    """The error page in the layout, or the plain page when the layout itself fails."""
    try:
        return render_template("error.html", code=code, message=message, title=title), code
    except Exception:  # noqa: BLE001 - an error page must not raise: it is the last thing that answers
        current_app.logger.exception("the error page for %s could not be rendered; sending the plain page", code)
        try:
            title, message = str(title), str(message)
        except Exception:  # noqa: BLE001 - translations unavailable: fall back to English
            title, message = "Error", "Something went wrong."
        body = PLAIN_PAGE.format(code=code, title=escape(title), message=escape(message))
        return body, code, {"Content-Type": "text/html; charset=utf-8"}


def render_error(error: HTTPException):
    """Render an HTTP error inside the site layout, keeping its status code."""
    code = error.code or 500
    return page(code, TITLES.get(code, error.name), MESSAGES.get(code, error.description))


def render_csrf_error(error: CSRFError):
    """A missing or stale form token: say so plainly, nothing was saved."""
    return page(400, _l("Form expired"), _l("This form expired or was not sent by this site. "
                                            "Go back, reload the page and try again; nothing was saved."))


def render_unexpected(error: Exception):
    """Any exception a view did not handle: logged with its traceback, answered with the 500 page."""
    if isinstance(error, HTTPException):
        return render_error(error)
    current_app.logger.exception("unhandled error", exc_info=error)
    try:
        from .extensions import db

        db.session.rollback()  # the failed transaction must not poison the error page's queries
    except Exception:  # noqa: BLE001
        pass
    return page(500, TITLES[500], MESSAGES[500])


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, render_csrf_error)
    for code in MESSAGES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(Exception, render_unexpected)
