"""Flask extensions, created unbound and bound to an app in ``create_app``."""
import sqlite3
from pathlib import Path

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
mail = Mail()
talisman = Talisman()
# Per client address (the proxy's X-Forwarded-For once TRUSTED_PROXIES is set); storage and limits come from
# the config (matchmaker.auth.throttle). A storage that is down must not stop sign-in, and the per-account
# lockout, counted in the database, still holds: each worker counts in memory until it is back, never a 500.
limiter = Limiter(key_func=get_remote_address, strategy="fixed-window", headers_enabled=True,
                  key_prefix="matchmaker", swallow_errors=True, in_memory_fallback_enabled=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite leaves foreign keys (and so ON DELETE CASCADE) off unless asked, per connection.

    WAL lets the reindex stream suppliers while the embedding cache and web
    requests write: in SQLite's default journal mode an open reader blocks every commit.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
