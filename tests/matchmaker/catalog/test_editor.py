"""The supplier editor in the browser: the real forms with CSRF, checked by the data contract."""
import re
from datetime import date

import pytest
from flask import g
from sqlalchemy import func, select

from matchmaker.catalog.editor import BLANK_ROWS
from matchmaker.dataio.limits import PRODUCTS
from matchmaker.models import AuditEvent, Match, Product, Supplier
from tests.conftest import PASSWORD, AuthActions, csrf_token

VERSION = re.compile(r'name="version" type="hidden" value="(\d*)"')
CONFIRMED_VERSION = re.compile(r'name="version" value="(\d+)"')  # on the delete page
COMPANY = {"name": "한빛정밀", "name_en": "Hanbit Precision", "industry": "machinery", "region": "경남 창원",
           "description": "Precision turned parts for hydraulics", "capabilities": "CNC turning\nanodizing",
           "smart_factory_level": "3", "employees": "85", "founded_year": "1998",
           "website": "https://hanbit.example.kr", "certifications": "ISO 9001, IATF 16949",
           "export_markets": ["US", "DE"], "languages": ["ko", "en"],
           "contact_email": "sales@hanbit.example.kr", "contact_phone": "+82-55-555-0100",
           "products-0-name": "Brass fittings", "products-0-hs_code": "7412.20", "products-0-moq": "1,500",
           "products-0-unit": "pcs", "products-0-lead_time_days": "30", "products-0-unit_price_usd": "1.25",
           "products-1-name": "", "products-2-name": ""}


def submit(client, url, data, **changes):
    """Open the form at ``url`` (for its CSRF token and version), then send ``data`` with ``changes``."""
    page = client.get(url).get_data(as_text=True)
    version = VERSION.search(page)
    sent = {"csrf_token": csrf_token(page), "version": version.group(1) if version else "", **data, **changes}
    return client.post(url, data={key: value for key, value in sent.items() if value is not None})


def error_of(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def as_(client):
    """Switch clients: requests share the test's app context (and ``g``), so forget the last one's user and token."""
    for cached in ("_login_user", "csrf_token", "csrf_valid"):
        g.pop(cached, None)
    return client


@pytest.fixture
def specialist(client, auth, users):
    auth.login("specialist@example.com")
    return client


def test_a_specialist_adds_a_supplier_with_every_field(specialist, db):
    response = submit(specialist, "/suppliers/new", COMPANY)
    assert response.status_code == 302
    row = db.session.scalar(select(Supplier))
    assert response.headers["Location"] == f"/suppliers/{row.id}"
    assert row.external_id.startswith("sup-") and row.name_en == "Hanbit Precision"
    assert row.capabilities == ["CNC turning", "anodizing"] and row.certifications == ["ISO 9001", "IATF 16949"]
    assert (row.smart_factory_level, row.employees, row.founded_year) == (3, 85, 1998)
    assert row.export_markets == ["US", "DE"] and row.languages == ["ko", "en"]
    assert (row.contact_email, row.contact_phone) == ("sales@hanbit.example.kr", "+82-55-555-0100")
    assert [(p.name, p.hs_code, p.moq, p.unit, p.lead_time_days, p.unit_price_usd) for p in row.products] == [
        ("Brass fittings", "7412.20", 1500, "pcs", 30, 1.25)]  # the empty rows are no products
    page = specialist.get(response.headers["Location"]).get_data(as_text=True)
    assert "Supplier added." in page and "sales@hanbit.example.kr" in page and "Brass fittings" in page


def test_a_typed_profile_id_is_used_and_must_be_free(specialist, db, make_supplier):
    make_supplier(external_id="HB-TAKEN")
    html = submit(specialist, "/suppliers/new", COMPANY, external_id="HB-TAKEN").get_data(as_text=True)
    assert "already used by another supplier" in error_of(html, "external_id")
    assert submit(specialist, "/suppliers/new", COMPANY, external_id=" HB-1 ").status_code == 302
    assert db.session.scalar(select(Supplier.id).where(Supplier.external_id == "HB-1")) is not None


NEXT_YEAR = str(date.today().year + 1)


@pytest.mark.parametrize("changes, field_id, fragment", [
    ({"name": ""}, "name", "Is required"),
    ({"name": "n" * 10_000}, "name", "at most 200"),
    ({"description": "   "}, "description", "Is required"),
    ({"industry": "weapons"}, "industry", "Must be auto-parts"),
    ({"industry": ""}, "industry", "Is required"),
    ({"contact_email": "sales-at-hanbit"}, "contact_email", "email address"),
    ({"website": "www.hanbit.kr"}, "website", "http(s) URL"),
    ({"products-0-hs_code": "87"}, "products-0-hs_code", "4 to 10 digits"),
    ({"products-0-moq": "0"}, "products-0-moq", "between 1 and 1000000000"),
    ({"products-0-moq": "9" * 30}, "products-0-moq", "between 1 and 1000000000"),
    ({"products-0-moq": "lots"}, "products-0-moq", "whole number"),
    ({"products-0-lead_time_days": "3651"}, "products-0-lead_time_days", "between 0 and 3650"),
    ({"products-0-unit_price_usd": "NaN"}, "products-0-unit_price_usd", "point for decimals"),
    ({"products-0-unit_price_usd": "inf"}, "products-0-unit_price_usd", "point for decimals"),
    ({"products-0-unit_price_usd": "9" * 400}, "products-0-unit_price_usd", "finite number"),
    ({"products-0-unit_price_usd": "12,5"}, "products-0-unit_price_usd", "point for decimals"),
    ({"products-0-unit_price_usd": "-1"}, "products-0-unit_price_usd", "between 0 and"),
    ({"products-0-name": "", "products-0-moq": "10"}, "products-0-name", "Is required"),
    ({"founded_year": NEXT_YEAR}, "founded_year", f"between 1800 and {date.today().year}"),
    ({"employees": "9" * 5000}, "employees", "whole number"),
    ({"smart_factory_level": "6"}, "smart_factory_level", "between 0 and 5"),
    ({"export_markets": ["US", "ZZ"]}, "export_markets", "country code"),
    ({"languages": ["kor"]}, "languages", "language code"),
    ({"capabilities": "ok\n" + "c" * 201}, "capabilities", "Entry 2: Is 201 characters long"),
    ({"region": "r\x00"}, "region", "NUL"),
])
def test_every_contract_rule_is_a_field_error_and_nothing_is_written(specialist, db, changes, field_id, fragment):
    response = submit(specialist, "/suppliers/new", COMPANY, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was saved yet." in html
    assert fragment in error_of(html, field_id), html[html.find('class="error"') - 300:][:800]
    assert f'id="{field_id}"' in html and 'aria-invalid="true"' in html
    assert count(db, Supplier) == count(db, Product) == 0


def test_product_errors_land_on_the_row_they_came_from(specialist, db):
    # Row 0 is empty and row 1 removed, so the contract's products[0] is the form's third row.
    html = submit(specialist, "/suppliers/new", COMPANY, **{
        "products-0-name": "", "products-0-moq": "", "products-0-hs_code": "", "products-0-unit": "",
        "products-0-lead_time_days": "", "products-0-unit_price_usd": "",
        "products-1-name": "Old", "products-1-remove": "y", "products-2-name": "Gaskets", "products-2-moq": "0",
    }).get_data(as_text=True)
    assert "between 1 and" in error_of(html, "products-2-moq")
    assert error_of(html, "products-0-moq") == error_of(html, "products-1-moq") == ""


def test_add_another_product_keeps_what_was_typed(specialist, db):
    response = submit(specialist, "/suppliers/new", COMPANY, add_product="1", **{"products-0-moq": "lots"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and count(db, Supplier) == 0
    assert 'name="products-3-name"' in html and 'name="products-4-name"' not in html
    assert 'value="Hanbit Precision"' in html and 'value="lots"' in html
    assert "Nothing was saved yet." not in html  # no check before the save button is pressed


def test_the_form_marks_required_fields_and_shows_names_in_the_interface_language(specialist):
    html = specialist.get("/suppliers/new").get_data(as_text=True)
    assert re.search(r'<label for="name" class="required">', html)
    assert re.search(r'<label for="description" class="required">', html)
    assert not re.search(r'<label for="external_id" class="required">', html)
    assert '<option value="DE">Germany</option>' in html and '<option value="ko">Korean</option>' in html
    assert 'name="products-0-name"' in html and 'name="products-1-name"' in html
    assert "Private contacts" in html
    specialist.get("/language/ko")
    html = specialist.get("/suppliers/new").get_data(as_text=True)
    assert '<option value="DE">독일</option>' in html and '<option value="ko">한국어</option>' in html


def test_an_edit_changes_only_what_changed_and_is_audited(specialist, db, make_supplier):
    supplier = make_supplier(name_en="Old Name", export_markets=["VN", "US"],
                             products=[{"name": "Bolts", "moq": 100}, {"name": "Nuts", "moq": 200}])
    url = f"/suppliers/{supplier.id}/edit"
    page = specialist.get(url).get_data(as_text=True)
    assert 'value="Old Name"' in page and 'value="Nuts"' in page and "sales" in page
    data = {"csrf_token": csrf_token(page), "version": VERSION.search(page).group(1)}
    # What the browser sends back for the untouched fields, then one change and one product removed.
    for name, value in re.findall(r'<input (?![^>]*type="checkbox")[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        data.setdefault(name, value)
    data.update({"name": supplier.name, "description": supplier.description, "industry": "machinery",
                 "smart_factory_level": "3", "certifications": "ISO 9001", "export_markets": ["US", "VN"],
                 "name_en": "New Name", "products-0-remove": "y"})
    response = specialist.post(url, data=data)
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Supplier, supplier.id)
    assert row.name_en == "New Name" and [p.name for p in row.products] == ["Nuts"]
    assert row.export_markets == ["VN", "US"]  # the list's order is kept when its codes are
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "supplier.update"))
    assert set(event.details["before"]) == {"name_en", "products"}
    assert event.details["after"]["name_en"] == "New Name"


def test_a_stale_edit_is_refused_and_the_first_change_survives(app, specialist, db, make_supplier):
    supplier = make_supplier(name_en="Original")
    url = f"/suppliers/{supplier.id}/edit"
    other = as_(app.test_client())
    AuthActions(other).login("admin@example.com", PASSWORD)
    base = {"name": supplier.name, "description": supplier.description, "industry": "machinery",
            "products-0-name": "CNC parts"}
    first_page = as_(specialist).get(url).get_data(as_text=True)
    second_page = as_(other).get(url).get_data(as_text=True)

    def send(client, page, **changes):
        return as_(client).post(url, data={**base, "csrf_token": csrf_token(page),
                                           "version": VERSION.search(page).group(1), **changes})
    assert send(specialist, first_page, name_en="First").status_code == 302
    refused = send(other, second_page, name_en="Second", region="Busan")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'data-testid="stale"' in html
    assert 'value="Second"' in html and 'value="Busan"' in html  # what they typed is still there
    assert "First" in html  # and what is saved now, where it differs
    db.session.expire_all()
    assert db.session.get(Supplier, supplier.id).name_en == "First"
    # Saving again from the re-shown form is a choice made knowingly, and it goes through.
    again = as_(other).post(url, data={**base, "csrf_token": csrf_token(html),
                                       "version": VERSION.search(html).group(1), "name_en": "Second"})
    assert again.status_code == 302


def test_delete_asks_first_then_removes_the_supplier_and_its_matches(specialist, db, make_supplier, make_request):
    supplier = make_supplier(name_en="Doomed Works")
    request = make_request()
    db.session.add(Match(request_id=request.id, supplier_id=supplier.id))
    db.session.commit()
    url, supplier_name = f"/suppliers/{supplier.id}/delete", supplier.display_name
    page = specialist.get(url).get_data(as_text=True)
    assert "Doomed Works" in page and "1 match with a buyer request" in page and "1 product" in page
    response = specialist.post(url, data={"csrf_token": csrf_token(page),
                                          "version": CONFIRMED_VERSION.search(page).group(1)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert count(db, Supplier) == count(db, Match) == 0
    home = specialist.get("/").get_data(as_text=True)
    assert f"{supplier_name} was deleted." in home


def test_a_stale_delete_is_refused(specialist, db, make_supplier):
    supplier = make_supplier()
    url = f"/suppliers/{supplier.id}/delete"
    page = specialist.get(url).get_data(as_text=True)
    response = specialist.post(url, data={"csrf_token": csrf_token(page), "version": "999"})
    assert response.status_code == 302 and count(db, Supplier) == 1


def test_staff_see_the_buttons_and_buyers_and_visitors_are_kept_out(client, auth, users, make_supplier):
    supplier = make_supplier()
    urls = ["/suppliers/new", f"/suppliers/{supplier.id}/edit", f"/suppliers/{supplier.id}/delete"]
    for url in urls:
        assert client.get(url).headers["Location"].startswith("/auth/login?next=")
    auth.login("buyer@example.com")
    for url in urls:
        assert client.get(url).status_code == 403
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post(urls[0], data={"csrf_token": token, **COMPANY}).status_code == 403
    assert "Add a supplier" not in client.get("/").get_data(as_text=True)
    assert "Delete profile" not in client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)
    auth.logout()
    auth.login("admin@example.com")
    assert "Add a supplier" in client.get("/").get_data(as_text=True)
    profile = client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)
    assert f"/suppliers/{supplier.id}/edit" in profile and f"/suppliers/{supplier.id}/delete" in profile
    for url in urls:
        assert client.get(url).status_code == 200


def test_unknown_suppliers_are_404(specialist):
    assert specialist.get("/suppliers/424242/edit").status_code == 404
    assert specialist.get("/suppliers/424242/delete").status_code == 404


@pytest.fixture
def indexed(runner, make_supplier):
    """A live embedded index with real encoders, built by the nightly reindex."""
    make_supplier(external_id="BASE", name="기준", name_en="Baseline", description="valve bodies")
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output


def search(db, query: str) -> list[str]:
    from matchmaker.matching.service import match_text
    db.session.expire_all()
    return [match.supplier.external_id for match in match_text(query, mode="hybrid").items]


def test_search_follows_what_the_editor_saves(specialist, db, indexed):
    product = {"products-0-name": "Zirconia ceramic ferrules", "products-0-hs_code": "6909.12"}
    assert submit(specialist, "/suppliers/new", COMPANY, external_id="ZR-1", name_en="Ferrule Works",
                  **product).status_code == 302
    assert search(db, "zirconia ferrules")[0] == "ZR-1"
    html = specialist.get("/?q=zirconia+ferrules&mode=lexical").get_data(as_text=True)
    assert "Ferrule Works" in html

    supplier_id = db.session.scalar(select(Supplier.id).where(Supplier.external_id == "ZR-1"))
    edit = f"/suppliers/{supplier_id}/edit"
    assert submit(specialist, edit, COMPANY, name_en="Quartzline Optics", **product).status_code == 302
    assert search(db, "Quartzline")[0] == "ZR-1"
    html = specialist.get("/?q=Quartzline&mode=lexical").get_data(as_text=True)
    assert "Quartzline Optics" in html and "Ferrule Works" not in html

    delete = f"/suppliers/{supplier_id}/delete"
    page = specialist.get(delete).get_data(as_text=True)
    sent = {"csrf_token": csrf_token(page), "version": CONFIRMED_VERSION.search(page).group(1)}
    assert "was deleted." in specialist.post(delete, data=sent, follow_redirects=True).get_data(as_text=True)
    assert "ZR-1" not in search(db, "zirconia ferrules") and "ZR-1" not in search(db, "Quartzline")
    assert "Quartzline Optics" not in specialist.get("/?q=Quartzline&mode=lexical").get_data(as_text=True)


@pytest.mark.parametrize("changes, field_id, fragment", [
    ({"description": "d" * 20_001}, "description", "Is 20001 characters long; at most 20000 allowed."),
    ({"capabilities": "\n".join(f"process {i}" for i in range(51))}, "capabilities", "Has 51 items; at most 50"),
    ({"certifications": ", ".join(f"Scheme {i}" for i in range(31))}, "certifications", "Has 31 items; at most 30"),
    ({"products-0-description": "d" * 1001}, "products-0-description", "at most 1000 allowed"),
    ({"products-0-unit_price_usd": "1,000,000,001"}, "products-0-unit_price_usd", "between 0 and 1000000000"),
    ({"description": "CNC\x00 parts"}, "description", "NUL"),
    ({"external_id": "x" * 101}, "external_id", "at most 100 allowed"),
])
def test_input_over_a_limit_gets_the_form_back_with_a_message(specialist, db, changes, field_id, fragment):
    response = submit(specialist, "/suppliers/new", COMPANY, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and fragment in error_of(html, field_id)
    assert count(db, Supplier) == 0


def test_too_many_products_is_said_above_the_form(specialist, db):
    rows = {f"products-{i}-name": f"Part {i}" for i in range(51)}
    response = submit(specialist, "/suppliers/new", COMPANY, **rows)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Products: Has 51 items; at most 50 allowed." in html
    assert 'value="Part 50"' in html and count(db, Supplier) == 0  # what was typed is kept


def test_a_post_with_more_product_rows_than_the_page_offers_is_refused(specialist, db):
    rows = {f"products-{i}-name": "p" for i in range(PRODUCTS + BLANK_ROWS + 1)}
    response = submit(specialist, "/suppliers/new", COMPANY, **rows)
    assert response.status_code == 413 and "What you sent is too large." in response.get_data(as_text=True)
    assert count(db, Supplier) == 0


def test_adding_rows_stops_at_the_limit_and_says_so(specialist, db):
    rows = {f"products-{i}-name": f"Part {i}" for i in range(PRODUCTS + BLANK_ROWS)}
    html = submit(specialist, "/suppliers/new", COMPANY, add_product="1", **rows).get_data(as_text=True)
    assert f'name="products-{PRODUCTS + BLANK_ROWS - 1}-name"' in html
    assert f'name="products-{PRODUCTS + BLANK_ROWS}-name"' not in html
    assert f"A profile lists at most {PRODUCTS} products." in html and 'name="add_product"' not in html


def test_a_profile_with_more_products_than_the_limit_can_still_be_edited(specialist, db, make_supplier):
    """Profiles imported before the limit open with all their rows; saving asks for fewer products."""
    supplier = make_supplier(products=[{"name": f"Part {i}"} for i in range(PRODUCTS + 5)])
    url = f"/suppliers/{supplier.id}/edit"
    page = specialist.get(url).get_data(as_text=True)
    assert f'value="Part {PRODUCTS + 4}"' in page
    data = {"csrf_token": csrf_token(page), "version": VERSION.search(page).group(1), "name": supplier.name,
            "industry": supplier.industry, "description": supplier.description}
    data.update({f"products-{i}-name": f"Part {i}" for i in range(PRODUCTS + 5)})
    data.update({f"products-{PRODUCTS + 5 + i}-name": "" for i in range(BLANK_ROWS)})
    html = specialist.post(url, data=data).get_data(as_text=True)
    assert f"Products: Has {PRODUCTS + 5} items; at most {PRODUCTS} allowed." in html
    for i in range(5):
        data[f"products-{i}-remove"] = "y"
    assert specialist.post(url, data=data).status_code == 302
    assert count(db, Product) == PRODUCTS
