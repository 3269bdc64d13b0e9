"""flask-login wiring: how a session's user id becomes a User."""
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager

from ..extensions import db
from ..models import User


def load_user(user_id: str) -> User | None:
    """Return the active user with this id, or None (which signs the session out)."""
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None


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
