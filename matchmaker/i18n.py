"""The interface language: English or Korean, chosen by the visitor and remembered.

Catalogs live in ``matchmaker/translations`` as ``.po`` files; the build
(``make``) compiles them to ``.mo``. The choice is kept in a cookie for
everyone and on the account for signed-in users (so e-mails follow it too);
before any choice, the browser's ``Accept-Language`` decides.
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, has_request_context, redirect, request
from flask_babel import get_locale, lazy_gettext as _l, refresh
from flask_login import current_user

from .auth.access import public
from .domain import INDUSTRIES, UNITS
from .extensions import babel, db

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)

# Words for the states and steps people see (the codes stay English in data and exports).
REQUEST_STATUS_LABELS = {
    "new": _l("Posted"), "in_review": _l("In review"), "shortlisted": _l("Shortlist published"),
    "closed": _l("Closed"), "withdrawn": _l("Withdrawn"),
}
REQUEST_EVENT_LABELS = {
    "posted": _l("Posted"), "edited": _l("Edited"), "in_review": _l("In review by our sales team"),
    "shortlist_published": _l("Shortlist published"), "introduction_requested": _l("Introduction requested"),
    "introduced": _l("Introduced"), "closed": _l("Closed"), "withdrawn": _l("Withdrawn"),
}
MATCH_STATUS_LABELS = {
    "suggested": _l("Candidate"), "shortlisted": _l("Proposed"), "rejected": _l("Rejected"),
    "introduced": _l("Introduced"), "meeting": _l("Meeting"), "sample": _l("Sample"),
    "negotiating": _l("Negotiating"), "won": _l("Won"), "lost": _l("Lost"),
}
REJECT_REASON_LABELS = {
    "wrong_product": _l("Wrong product"), "missing_certification": _l("Missing certification"),
    "capacity_moq": _l("Capacity or MOQ"), "lead_time": _l("Lead time"), "other": _l("Other"),
}
LOST_REASON_LABELS = {
    "price": _l("Price"), "quality": _l("Quality or sample failed"), "capacity": _l("Capacity"),
    "lead_time": _l("Lead time"), "buyer_cancelled": _l("Buyer cancelled the project"),
    "competitor": _l("Buyer chose another supplier"), "no_response": _l("No response"), "other": _l("Other"),
}
INTRODUCTION_STATUS_LABELS = {"requested": _l("Requested"), "introduced": _l("Introduced"),
                              "declined": _l("Declined")}
ROLE_LABELS = {"buyer": _l("Buyer"), "specialist": _l("Specialist"), "admin": _l("Admin")}
# Each vocabulary by name: ``label(kind, code)`` in Python, the ``kind`` filter in templates.
LABELS = {"request_status": REQUEST_STATUS_LABELS, "request_event": REQUEST_EVENT_LABELS,
          "match_status": MATCH_STATUS_LABELS, "reject_reason": REJECT_REASON_LABELS,
          "lost_reason": LOST_REASON_LABELS, "introduction_status": INTRODUCTION_STATUS_LABELS,
          "role_label": ROLE_LABELS}


def select_locale() -> str:
    """The language of this request: the account's, the cookie's, then the browser's (English outside a request)."""
    if not has_request_context():  # the CLI: lazy messages are printed in the default language
        return DEFAULT_LANGUAGE
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in LANGUAGES:
        return user_locale
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The code of the interface language in use (``en`` outside a request)."""
    try:
        return str(get_locale() or DEFAULT_LANGUAGE)[:2]
    except (RuntimeError, AttributeError):
        return DEFAULT_LANGUAGE


def _in_language(labels: dict[str, tuple[str, str]], code: str | None) -> str:
    # The domain's tables hold (English, Korean) labels; unknown codes are shown as written.
    pair = labels.get(code or "")
    if pair is None:
        return code or ""
    return pair[1] if current_language() == "ko" else pair[0]


def industry_label(code: str | None) -> str:
    """An industry code's label in the interface language (the code itself if unknown)."""
    return _in_language(INDUSTRIES, code)


def unit_label(code: str | None) -> str:
    """A unit code's label in the interface language (as written if unknown)."""
    return _in_language(UNITS, code)


def label(kind: str, code: str | None) -> str:
    """A code of vocabulary ``kind`` (see ``LABELS``) by its label in the interface language; unknown: as written."""
    return str(LABELS[kind].get(code or "", code or ""))


def label_of(labels: dict):
    """A template filter that shows a code by its label (the code itself if unknown)."""
    def show(code: str | None) -> str:
        return str(labels.get(code or "", code or ""))
    return show


@bp.route("/language/<code>")
@public
def switch(code: str):
    """Switch the interface language and go back where the visitor was (a link: works without JS)."""
    from .auth.views import safe_next

    if code not in LANGUAGES:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return response


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and offer the language switch to templates."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel caches the locale on ``g``, which lives as long as the app context: start each request fresh
    # (an app context shared by several requests, as in a CLI or test, must not keep the first one's language).
    app.before_request(refresh)
    app.register_blueprint(bp)
    app.add_template_global(current_language)
    app.add_template_global(LANGUAGES, "languages")
    app.add_template_filter(unit_label)  # industry_label is bound with the other display filters (templating)
    for kind, labels in LABELS.items():
        app.add_template_filter(label_of(labels), kind)
