"""Matchmaker: buyer-supplier matchmaking for Korean smart-factory SMEs."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from .config import load_settings, resolve_secret_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app; ``config`` overrides settings read from the environment."""
    settings = load_settings(overrides=config)
    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"],
                template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"))
    app.config.from_mapping(settings)
    # Owner-only: the instance folder holds the SQLite database, the secret key and the search index, and
    # every file this process creates (those, backups, exports) is the owner's alone wherever it is written.
    os.umask(0o077)
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    app.config["SECRET_KEY"] = resolve_secret_key(app.config)
    register_logging(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_warmup(app)
    register_proxies(app)
    return app


def register_logging(app: Flask) -> None:
    """Structured logs, the request log and id, and Sentry when a DSN is set."""
    from .observability import init_app

    init_app(app)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions of :mod:`matchmaker.extensions` to ``app``."""
    from . import models  # noqa: F401  (tables must be known before Alembic looks)
    from . import search_sync
    from . import i18n, notify, security
    from .auth import access, loader, throttle
    from .extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    login_manager.init_app(app)
    loader.init_app(login_manager)
    access.init_app(app)
    throttle.init_app(app)
    search_sync.init_app(app)
    i18n.init_app(app)
    notify.init_app(app)
    security.init_app(app)


def register_url_converters(app: Flask) -> None:
    """Bounded ids in URLs (before any route is added)."""
    from .routing import init_app

    init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount the web pages."""
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .catalog.views import bp as catalog_bp
    from .curation.views import bp as work_bp
    from .dashboard.views import bp as dashboard_bp
    from .health import bp as health_bp
    from .notify.views import bp as notify_bp
    from .rfq.views import bp as rfq_bp

    app.register_blueprint(catalog_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(rfq_bp, url_prefix="/requests")
    app.register_blueprint(work_bp, url_prefix="/work")
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(notify_bp, url_prefix="/notifications")
    app.register_blueprint(health_bp)


def register_errorhandlers(app: Flask) -> None:
    """Render HTTP errors as pages in the site's layout."""
    from .errors import init_app

    init_app(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals the templates use."""
    from .templating import init_app

    init_app(app)


def register_warmup(app: Flask) -> None:
    """Load the search models in the background when serving (``MATCHMAKER_WARM_UP``)."""
    from .warmup import init_app

    init_app(app)


def register_proxies(app: Flask) -> None:
    """Trust the X-Forwarded-* headers of ``TRUSTED_PROXIES`` reverse proxies (client address, https, host)."""
    count = app.config.get("TRUSTED_PROXIES", 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_commands(app: Flask) -> None:
    """Add the ``matchmaker`` CLI commands (``db`` comes from Flask-Migrate)."""
    from .cli import init_app

    init_app(app)
