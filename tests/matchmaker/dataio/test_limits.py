"""The input limits hang together: every field is bounded, the README says what the code does, and the
largest valid input fits every other bound on the way (the request size, the highlighter's window)."""
import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from matchmaker.dataio import limits
from matchmaker.dataio.contract import INT_LIMIT, JUDGMENT, PRODUCT, REQUEST, SUPPLIER
from matchmaker.dataio.limits_table import markdown
from matchmaker.forms import search_text
from search import highlight

README = Path(__file__).resolve().parents[3] / "README.md"
SPECS = {"supplier": SUPPLIER, "product": PRODUCT, "request": REQUEST, "judgment": JUDGMENT}
FIELDS = [(f"{record}.{name}", rule) for record, spec in SPECS.items() for name, rule in spec.items()]


@pytest.mark.parametrize("name, rule", FIELDS, ids=[name for name, _ in FIELDS])
def test_every_field_is_bounded(name, rule):
    """No field takes unbounded input: text has a length or a code table/format, lists a count, numbers a range."""
    if rule.kind == "str":
        assert rule.max_length or rule.check, name
    elif rule.kind == "list":
        assert rule.max_items and (rule.item.kind == "object" or rule.item.max_length or rule.item.check), name
    else:
        assert rule.low is not None and rule.high is not None, name
        if rule.kind == "int":  # stored in 32-bit columns
            assert -INT_LIMIT - 1 <= rule.low and rule.upper() <= INT_LIMIT, name


def test_the_readme_shows_the_limits_the_code_enforces():
    text = README.read_text(encoding="utf-8")
    assert "## Input limits" in text
    assert markdown() in text, "README.md is out of date: paste `python -m matchmaker.dataio.limits_table`"
    assert f"read the first {highlight.SCANNED:,} characters of a field" in text


def test_the_app_takes_requests_up_to_the_limit(app):
    assert app.config["MAX_CONTENT_LENGTH"] == limits.REQUEST_BYTES


def korean(n: int) -> str:
    return "가" * n  # three bytes in UTF-8, nine in a form post (%EA%B0%80)


def test_the_largest_valid_supplier_form_fits_in_one_request():
    """Every field at its limit, in Korean: the form post is still under the request limit (no 413 for valid input)."""
    sent = {"csrf_token": "x" * 100, "version": "2147483647", "external_id": korean(limits.ID_CHARS),
            "name": korean(limits.NAME_CHARS), "name_en": korean(limits.NAME_CHARS),
            "description": korean(limits.DESCRIPTION_CHARS), "region": korean(limits.REGION_CHARS),
            "capabilities": "\r\n".join([korean(limits.ITEM_CHARS)] * limits.CAPABILITIES),
            "certifications": "\r\n".join([korean(limits.ITEM_CHARS)] * limits.CERTIFICATIONS),
            "website": "https://" + "w" * limits.WEBSITE_CHARS, "contact_email": "e" * limits.EMAIL_CHARS,
            "contact_phone": "9" * limits.PHONE_CHARS, "industry": "auto-parts", "smart_factory_level": "5",
            "employees": "10,000,000", "founded_year": "2000"}
    pairs = list(sent.items())
    pairs += [("export_markets", code) for code in ["US"] * SUPPLIER["export_markets"].max_items]
    pairs += [("languages", code) for code in ["en"] * SUPPLIER["languages"].max_items]
    for row in range(limits.PRODUCTS + 2):  # and the two empty rows the editor offers
        pairs += [(f"products-{row}-name", korean(limits.NAME_CHARS)),
                  (f"products-{row}-description", korean(limits.PRODUCT_DESCRIPTION_CHARS)),
                  (f"products-{row}-hs_code", "8708.99.10.10"), (f"products-{row}-moq", "1,000,000,000"),
                  (f"products-{row}-unit", korean(limits.UNIT_CHARS)), (f"products-{row}-lead_time_days", "3650"),
                  (f"products-{row}-unit_price_usd", "1,000,000,000.00")]
    assert len(urlencode(pairs).encode()) < limits.REQUEST_BYTES


def test_the_largest_valid_supplier_line_fits_in_one_import_line():
    """The same record as JSON (Korean as \\u escapes, the longest way to write it) is one line under the limit."""
    product = {"name": korean(limits.NAME_CHARS), "description": korean(limits.PRODUCT_DESCRIPTION_CHARS),
               "hs_code": "8708.99.10.10", "moq": limits.QUANTITY_MAX, "unit": korean(limits.UNIT_CHARS),
               "lead_time_days": limits.LEAD_TIME_DAYS_MAX, "unit_price_usd": limits.PRICE_USD_MAX}
    record = {"external_id": korean(limits.ID_CHARS), "name": korean(limits.NAME_CHARS),
              "name_en": korean(limits.NAME_CHARS), "description": korean(limits.DESCRIPTION_CHARS),
              "products": [product] * limits.PRODUCTS,
              "capabilities": [korean(limits.ITEM_CHARS)] * limits.CAPABILITIES,
              "certifications": [korean(limits.ITEM_CHARS)] * limits.CERTIFICATIONS}
    assert len(json.dumps(record).encode()) < limits.LINE_BYTES


def test_highlights_cover_every_valid_text_field():
    """The highlighter's window holds the longest text a valid profile makes (indexers.documents.text_fields)."""
    products = limits.PRODUCTS * (limits.NAME_CHARS + limits.PRODUCT_DESCRIPTION_CHARS + 2)
    capabilities = limits.CAPABILITIES * (limits.ITEM_CHARS + 1)
    assert max(products, capabilities, limits.DESCRIPTION_CHARS, 2 * limits.NAME_CHARS + 1) <= highlight.SCANNED


def test_search_text_is_cut_and_loses_its_nul_characters():
    assert search_text("  brake\x00 pads  ") == "brake pads"
    assert len(search_text("x" * 10_000)) == limits.QUERY_CHARS
    assert search_text(None) == ""
