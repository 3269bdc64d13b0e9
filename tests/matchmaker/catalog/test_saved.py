"""A buyer's saved suppliers."""
from sqlalchemy import select

from matchmaker.models import SavedSupplier
from tests.conftest import csrf_token


def save(client, supplier_id, **extra):
    token = csrf_token(client.get(f"/suppliers/{supplier_id}").get_data(as_text=True))
    return client.post(f"/suppliers/{supplier_id}/save", data={"csrf_token": token, **extra})


def test_a_buyer_saves_and_removes_a_supplier(client, auth, users, make_supplier, db):
    supplier = make_supplier(name_en="Saved Precision")
    auth.login("buyer@example.com")
    assert "You have not saved any supplier yet." in client.get("/saved").get_data(as_text=True)
    assert save(client, supplier.id).status_code == 302
    assert save(client, supplier.id).status_code == 302  # twice is still once
    assert db.session.query(SavedSupplier).count() == 1
    assert "Saved Precision" in client.get("/saved").get_data(as_text=True)
    profile = client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)
    assert 'aria-pressed="true"' in profile
    save(client, supplier.id, action="remove")
    assert db.session.scalar(select(SavedSupplier)) is None


def test_saving_needs_a_buyer_account(client, auth, users, make_supplier):
    supplier = make_supplier()
    html = client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)
    assert f"/auth/login?next=/suppliers/{supplier.id}" in html and "Sign in to save" in html
    auth.login("specialist@example.com")
    token = csrf_token(client.get(f"/suppliers/{supplier.id}").get_data(as_text=True))
    assert client.post(f"/suppliers/{supplier.id}/save", data={"csrf_token": token}).status_code == 403
    assert client.get("/saved").status_code == 403


def test_saving_an_unknown_supplier_is_404(client, auth, users):
    auth.login("buyer@example.com")
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/suppliers/424242/save", data={"csrf_token": token}).status_code == 404
