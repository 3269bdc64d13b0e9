"""Error pages."""
from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have access to this page.",
    404: "There is no page at this address.",
    405: "This page does not accept that method.",
    500: "Something went wrong on our side. The team has been told.",
}


def render_error(error: HTTPException):
    """Render an HTTP error inside the site layout, keeping its status code."""
    code = error.code or 500
    message = MESSAGES.get(code, error.description)
    return render_template("error.html", code=code, message=message, title=error.name), code


def render_csrf_error(error: CSRFError):
    """A missing or stale form token: say so plainly, nothing was saved."""
    return render_template("error.html", code=400, title="Form expired",
                           message="This form expired or was not sent by this site. "
                                   "Go back, reload the page and try again; nothing was saved."), 400


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, render_csrf_error)
    for code in MESSAGES:
        app.register_error_handler(code, render_error)
