"""``GET /api/search``: the catalog's ranking as JSON, with clear 400s, and plain SQL matches when the index is down."""
import pytest

from matchmaker.dataio.limits import QUERY_CHARS
from matchmaker.search_service import get_search


@pytest.fixture
def indexed(runner, make_supplier):
    make_supplier(external_id="VAL", name="밸브정밀", name_en="Valve Precision", description="Stainless ball valves")
    make_supplier(external_id="GEA", name="기어산업", name_en="Gear Industry", description="Helical gears",
                  industry="auto-parts")
    assert runner.invoke(args=["reindex"]).exit_code == 0


def test_results_with_reasons_and_paging(client, indexed):
    body = client.get("/api/search?q=ball+valves&per_page=1").get_json()
    assert body["query"] == "ball valves" and body["mode"] == "hybrid" and body["page"] == 1
    first = body["results"][0]
    assert first["external_id"] == "VAL" and first["name"] == "Valve Precision" and first["name_ko"] == "밸브정밀"
    assert first["url"].startswith("http://localhost/suppliers/")
    assert first["reason"] and first["explanation"] and first["rank"] == 1 and len(body["results"]) == 1


def test_filters_apply_before_ranking(client, indexed):
    body = client.get("/api/search?q=gears&mode=lexical&industry=auto-parts").get_json()
    assert [r["external_id"] for r in body["results"]] == ["GEA"]
    nothing = client.get("/api/search?q=gears&mode=lexical&industry=machinery").get_json()
    assert nothing["results"] == [] and nothing["fits_nothing"] is True


@pytest.mark.parametrize("query, message", [
    ("", "q is required"), ("?q=x&mode=fuzzy", "mode must be one of"), ("?q=x&page=0", "page must be"),
    ("?q=x&page=99999", "page must be"), ("?q=x&per_page=500", "per_page must be")])
def test_bad_arguments_are_400_with_a_reason(client, indexed, query, message):
    response = client.get("/api/search" + query)
    assert response.status_code == 400 and message in response.get_json()["error"]


def test_an_unavailable_index_answers_from_sql_with_a_note(app, client, make_supplier):
    make_supplier(name="세진식품", name_en="Sejin Foods", description="Traditional kimchi")
    response = client.get("/api/search?q=kimchi")  # never built
    body = response.get_json()
    assert response.status_code == 200 and body["fallback"] is True and "unavailable" in body["note"]
    assert [r["name"] for r in body["results"]] == ["Sejin Foods"] and body["mode"] == "sql"
    with app.app_context():
        assert get_search().backend.live_version() is None


def test_a_long_query_is_cut_to_the_limit_and_loses_nul_characters(client, indexed):
    query = {"q": "ball\x00 valves " + "x" * 10_000, "mode": "lexical"}
    body = client.get("/api/search", query_string=query).get_json()
    assert body["query"].startswith("ball valves ") and len(body["query"]) == QUERY_CHARS
    assert body["results"][0]["external_id"] == "VAL"
