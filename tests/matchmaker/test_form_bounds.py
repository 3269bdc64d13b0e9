"""Every bound on the other forms (registration, introductions, profile edits) is a message, never a 500,
and the pages load nothing from other sites."""
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matchmaker.models import Introduction, Supplier, User
from tests.conftest import PASSWORD, csrf_token

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("field, value", [
    ("email", "not-an-email"), ("email", "x" * 250 + "@example.com"), ("password", "short"),
    ("confirm", "something else entirely"), ("country", "ZZ"), ("country", "Germany"), ("name", "n" * 201),
    ("company", "c" * 201),
])
def test_registration_bounds(client, db, field, value):
    page = client.get("/auth/register").get_data(as_text=True)
    data = {"email": "new@example.com", "name": "New Buyer", "company": "Acme", "country": "DE",
            "password": PASSWORD, "confirm": PASSWORD, "csrf_token": csrf_token(page)}
    data[field] = value
    response = client.post("/auth/register", data=data)
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize("field, value", [
    ("message", "short"), ("message", "m" * 5001), ("quantity", "99999999999999999999"), ("quantity", "0"),
    ("unit", "parsecs"), ("request_choice", "424242"), ("request_choice", ""), ("buyer_country", "ZZ"),
    ("message", "Please introduce us,\x00 we need parts."), ("title", "Parts\x00"), ("title", "t" * 301),
])
def test_introduction_bounds(client, auth, users, make_supplier, db, field, value):
    supplier = make_supplier()
    auth.login("buyer@example.com")
    url = f"/requests/introduce/{supplier.id}"
    data = {"message": "Please introduce us, we need parts.", "quantity": "100", "unit": "pcs",
            "request_choice": "new", "title": "Parts", "buyer_country": "DE",
            "csrf_token": csrf_token(client.get(url).get_data(as_text=True))}
    data[field] = value
    response = client.post(url, data=data)
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Introduction.id))) == 0


@pytest.mark.parametrize("field, value", [
    ("name", ""), ("name", "n" * 201), ("description", ""), ("smart_factory_level", "6"),
    ("smart_factory_level", "99999999999999999999"), ("industry", "weapons"), ("region", "r" * 101),
])
def test_profile_edit_bounds(client, auth, users, make_supplier, db, field, value):
    supplier = make_supplier(name="원래이름")
    auth.login("specialist@example.com")
    url = f"/suppliers/{supplier.id}/edit"
    page = client.get(url).get_data(as_text=True)
    data = {"name": "새이름", "name_en": "", "industry": "machinery", "region": "", "description": "CNC parts",
            "capabilities": "", "certifications": "", "smart_factory_level": "3", "csrf_token": csrf_token(page),
            "version": re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)}
    data[field] = value
    response = client.post(url, data=data)
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Supplier.name)) == "원래이름"


def test_pages_load_nothing_from_other_sites():
    """Every stylesheet, script, image and font is served from static/ (nothing fetched from a CDN)."""
    external = re.compile(r"""<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)=["'](?:https?:)?//""", re.I)
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
                 if external.search(path.read_text())]
    assert offenders == []
    assert "@import" not in (ROOT / "static" / "style.css").read_text() and "url(http" not in (
        ROOT / "static" / "style.css").read_text()


def test_every_page_has_an_icon_that_is_served(client):
    """Browsers ask for an icon on every page: one that answers, not a 404 in the console."""
    page = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', page).group(1)
    icon = client.get(href)
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
