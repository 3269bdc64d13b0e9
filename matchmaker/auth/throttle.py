"""Throttling with Flask-Limiter: sign-in per client address, account e-mail per address and per recipient.

The limits are read from the config at each request (``RATELIMIT_*``, see
:mod:`matchmaker.config`), so an app can tune or switch them off. Only POSTs
count: reading a form costs nothing. Past a limit Flask-Limiter raises a 429,
which :mod:`matchmaker.errors` shows as the site's error page. Guessing one
account's password from many addresses is stopped by the lockout
(:mod:`.lockout`), not here.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from limits.errors import ConfigurationError

from ..config import ConfigError
from ..extensions import limiter
from ..models import User


def _configured(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def recipient() -> str:
    """The e-mail address typed in the form, as accounts store it ("" when none)."""
    return User.normalize_email(request.form.get("email", ""))[:254]


# Each view decorated with one of these gets the limit; the account-mail forms share their budgets.
sign_in = limiter.limit(_configured("RATELIMIT_SIGN_IN"), methods=["POST"])
account_mail = limiter.shared_limit(_configured("RATELIMIT_ACCOUNT_MAIL"), scope="account-mail", methods=["POST"])
mail_recipient = limiter.shared_limit(_configured("RATELIMIT_MAIL_RECIPIENT"), scope="mail-recipient",
                                      key_func=recipient, exempt_when=lambda: not recipient(), methods=["POST"])


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app`` (off when ``RATELIMIT_ENABLED`` is false)."""
    try:
        limiter.init_app(app)
    except ConfigurationError as exc:  # an unknown scheme, or redis:// without the redis package
        raise ConfigError(f"MATCHMAKER_RATELIMIT_STORAGE_URI {app.config['RATELIMIT_STORAGE_URI']!r}: {exc}") from exc
