"""The data contract's checks, field by field."""
import pytest

from matchmaker.dataio.contract import JUDGMENT, REQUEST, SUPPLIER, validate
from matchmaker.dataio.limits import PRICE_USD_MAX, QUANTITY_MAX

GOOD = {"external_id": "S1", "name": "대성정밀", "description": "CNC", "industry": "machinery"}


def errors(spec, obj):
    return [(e.field, e.message) for e in validate(spec, obj, 7)[1]]


def test_a_minimal_supplier_is_valid_and_cleaned():
    clean, problems = validate(SUPPLIER, {**GOOD, "name": "  대성정밀 ", "extra": "ignored"}, 1)
    assert problems == [] and clean["name"] == "대성정밀" and "extra" not in clean


@pytest.mark.parametrize("change, field, fragment", [
    ({"external_id": None}, "external_id", "is required"),
    ({"name": "   "}, "name", "must not be empty"),
    ({"industry": "toys"}, "industry", "must be auto-parts, bio-pharma"),
    ({"smart_factory_level": 6}, "smart_factory_level", "between 0 and 5, got 6"),
    ({"smart_factory_level": "3"}, "smart_factory_level", "must be an integer, got a string"),
    ({"smart_factory_level": True}, "smart_factory_level", "must be an integer, got a boolean"),
    ({"employees": -1}, "employees", "between 0 and"),
    ({"founded_year": 1700}, "founded_year", "between 1800 and"),
    ({"export_markets": ["US", "XX"]}, "export_markets[1]", "country code"),
    ({"export_markets": "US"}, "export_markets", "must be a list, got a string"),
    ({"languages": ["kor"]}, "languages[0]", "language code"),
    ({"website": "www.x.kr"}, "website", "an http(s) URL"),
    ({"contact_email": "sales-at-x.kr"}, "contact_email", "an email address"),
    ({"products": [{"name": "a", "hs_code": "87"}]}, "products[0].hs_code", "4 to 10 digits"),
    ({"products": [{"name": "a", "hs_code": "8708.99.10.10.1"}]}, "products[0].hs_code", "4 to 10 digits"),
    ({"products": [{"name": "a", "moq": 0}]}, "products[0].moq", "between 1 and"),
    ({"products": [{"description": "no name"}]}, "products[0].name", "is required"),
    ({"products": [{"name": "a", "unit_price_usd": -2.5}]}, "products[0].unit_price_usd", "between 0 and"),
    ({"products": ["bolts"]}, "products[0]", "must be an object, got a string"),
    ({"name": "x" * 201}, "name", "at most 200"),
    ({"capabilities": ["사출성형", " "]}, "capabilities[1]", "must not be empty"),
    ({"certifications": [None]}, "certifications[0]", "must be a string, got null"),
])
def test_supplier_errors_name_the_field(change, field, fragment):
    found = errors(SUPPLIER, {**GOOD, **change})
    assert any(f == field and fragment in m for f, m in found), found


def test_all_problems_of_a_line_are_reported_together():
    found = errors(SUPPLIER, {"industry": "toys", "smart_factory_level": 9})
    assert {f for f, _ in found} == {"external_id", "name", "description", "industry", "smart_factory_level"}


def test_hs_codes_with_dots_are_accepted():
    for code in ("8708", "8708.99", "870899", "8708.99.10", "8708991000"):
        assert errors(SUPPLIER, {**GOOD, "products": [{"name": "a", "hs_code": code}]}) == []


def test_request_checks():
    good = {"external_id": "R1", "title": "Brake pads", "description": "Need 10k sets"}
    assert errors(REQUEST, good) == []
    assert errors(REQUEST, {**good, "deadline": "2027-02-30"})[0][0] == "deadline"
    assert errors(REQUEST, {**good, "quantity": 0})[0][0] == "quantity"
    assert errors(REQUEST, {**good, "buyer_country": "USA"})[0][0] == "buyer_country"
    assert errors(REQUEST, {**good, "target_unit_price_usd": "cheap"})[0][0] == "target_unit_price_usd"


def test_judgment_checks():
    assert errors(JUDGMENT, {"request_id": "R", "supplier_id": "S", "grade": 3}) == []
    assert errors(JUDGMENT, {"request_id": "R", "supplier_id": "S", "grade": 4}) == [
        ("grade", "must be between 0 and 3, got 4")]
    assert errors(JUDGMENT, {"request_id": "R", "supplier_id": "S"}) == [("grade", "is required")]


def test_a_line_that_is_not_an_object():
    assert errors(SUPPLIER, ["a", "list"]) == [("", "expected a JSON object, got a list")]


@pytest.mark.parametrize("change, field, fragment", [
    ({"products": [{"name": "a", "unit_price_usd": float("nan")}]}, "products[0].unit_price_usd", "finite number"),
    ({"products": [{"name": "a", "unit_price_usd": float("inf")}]}, "products[0].unit_price_usd", "finite number"),
    ({"products": [{"name": "a", "unit_price_usd": 10**400}]}, "products[0].unit_price_usd", "finite number"),
    ({"products": [{"name": "a", "moq": 2**31}]}, "products[0].moq", "between 1 and 1000000000"),
    ({"employees": 10**30}, "employees", "between 0 and 10000000"),
    ({"products": [{"name": "a", "hs_code": "8.7.0.8.9.9.1.0.1"}]}, "products[0].hs_code", "at most 16"),
    ({"name": "nul\x00byte"}, "name", "NUL"),
])
def test_values_the_database_cannot_hold_are_errors(change, field, fragment):
    """NaN, infinities, integers beyond 32 bits and NUL characters would fail (or lie) in the database."""
    found = errors(SUPPLIER, {**GOOD, **change})
    assert any(f == field and fragment in m for f, m in found), found


def test_the_bounds_themselves_are_accepted():
    product = {"name": "a", "moq": QUANTITY_MAX, "lead_time_days": 0, "unit_price_usd": PRICE_USD_MAX}
    assert errors(SUPPLIER, {**GOOD, "products": [product]}) == []
    assert errors(SUPPLIER, {**GOOD, "products": [{**product, "moq": QUANTITY_MAX + 1}]}) == [
        ("products[0].moq", f"must be between 1 and {QUANTITY_MAX}, got {QUANTITY_MAX + 1}")]
