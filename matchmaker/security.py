"""Security headers on every response, by Flask-Talisman.

A Content-Security-Policy without ``'unsafe-inline'``: pages load scripts,
styles and images from this site only, and the one inline style the site
has (the ``<style>`` inside a server-drawn chart) carries the response's
nonce. Frames are refused (``frame-ancestors 'none'`` and ``X-Frame-Options:
DENY``), the referrer leaves only the origin, ``X-Content-Type-Options:
nosniff`` is set, and production sends HSTS on HTTPS requests. HTTPS itself
is the reverse proxy's job (README, "Production"): redirecting here would
also redirect the health checks that reach the app over loopback.
"""
from __future__ import annotations

from flask import Flask, request

from .extensions import talisman

POLICY = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HSTS_SECONDS = 365 * 24 * 3600


def nonce() -> str:
    """This response's CSP nonce, for an inline ``<style>`` the site writes itself ("" outside a request)."""
    return getattr(request, "csp_nonce", "") if request else ""


def init_app(app: Flask) -> None:
    """Send the headers on every response; HSTS in production only."""
    talisman.init_app(
        app, force_https=False, strict_transport_security=app.config["ENV_NAME"] == "production",
        strict_transport_security_max_age=HSTS_SECONDS, content_security_policy=POLICY,
        content_security_policy_nonce_in=["style-src"], frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"], session_cookie_http_only=True)
