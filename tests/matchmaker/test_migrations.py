"""Alembic migrations create the models' schema from an empty database, and go back down."""
import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from matchmaker.extensions import db as _db
from tests.conftest import reset_database

TABLES = {"suppliers", "products", "buyer_requests", "matches", "users", "audit_events", "embedding_cache",
          "search_outbox", "request_events", "saved_suppliers", "introductions", "notifications", "match_steps",
          "ranking_profiles", "ranking_activations", "sign_in_failures"}


def test_upgrade_from_empty_database_matches_the_models(app):
    with app.app_context():
        reset_database()
        assert set(inspect(_db.engine).get_table_names()) == set()
        upgrade()
        assert set(inspect(_db.engine).get_table_names()) == TABLES | {"alembic_version"}
        with _db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), _db.metadata)
        assert diff == [], f"models and migrations differ; run 'matchmaker db migrate': {diff}"


def test_downgrade_to_base_and_up_again(app):
    with app.app_context():
        reset_database()
        upgrade()
        downgrade(revision="base")
        assert set(inspect(_db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert TABLES <= set(inspect(_db.engine).get_table_names())


def test_cli_db_upgrade_creates_the_database(app, runner):
    with app.app_context():
        reset_database()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert TABLES <= set(inspect(_db.engine).get_table_names())
    # A second run is a no-op, not an error.
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0


def test_0003_gives_existing_profiles_canonical_certification_ids(app):
    with app.app_context():
        reset_database()
        upgrade(revision="0002")
        with _db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO suppliers (external_id, name, description, industry, capabilities, certifications, "
                "export_markets, languages, created_at, updated_at) VALUES ('S1', 'n', 'd', 'food', '[]', "
                "'[\"해썹\", \"ISO9001:2015\", \"FSSC 22000 (예정)\"]', '[]', '[]', '2026-01-01', '2026-01-01')"))
        upgrade()
        with _db.engine.connect() as connection:
            ids = connection.execute(text("SELECT certification_ids FROM suppliers")).scalar()
        assert (ids if isinstance(ids, list) else json.loads(ids)) == ["HACCP", "ISO 9001"]


def test_0004_opens_the_timeline_of_existing_requests(app):
    with app.app_context():
        reset_database()
        upgrade(revision="0003")
        with _db.engine.begin() as connection:
            for external_id, status in (("R1", "open"), ("R2", "closed")):
                connection.execute(text(
                    "INSERT INTO buyer_requests (external_id, title, description, required_certifications, status, "
                    f"created_at, updated_at) VALUES ('{external_id}', 't', 'd', '[]', '{status}', '2026-01-01', "
                    "'2026-01-01')"))
        upgrade()
        with _db.engine.connect() as connection:
            rows = connection.execute(text("SELECT external_id, status, version FROM buyer_requests "
                                           "ORDER BY external_id")).all()
            kinds = connection.execute(text("SELECT kind FROM request_events ORDER BY request_id")).scalars().all()
        assert [tuple(row) for row in rows] == [("R1", "new", 1), ("R2", "closed", 1)]
        assert kinds == ["posted", "posted"]


def test_0008_counts_existing_accounts_as_confirmed(app):
    with app.app_context():
        reset_database()
        upgrade(revision="0007")
        with _db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (email, password_hash, role, active, created_at) "
                "VALUES ('old@example.com', 'x', 'buyer', TRUE, '2026-01-02 03:04:05')"))
        upgrade()
        with _db.engine.connect() as connection:
            confirmed = connection.execute(text("SELECT confirmed_at FROM users")).scalar()
        assert str(confirmed).startswith("2026-01-02 03:04:05")
