"""flask-login wiring: how a session's user id becomes a User."""
from flask import current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager, current_user, logout_user
from flask_login.config import COOKIE_NAME

from ..extensions import db
from ..models import User


def load_user(user_id: str) -> User | None:
    """Return the active user with this id, or None (which signs the session out).

    flask-login calls this on every request, for the session and for a remember-me cookie alike,
    but checks ``is_active`` only at sign-in: refusing inactive users here is what shuts a
    deactivated account out at its very next request.
    """
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    return user if user is not None and user.active else None


def end_refused_session() -> None:
    """``before_request``: sign out for good a session or remember-me cookie that :func:`load_user` refused.

    Otherwise the browser would keep the login, and reactivating the account would silently revive it.
    """
    remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    if ("_user_id" in session or remember_cookie in request.cookies) and not current_user.is_authenticated:
        logout_user()  # also clears the remember-me cookie


class Visitor(AnonymousUserMixin):
    """Someone not signed in: may browse the public catalog, sees nothing private."""

    role = None
    is_staff = False


def init_app(login_manager: LoginManager) -> None:
    """Point flask-login at our loader and sign-in page."""
    login_manager.user_loader(load_user)
    login_manager.anonymous_user = Visitor
    login_manager.login_view = "auth.login"
    # Translated when flashed, in the language of the request that needed a sign-in.
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    # Re-check the session's fingerprint so a stolen session cookie is less useful.
    login_manager.session_protection = "strong"
