"""Template filters: the display functions are registered under their own names and work in Jinja."""
import pytest
from flask import Flask

from matchmaker import templating


@pytest.fixture
def render():
    """Render a template string with only the project's filters registered (no database, no models)."""
    app = Flask(__name__)
    templating.init_app(app)

    def _render(source: str, **context) -> str:
        return app.jinja_env.from_string(source).render(**context)
    return _render


def test_every_display_function_is_a_filter():
    app = Flask(__name__)
    templating.init_app(app)
    for name in ("country_name", "language_name", "region_en", "hs_description", "romanized_name", "display_name",
                 "name_pair", "has_hangul", "smart_factory_label", "smart_factory_explanation", "industry_label", "thousands"):
        assert name in app.jinja_env.filters


def test_filters_render_korean_only_profiles_in_english(render):
    supplier = {"name": "(주)대한정밀", "name_en": None, "region": "경북 구미", "smart_factory_level": 2,
                "export_markets": ["US", "DE"], "languages": ["ko", "ja"]}
    page = render("{{ s.name | display_name(s.name_en) }} · {{ s.region | region_en }} · "
                  "{{ s.smart_factory_level | smart_factory_label }} · "
                  "{{ s.export_markets | map('country_name') | join(', ') }} · "
                  "{{ s.languages | map('language_name') | join(', ') }}", s=supplier)
    assert page == ("Daehanjeongmil Co., Ltd. · Gyeongbuk Gumi · Level 2 (real-time monitoring) · "
                    "United States, Germany · Korean, Japanese")


def test_filters_take_their_options(render):
    assert render("{{ 'US' | country_name('ko') }}") == "미국"
    assert render("{{ '8708.99' | hs_description }}") == "Vehicle parts and accessories; n.e.c. in heading no. 8708"
    assert render("{{ '(주)대한정밀' | romanized_name }}") == "Daehanjeongmil Co., Ltd."
    assert render("{{ 3 | smart_factory_explanation }}").startswith("Intermediate 1:")


def test_a_korean_name_unpacks_into_the_english_one_and_the_original(render):
    source = "{% set primary, native = name | name_pair(name_en) %}{{ primary }}|{{ native }}|{{ region | has_hangul }}"
    assert render(source, name="(주)대한정밀", name_en=None, region="경북 구미") == \
        "Daehanjeongmil Co., Ltd.|(주)대한정밀|True"
    assert render(source, name="Acme", name_en=None, region="Ulsan") == "Acme|None|False"


def test_missing_values_render_quietly(render):
    assert render("{{ none | smart_factory_label }}|{{ none | region_en }}|{{ none | country_name }}|"
                  "{{ none | hs_description or '—' }}") == "not stated|||—"


def test_page_links_carry_the_query_string_as_data_never_as_link_builder_keywords(app):
    with app.test_request_context("/?industry=machinery&certification=ISO+9001&certification=CE"
                                  "&_method=DELETE&endpoint=x&_external=1&page=3"):
        url = templating.page_url(4)
    assert url.startswith("/?") and url.count("page=") == 1 and url.endswith("page=4")
    assert "certification=ISO+9001&certification=CE" in url
    assert "_method=DELETE" in url and "endpoint=x" in url and "_external=1" in url  # data, not keywords
