"""Operations: one structured log line per request, a request id end to end, and Sentry when a DSN is set.

Logs go to standard error (gunicorn, systemd and docker collect it there):
JSON lines in production (``MATCHMAKER_LOG_FORMAT=json``, python-json-logger),
readable text in development. Each request logs its method, route (the URL
rule, so tokens in paths such as a password reset link are not written
down), status, duration, size, client address, user id and request id. The
request id comes from a proxy's ``X-Request-ID`` when it looks like one, else
is made here, and is sent back in the response so a user's report can be
found in the log.

``MATCHMAKER_SENTRY_DSN`` turns on error reporting with the Sentry SDK: every
exception logged at ERROR (the 500 handler logs each one with its traceback)
becomes an event, without personal data (no cookies, bodies or addresses).
"""
from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request

REQUEST_ID = "X-Request-ID"
VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
requests_log = logging.getLogger("matchmaker.requests")


class _Handler(logging.StreamHandler):
    """Our handler on the ``matchmaker`` logger (a class of its own, so a second app replaces it)."""


def configure_logging(app: Flask) -> None:
    """Send the app's logs (``matchmaker`` and below) to standard error in the configured format."""
    if app.config["LOG_FORMAT"] == "json":
        from pythonjsonlogger.json import JsonFormatter

        formatter: logging.Formatter = JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})
    else:
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler = _Handler(sys.stderr)
    handler.setFormatter(formatter)
    logger = app.logger  # "matchmaker": every module logger of the package is below it
    from flask.logging import default_handler

    for old in [h for h in logger.handlers if isinstance(h, _Handler) or h is default_handler]:
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(app.config["LOG_LEVEL"].upper())


def _start() -> None:
    g.request_started = time.perf_counter()
    given = request.headers.get(REQUEST_ID, "")
    g.request_id = given if VALID_ID.fullmatch(given) else uuid.uuid4().hex


def _finish(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID] = request_id
    started = g.get("request_started")
    fields = {
        "request_id": request_id, "method": request.method,
        "route": request.url_rule.rule if request.url_rule else request.path[:200],
        "endpoint": request.endpoint, "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "bytes": response.calculate_content_length(), "remote_addr": request.remote_addr,
        "user_id": _user_id(),
    }
    requests_log.info("%s %s %s %sms", fields["method"], fields["route"], fields["status"], fields["duration_ms"],
                      extra=fields)
    return response


def _user_id() -> str | None:
    """The signed-in user's id if this request loaded one (never a query of its own, e.g. for static files)."""
    user = g.get("_login_user")  # where Flask-Login keeps the user it loaded for this request
    return user.get_id() if user is not None and user.is_authenticated else None


def init_sentry(app: Flask) -> bool:
    """Start the Sentry SDK when ``SENTRY_DSN`` is set; return whether it was started."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(dsn=dsn, environment=app.config.get("SENTRY_ENVIRONMENT") or app.config["ENV_NAME"],
                    integrations=[FlaskIntegration(), LoggingIntegration(event_level=logging.ERROR)],
                    traces_sample_rate=0.0)  # personal data is off by default: no cookies, bodies or addresses
    return True


def init_app(app: Flask) -> None:
    """Logging, the request log and the request id, and error reporting."""
    configure_logging(app)
    app.before_request(_start)
    app.after_request(_finish)
    init_sentry(app)
