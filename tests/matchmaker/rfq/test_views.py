"""Buyers post and read their own requests; staff see all of them."""
import pytest
from sqlalchemy import select

from matchmaker.models import AuditEvent, BuyerRequest, Match
from tests.conftest import csrf_token


def post_request(client, **fields):
    page = client.get("/requests/new")
    data = {"title": "Aluminium housings", "description": "5,000 die-cast housings per month",
            "industry": "auto-parts", "buyer_country": "de", "quantity": "5000", "unit": "pcs",
            "required_certifications": "IATF 16949, ISO 14001, IATF 16949", "max_lead_time_days": "45",
            "target_unit_price_usd": "3.20", "deadline": "2027-03-01",
            "csrf_token": csrf_token(page.get_data(as_text=True))}
    data.update(fields)
    return client.post("/requests/new", data=data)


def test_buyer_posts_a_request(client, auth, users, db):
    auth.login("buyer@example.com")
    response = post_request(client)
    assert response.status_code == 302
    row = db.session.scalar(select(BuyerRequest))
    assert response.headers["Location"] == f"/requests/{row.id}"
    assert row.buyer_id == users["buyer"].id and row.buyer_country == "DE"
    assert row.required_certifications == ["IATF 16949", "ISO 14001"]
    assert row.external_id.startswith("rfq-") and row.target_unit_price_usd == 3.2
    assert db.session.scalar(select(AuditEvent.entity_id).where(AuditEvent.action == "request.create")) == row.external_id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aluminium housings" in html and "IATF 16949, ISO 14001" in html


def test_invalid_request_shows_errors_and_saves_nothing(client, auth, users, db):
    auth.login("buyer@example.com")
    response = post_request(client, title="", quantity="-4", buyer_country="Germany")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This field is required." in html and "2-letter ISO code" in html
    assert db.session.scalar(select(BuyerRequest.id)) is None


def test_buyers_see_only_their_own_requests(client, auth, users, make_request):
    own = make_request(title="Mine", buyer_id=users["buyer"].id)
    other = make_request(title="Someone else's")
    auth.login("buyer@example.com")
    html = client.get("/requests/").get_data(as_text=True)
    assert "Mine" in html and "Someone else" not in html
    assert client.get(f"/requests/{own.id}").status_code == 200
    assert client.get(f"/requests/{other.id}").status_code == 404


def test_staff_see_all_requests_and_their_matches(client, auth, users, make_request, make_supplier, db):
    request = make_request(title="Brake pads", buyer_id=users["buyer"].id)
    make_request(title="Kimchi")
    supplier = make_supplier(name="브레이크", name_en="Brake Co")
    db.session.add(Match(request_id=request.id, supplier_id=supplier.id, rank=1, status="shortlisted"))
    db.session.commit()
    auth.login("specialist@example.com")
    html = client.get("/requests/").get_data(as_text=True)
    assert "Brake pads" in html and "Kimchi" in html
    detail = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Brake Co" in detail and '<span class="native" lang="ko">브레이크</span>' in detail
    assert "shortlisted" in detail


def test_buyer_sees_no_matches_section(client, auth, users, make_request):
    request = make_request(buyer_id=users["buyer"].id)
    auth.login("buyer@example.com")
    assert "Matched suppliers" not in client.get(f"/requests/{request.id}").get_data(as_text=True)


def test_empty_state_and_status_filter(client, auth, users, make_request):
    auth.login("buyer@example.com")
    assert "No requests yet" in client.get("/requests/").get_data(as_text=True)
    make_request(title="Closed one", status="closed", buyer_id=users["buyer"].id)
    assert "Closed one" not in client.get("/requests/?status=open").get_data(as_text=True)
    assert "Closed one" in client.get("/requests/?status=closed").get_data(as_text=True)


def test_posting_a_request_matches_it_at_once(client, auth, users, db, make_supplier, runner):
    housing = make_supplier(name="다이캐스트", name_en="Diecast Co", industry="auto-parts",
                            description="Aluminium die casting of housings for automotive parts",
                            certifications=["IATF 16949"], export_markets=["DE"],
                            products=[{"name": "die-cast aluminium housings", "moq": 1000, "unit": "pcs",
                                       "lead_time_days": 30}])
    make_supplier(name="김치", name_en="Kimchi Co", industry="food", description="Kimchi and sauces")
    assert runner.invoke(args=["reindex"]).exit_code == 0
    auth.login("buyer@example.com")
    post_request(client)
    row = db.session.scalar(select(BuyerRequest))
    top = db.session.scalar(select(Match).where(Match.request_id == row.id).order_by(Match.rank))
    assert top.supplier_id == housing.id and top.status == "suggested"
    auth.logout()
    auth.login("specialist@example.com")
    html = client.get(f"/requests/{row.id}").get_data(as_text=True)
    assert "Diecast Co" in html and 'data-testid="reason"' in html and "has IATF 16949" in html


def test_a_request_is_saved_when_matching_fails(client, auth, users, db, monkeypatch):
    def broken(_rows):
        raise RuntimeError("encoder crashed")
    monkeypatch.setattr("matchmaker.rfq.views.suggest", broken)
    auth.login("buyer@example.com")
    response = post_request(client)
    assert response.status_code == 302
    assert db.session.scalar(select(BuyerRequest.title)) == "Aluminium housings"


@pytest.mark.parametrize("field, value", [("quantity", "99999999999999999999"), ("quantity", "0"),
                                          ("target_unit_price_usd", "1e30"), ("max_lead_time_days", "99999")])
def test_out_of_range_numbers_are_form_errors_not_500s(client, auth, users, db, field, value):
    auth.login("buyer@example.com")
    response = post_request(client, **{field: value})
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(BuyerRequest.id)) is None
