"""The e-mails about an account: confirm the address, one exists already, reset the password, no account.

Written in the recipient's language (their account's, else the language of
the page that asked), from ``templates/mail/account_<kind>.txt``. Links start
with ``BASE_URL``, never the request's Host header, which whoever sends the
form controls. A mail that cannot be sent is logged, never shown: the page
answers the same whatever happens to the e-mail.
"""
from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale, lazy_gettext as _l
from flask_mailman import EmailMessage

from ..i18n import LANGUAGES, current_language
from ..models import User

SUBJECTS = {
    "confirm": _l("Confirm your email address for Matchmaker"),
    "exists": _l("Someone tried to register with your email address"),
    "reset": _l("Reset your Matchmaker password"),
    "unknown": _l("There is no Matchmaker account for this email address"),
}


def link(endpoint: str, **values) -> str:
    """An absolute link to ``endpoint`` on the configured site."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def send(kind: str, email: str, user: User | None = None, **context) -> bool:
    """E-mail ``kind`` (a key of ``SUBJECTS``) to ``email``; False if it could not be sent (logged)."""
    language = user.locale if user is not None and user.locale in LANGUAGES else current_language()
    with force_locale(language):
        subject = str(SUBJECTS[kind])
        body = render_template(f"mail/account_{kind}.txt", user=user, email=email, link=link, **context)
    try:
        EmailMessage(subject=subject, body=body, to=[email]).send()
    except Exception:  # noqa: BLE001 - SMTP errors are many; the page must not tell what happened
        current_app.logger.exception("could not send the %s e-mail", kind)
        return False
    backend = current_app.config.get("MAIL_BACKEND")
    if backend == "file":
        current_app.logger.info("development: the %s e-mail to %s is in %s", kind, email,
                                current_app.config["MAIL_FILE_PATH"])
    elif backend == "dummy":
        current_app.logger.warning("e-mail is off (set MATCHMAKER_MAIL_SERVER): the %s e-mail was not sent", kind)
    return True


def development_mail_folder() -> str | None:
    """Where e-mail goes instead of out, when it is written to files (development without a mail server)."""
    if current_app.config.get("MAIL_BACKEND") == "file":
        return current_app.config["MAIL_FILE_PATH"]
    return None
