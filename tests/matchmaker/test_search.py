"""Search in the app: ``matchmaker reindex``, ``matchmaker search`` and the catalog's search box."""
import json

import pytest

BRAKES = {"name": "대성브레이크", "name_en": "Daesung Brake", "industry": "auto-parts",
          "description": "Brake pads and brake discs for passenger cars; IATF 16949 certified.",
          "certifications": ["IATF 16949"], "smart_factory_level": 4,
          "products": [{"name": "brake pads", "hs_code": "8708.30", "moq": 500}]}
HARNESS_KO = {"name": "한울전장", "name_en": None, "industry": "auto-parts",
              "description": "자동차 와이어 하네스를 생산하는 전장 부품 기업으로 전선 절단, 압착, 하네스 조립 공정을 보유하고 있습니다.",
              "certifications": ["ISO 9001"], "smart_factory_level": 2,
              "products": [{"name": "자동차 와이어 하네스", "hs_code": "8544.30", "moq": 1000}]}
KIMCHI = {"name": "세진식품", "name_en": "Sejin Foods", "industry": "food",
          "description": "Traditional kimchi and fermented sauces, HACCP certified.", "certifications": ["HACCP"],
          "smart_factory_level": 3, "products": [{"name": "kimchi", "hs_code": "2005.99", "moq": 1000}]}


def add_catalog(make_supplier) -> dict:
    """Fifteen suppliers in three industries and two languages (the backup tests load it too)."""
    rows = {"brakes": make_supplier(**BRAKES), "harness": make_supplier(**HARNESS_KO),
            "kimchi": make_supplier(**KIMCHI)}
    for i in range(12):
        make_supplier(name=f"정밀가공 {i}", name_en=f"Precision Machining {i}",
                      description=f"CNC machining of valve bodies, series {i}")
    return rows


@pytest.fixture
def catalog(make_supplier):
    return add_catalog(make_supplier)


@pytest.fixture
def indexed(runner, catalog):
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 15 documents" in result.output
    return catalog


def search_json(runner, *args):
    result = runner.invoke(args=["search", *args, "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_search_before_the_index_is_built_is_a_clear_error(runner, catalog):
    result = runner.invoke(args=["search", "brake"])
    assert result.exit_code == 1 and "not been built yet" in result.output


@pytest.mark.real_models
def test_cli_search_modes_filters_and_json(runner, indexed):
    top = search_json(runner, "brake pads")[0]
    assert top["external_id"] == indexed["brakes"].external_id and top["rank"] == 1
    assert top["lexical_rank"] == 1 and set(top["vector_scores"]) == {"minilm", "usem3", "e5"}
    lexical = search_json(runner, "kimchi", "--mode", "lexical")
    assert [r["external_id"] for r in lexical] == [indexed["kimchi"].external_id]
    food_only = search_json(runner, "brake pads", "--filter", "industry=food")
    assert [r["external_id"] for r in food_only] == [indexed["kimchi"].external_id]
    level = search_json(runner, "brake", "--filter", "smart_factory_level>=4", "--mode", "vector", "-k", "5")
    assert [r["external_id"] for r in level] == [indexed["brakes"].external_id]


def test_cli_search_prints_a_table_and_rejects_bad_filters(runner, indexed):
    result = runner.invoke(args=["search", "kimchi", "-k", "1"])
    assert result.exit_code == 0 and "Sejin Foods (세진식품)" in result.output
    bad = runner.invoke(args=["search", "kimchi", "--filter", "industry"])
    assert bad.exit_code == 1 and "field=value" in bad.output
    unknown = runner.invoke(args=["search", "kimchi", "--filter", "colour=red"])
    assert unknown.exit_code == 1 and "not a keyword field" in unknown.output


def test_an_english_request_finds_a_korean_only_profile(runner, indexed):
    results = search_json(runner, "automotive wire harness assembly", "--mode", "vector", "-k", "3")
    assert results[0]["external_id"] == indexed["harness"].external_id
    assert "minilm" not in results[0]["vector_scores"]  # no English-only vector for a Korean-only profile


def test_reindex_keeps_previous_versions_and_if_missing_skips(app, runner, indexed):
    for _ in range(3):
        assert runner.invoke(args=["reindex", "--keep", "1"]).exit_code == 0
    from search.embedded import EmbeddedBackend
    from matchmaker.search_service import get_search
    with app.app_context():
        backend = get_search().backend
        assert isinstance(backend, EmbeddedBackend)
        versions = backend.versions()
        assert len(versions) == 2 and versions[-1].live and versions[-1].documents == 15
    skipped = runner.invoke(args=["reindex", "--if-missing"])
    assert skipped.exit_code == 0 and "built already" in skipped.output


def test_catalog_search_box_ranks_and_highlights(client, auth, users, indexed):
    auth.login("buyer@example.com")
    html = client.get("/?q=brake+pads").get_data(as_text=True)
    assert html.index("Daesung Brake") < html.index("Sejin Foods") if "Sejin Foods" in html else "Daesung Brake" in html
    assert "<mark>Brake</mark>" in html or "<mark>brake</mark>" in html
    assert "your search, best first" in html
    assert 'data-testid="reason"' in html and "Makes brake pads" in html


def test_catalog_search_in_korean_with_filters_and_pages(client, auth, users, indexed):
    auth.login("buyer@example.com")
    html = client.get("/?q=하네스&mode=lexical").get_data(as_text=True)
    assert "한울전장" in html and "<mark>하네스</mark>" in html
    filtered = client.get("/?q=brake&industry=food&mode=lexical").get_data(as_text=True)
    assert "No supplier fits “brake” with these filters" in filtered and "Daesung Brake" not in filtered
    cert = client.get("/?q=brake&certification=iatf 16949").get_data(as_text=True)
    assert "Daesung Brake" in cert and "Sejin Foods" not in cert
    first = client.get("/?q=valve+machining&mode=lexical").get_data(as_text=True)
    assert "12 suppliers" in first and "Page 1 of 3" in first
    assert client.get("/?q=valve+machining&mode=lexical&page=3").status_code == 200
    assert client.get("/?q=valve+machining&mode=lexical&page=4").status_code == 404


def test_catalog_falls_back_to_sql_when_search_is_unavailable(client, auth, users, catalog):
    auth.login("buyer@example.com")
    html = client.get("/?q=kimchi").get_data(as_text=True)
    assert "Search is unavailable right now" in html and "Sejin Foods" in html
