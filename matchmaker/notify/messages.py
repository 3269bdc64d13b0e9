"""What each kind of notification says, in the reader's language (texts are looked up when shown)."""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext as _l

# kind: (subject, body). Params: title (request), supplier (name), buyer (name or e-mail), count.
MESSAGES = {
    "request_posted": (_l("New sourcing request: %(title)s"),
                       _l("%(buyer)s posted a sourcing request, “%(title)s”. Review its suggested suppliers.")),
    "introduction_requested": (_l("Introduction requested: %(supplier)s"),
                               _l("%(buyer)s asks to be introduced to %(supplier)s for “%(title)s”.")),
    "shortlist_published": (_l("Your shortlist is ready: %(title)s"),
                            _l("Our sales team has published a shortlist of %(count)s supplier(s) for “%(title)s”.")),
    "introduction_made": (_l("You have been introduced to %(supplier)s"),
                          _l("Our sales team has introduced you to %(supplier)s for “%(title)s”. "
                             "They will contact you, or you can write to them with the details we sent.")),
}
KINDS = tuple(MESSAGES)


def _fill(text, params: dict) -> str:
    # A missing or odd parameter must not break the page that lists notifications.
    template = str(text)
    try:
        return template % {"title": "", "supplier": "", "buyer": "", "count": 0, **params}
    except (KeyError, TypeError, ValueError):
        return template


def subject(kind: str, params: dict) -> str:
    """The one-line subject of a notification, in the current language."""
    if kind not in MESSAGES:
        return gettext("Notification")
    return _fill(MESSAGES[kind][0], params)


def body(kind: str, params: dict) -> str:
    """The sentence that says what happened, in the current language."""
    if kind not in MESSAGES:
        return ""
    return _fill(MESSAGES[kind][1], params)
