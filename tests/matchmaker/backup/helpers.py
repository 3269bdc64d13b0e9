"""What the backup tests share: a small catalog, fresh instances, and what a search or an export returns."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from matchmaker.extensions import db
from matchmaker.models import Product, Supplier
from matchmaker.search_service import EXTENSION
from tests.conftest import make_app
from tests.matchmaker.test_search import BRAKES, add_catalog  # noqa: F401  (the same catalog)

# (arguments to `matchmaker search`): English, Korean, a filter, lexical alone, vectors alone.
QUERIES = [("brake pads",), ("자동차 와이어 하네스",), ("CNC machining", "--filter", "industry=machinery"),
           ("kimchi", "--mode", "lexical"), ("valve bodies", "--mode", "vector", "-k", "5")]


def source_instance(tmp_path: Path):
    """An app whose instance holds the catalog and its index, built without the function-scoped fixtures
    (for module-scoped archives: a catalog and its index cost a second per test)."""
    app = make_app(tmp_path, "sqlite")
    numbers = iter(range(1, 100))

    def make_supplier(**fields) -> Supplier:
        products = fields.pop("products", [{"name": "CNC parts", "hs_code": "8487.90", "moq": 100}])
        number = next(numbers)
        supplier = Supplier(**{"external_id": f"M-{number:03d}", "industry": "machinery", **fields})
        supplier.products = [Product(position=i, **p) for i, p in enumerate(products)]
        db.session.add(supplier)
        db.session.commit()
        return supplier
    with app.app_context():
        db.create_all()
        add_catalog(make_supplier)
        assert app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    return app


def invoke(app, *args):
    """Run ``matchmaker ARGS`` against ``app``, inside its own app context."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def search(app, *args) -> list[tuple[str, float]]:
    """``matchmaker search ARGS --json`` as (external id, score) pairs, best first."""
    result = invoke(app, "search", *args, "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    return [(row["external_id"], round(row["score"], 6)) for row in rows]


def answers(app) -> dict:
    """Every query of ``QUERIES`` with its results."""
    return {query: search(app, *query) for query in QUERIES}


def exported(app) -> str:
    """Every supplier as ``matchmaker export`` writes them: the database's content, compared as text."""
    result = invoke(app, "export", "suppliers", "-")
    assert result.exit_code == 0, result.output
    return result.stdout


def fresh_app(tmp_path: Path, name: str = "fresh", **config):
    """An app on a new instance folder and SQLite file, neither created yet (as on a new server)."""
    return make_app(tmp_path / name, "sqlite", **config)


def let_go(app) -> None:
    """Close what an app holds open (database connections, index versions)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        service = app.extensions.pop(EXTENSION, None)
        if service is not None:
            service.backend.close()


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes: to show that nothing changed.

    Lock files and SQLite's side files change when a process merely opens a database; they are left out.
    """
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.endswith((".lock", "-wal", "-shm"))}
