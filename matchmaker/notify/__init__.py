"""In-app and e-mail notifications."""
from flask import Flask

from .service import deliver, mark_read, notify, staff_recipients, unread_count

__all__ = ["deliver", "init_app", "mark_read", "notify", "staff_recipients", "unread_count"]


def init_app(app: Flask) -> None:
    """Bind the mail extension and put the unread count in every page's context."""
    from flask_login import current_user

    from ..extensions import mail

    mail.init_app(app)

    @app.context_processor
    def _badge():
        def unread() -> int:
            return unread_count(current_user) if current_user.is_authenticated else 0
        return {"unread_notifications": unread}
