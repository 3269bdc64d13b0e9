"""Serving starts loading the models at once; /health says when search is ready; searches never wait meanwhile."""
import pytest
import time

from matchmaker.warmup import Warmup, status, warm_up
from tests.conftest import make_app


def test_health_before_the_index_exists_is_degraded(client):
    response = client.get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded" and body["search"]["status"] == "empty"
    assert body["models"]["state"] == "idle"


def test_health_is_ready_once_the_index_is_built_and_models_loaded(client, runner, make_supplier):
    make_supplier()
    assert runner.invoke(args=["reindex"]).exit_code == 0  # the build loads the models in this process
    response = client.get("/health")  # no sign-in: load balancers and make run ask it
    assert response.status_code == 200 and response.get_json()["status"] == "ready"
    assert response.get_json()["models"]["not_loaded"] == []


@pytest.mark.real_models
def test_health_says_cold_while_no_model_is_loaded(app, client, runner, make_supplier, monkeypatch):
    from matchmaker.search_service import get_search
    make_supplier()
    assert runner.invoke(args=["reindex"]).exit_code == 0
    with app.app_context():
        encoder = get_search().encoders["usem3"]
    monkeypatch.setattr(type(encoder), "loaded", property(lambda self: False))
    body = client.get("/health").get_json()
    assert body["status"] == "cold" and "usem3" in body["models"]["not_loaded"]


@pytest.mark.real_models
def test_warm_up_loads_every_encoder_and_reports_it(app, make_supplier, runner):
    make_supplier()
    assert runner.invoke(args=["reindex"]).exit_code == 0
    found = warm_up(app)
    assert found.state == "ready" and found.loaded == ["minilm", "usem3", "e5"] and found.seconds is not None
    assert app.test_client().get("/health").get_json()["models"]["state"] == "ready"


def test_a_server_app_warms_up_in_the_background(tmp_path, database):
    from matchmaker.extensions import db as _db
    from tests.conftest import reset_database
    app = make_app(tmp_path, database, WARM_UP=True)
    try:
        assert status(app).state in ("loading", "ready", "failed")
        deadline = time.monotonic() + 120
        while status(app).state == "loading" and time.monotonic() < deadline:
            time.sleep(0.2)
        # No index yet: the models loaded, and opening the index said "empty" without failing the warm-up.
        assert status(app).state == "ready", status(app).error
    finally:
        with app.app_context():
            _db.session.remove()
            reset_database()


def test_while_models_load_a_search_answers_from_the_words(app, client, auth, users, make_supplier, runner):
    make_supplier(name_en="Brake Maker", description="brake pads and brake discs")
    assert runner.invoke(args=["reindex"]).exit_code == 0
    app.extensions["matchmaker.warmup"] = Warmup(state="loading")
    auth.login("buyer@example.com")
    html = client.get("/?q=brake+pads").get_data(as_text=True)
    assert "Search by meaning is still starting up" in html and "Brake Maker" in html
    assert client.get("/health").get_json()["status"] == "starting"


def test_health_reports_the_outbox_length_and_age(app, client):
    from datetime import timedelta

    from matchmaker.extensions import db
    from matchmaker.models import SearchOutboxEntry
    from matchmaker.models._columns import utcnow
    assert client.get("/health").get_json()["outbox"] == {"queued": 0, "suppliers": 0, "failing": 0,
                                                          "oldest_seconds": None}
    with app.app_context():
        db.session.add_all([
            SearchOutboxEntry(supplier_external_id="A", operation="upsert", created_at=utcnow() - timedelta(minutes=5)),
            SearchOutboxEntry(supplier_external_id="A", operation="delete"),
            SearchOutboxEntry(supplier_external_id="B", operation="upsert", attempts=1, last_error="down")])
        db.session.commit()
    outbox = client.get("/health").get_json()["outbox"]
    assert outbox["queued"] == 3 and outbox["suppliers"] == 2 and outbox["failing"] == 1
    assert 299 <= outbox["oldest_seconds"] < 360
