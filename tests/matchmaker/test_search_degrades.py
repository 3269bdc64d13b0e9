"""Search degrades, never fails: with the index broken every search page answers from SQL with a notice.

Each case breaks a built index the way it breaks in production (the live
version's folder gone, the whole index folder gone, a corrupt index file, an
unreachable cluster) and walks the pages and the API that search.
"""
import shutil
from pathlib import Path

import pytest

from matchmaker.search_service import INDEX_FOLDER, get_search

from .test_search import catalog, indexed  # noqa: F401  (fixtures)


def live_folder(app) -> Path:
    """The live version's folder, with the backend closed: the next search opens the files afresh,
    as a restarted worker would (an open version keeps reading files unlinked under it)."""
    with app.app_context():
        backend = get_search().backend
        backend.close()
        return backend.root / "versions" / backend.live_version()


def remove_live_version(app):
    shutil.rmtree(live_folder(app))


def remove_index_folder(app):
    live_folder(app)
    shutil.rmtree(Path(app.instance_path) / INDEX_FOLDER)


def corrupt_index_file(app):
    folder = live_folder(app)
    for path in folder.iterdir():
        if path.name.startswith("index.sqlite3"):
            path.write_bytes(b"\0not a database\0" * 512)


BREAKAGES = [remove_live_version, remove_index_folder, corrupt_index_file]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__)
def test_catalog_api_and_workspace_answer_from_sql(app, client, auth, users, indexed,  # noqa: F811
                                                   make_request, breakage):
    request_id = make_request(title="Brake pads").id
    breakage(app)
    auth.login("specialist@example.com")
    for mode in ("hybrid", "lexical", "use"):
        page = client.get(f"/?q=brake&mode={mode}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "Search is unavailable right now" in html and "Daesung Brake" in html
    api = client.get("/api/search?q=kimchi")
    assert api.status_code == 200
    body = api.get_json()
    assert body["fallback"] is True and "unavailable" in body["note"]
    assert [r["name"] for r in body["results"]] == ["Sejin Foods"] and body["results"][0]["score"] is None
    work = client.get(f"/work/requests/{request_id}?q=kimchi").get_data(as_text=True)
    assert "plain text matches" in work and "Sejin Foods" in work


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__)
def test_readiness_and_the_admin_page_report_it(app, client, auth, users, indexed, breakage):  # noqa: F811
    client.get("/?q=brake")  # loads the models, and answers from the index
    assert client.get("/health").get_json()["search"]["fallbacks"] == 0
    breakage(app)
    client.get("/?q=brake")
    health = client.get("/health")
    assert health.status_code == 503
    body = health.get_json()
    # Without the index folder there is no live version at all: "empty", as before the first build.
    assert body["status"] == "degraded" and body["search"]["status"] in ("unavailable", "empty")
    assert body["search"]["fallbacks"] == 1 and body["search"]["last_fallback_seconds"] >= 0
    auth.login("admin@example.com")
    admin = client.get("/admin/search").get_data(as_text=True)
    assert 'data-testid="index-status">Unavailable' in admin
    if body["search"]["status"] == "unavailable":
        assert 'data-testid="index-error"' in admin and "matchmaker check-index" in admin
    assert "1 search(es) since this server started" in admin


def test_a_healthy_index_shows_no_fallback(client, auth, users, indexed):  # noqa: F811
    client.get("/?q=brake")
    auth.login("admin@example.com")
    admin = client.get("/admin/search").get_data(as_text=True)
    assert "index-error" not in admin and "none: every search used the index" in admin


def test_an_unreachable_cluster_answers_from_sql(app, tmp_path, database, make_supplier):
    from tests.conftest import make_app
    from .test_search import KIMCHI

    make_supplier(**KIMCHI)
    cluster = make_app(tmp_path / "es", database, SEARCH_BACKEND="elasticsearch",
                       SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],  # the same database
                       ELASTICSEARCH_URL="http://127.0.0.1:9")  # nothing listens on port 9
    client = cluster.test_client()
    page = client.get("/?q=kimchi&mode=lexical")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Search is unavailable right now" in html and "Sejin Foods" in html
    body = client.get("/api/search?q=kimchi&mode=lexical").get_json()
    assert body["fallback"] is True and body["results"][0]["name"] == "Sejin Foods"
