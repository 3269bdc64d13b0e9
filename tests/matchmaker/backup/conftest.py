"""Backup tests run on SQLite: the commands cover the embedded setup only (PostgreSQL has pg_dump)."""
import pytest

from .helpers import add_catalog, let_go


@pytest.fixture
def database() -> str:
    """SQLite only, whatever MATCHMAKER_TEST_DATABASE_URL says."""
    return "sqlite"


@pytest.fixture
def catalog(app, runner, make_supplier) -> dict:
    """Fifteen suppliers and a built index in the test's app."""
    rows = add_catalog(make_supplier)
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    return rows


@pytest.fixture
def fresh(tmp_path):
    """Factory: apps on new, empty instances (closed after the test)."""
    from .helpers import fresh_app

    made = []

    def make(name: str = "fresh", **config):
        made.append(fresh_app(tmp_path, name, **config))
        return made[-1]
    yield make
    for app in made:
        let_go(app)
