"""Access rules: every view declares who may call it, and undeclared views are refused.

Views are marked with :func:`public` or :func:`roles_required`; one
``before_request`` hook enforces the mark, so a view someone forgot to mark
fails closed (403) instead of open.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, request
from flask_login import current_user

from ..domain import ROLES
from .loader import end_refused_session

View = TypeVar("View", bound=Callable)
PUBLIC = "public"


def public(view: View) -> View:
    """Mark a view as open to everyone, signed in or not."""
    view.access_rule = PUBLIC
    return view


def roles_required(*roles: str) -> Callable[[View], View]:
    """Mark a view as open to signed-in users with one of ``roles`` (all roles if none given)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    allowed = frozenset(roles or ROLES)

    def mark(view: View) -> View:
        view.access_rule = allowed
        return view
    return mark


def access_rule(app: Flask, endpoint: str):
    """The rule declared for ``endpoint``: ``PUBLIC``, a set of roles, or None when undeclared."""
    if endpoint == "static":
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def enforce_access():
    """``before_request`` hook: sign-in for role views, 403 for wrong roles or undeclared views."""
    if request.endpoint is None:  # no such route: let Flask answer 404/405
        return None
    rule = access_rule(current_app, request.endpoint)
    if rule == PUBLIC:
        return None
    if rule is None:
        current_app.logger.error("view %s declares no access rule; refusing", request.endpoint)
        abort(403)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role not in rule:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    """Install the access check on every request, after signing out sessions of deactivated accounts."""
    app.before_request(end_refused_session)
    app.before_request(enforce_access)
