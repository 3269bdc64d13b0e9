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
    audited = select(AuditEvent.entity_id).where(AuditEvent.action == "request.create")
    assert db.session.scalar(audited) == row.external_id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aluminium housings" in html and "IATF 16949, ISO 14001" in html


def test_invalid_request_shows_errors_and_saves_nothing(client, auth, users, db):
    auth.login("buyer@example.com")
    response = post_request(client, title="", quantity="-4", buyer_country="ZZ")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This field is required." in html and "Not a valid choice." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="title-help title-error"' in html
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
    html = client.get("/requests/", follow_redirects=True).get_data(as_text=True)  # the queue, for staff
    assert "Brake pads" in html and "Kimchi" in html
    detail = client.get(f"/requests/{request.id}", follow_redirects=True).get_data(as_text=True)
    assert "Brake Co" in detail and '<span class="native" lang="ko">브레이크</span>' in detail
    assert "Proposed" in detail


def test_buyer_sees_no_staff_sections(client, auth, users, make_request):
    request = make_request(buyer_id=users["buyer"].id)
    auth.login("buyer@example.com")
    html = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Candidates" not in html and "sales team only" not in html and "Publish" not in html
    assert 'data-testid="reviewing"' in html  # no shortlist yet: the team is reviewing


def test_empty_states_say_what_each_tab_holds(client, auth, users, make_request):
    auth.login("buyer@example.com")
    assert "No requests yet" in client.get("/requests/").get_data(as_text=True)
    make_request(title="Open one", buyer_id=users["buyer"].id)
    closed_tab = client.get("/requests/?status=closed").get_data(as_text=True)
    assert "No requests yet" not in closed_tab and "No closed requests" in closed_tab
    make_request(title="Closed one", status="closed", buyer_id=users["buyer"].id)
    make_request(title="Withdrawn one", status="withdrawn", buyer_id=users["buyer"].id)
    open_tab = client.get("/requests/?status=open").get_data(as_text=True)
    assert "Open one" in open_tab and "Closed one" not in open_tab and "Withdrawn one" not in open_tab
    closed_tab = client.get("/requests/?status=closed").get_data(as_text=True)
    assert "Closed one" in closed_tab and "Withdrawn one" in closed_tab and "Open one" not in closed_tab
    assert "Posted" in client.get("/requests/").get_data(as_text=True)  # each row's status, in words


def test_posting_a_request_matches_it_at_once(client, auth, users, db, make_supplier, runner):
    housing = make_supplier(name="다이캐스트", name_en="Diecast Co", industry="auto-parts",
                            description="Aluminium die casting of housings for automotive parts",
                            certifications=["IATF 16949"], export_markets=["DE"],
                            products=[{"name": "die-cast aluminium housings", "moq": 1000, "unit": "pcs",
                                       "lead_time_days": 30}])
    make_supplier(name="김치", name_en="Kimchi Co", industry="food", description="Kimchi and sauces")
    assert runner.invoke(args=["reindex"]).exit_code == 0
    auth.login("buyer@example.com")
    response = post_request(client)
    row = db.session.scalar(select(BuyerRequest))
    top = db.session.scalar(select(Match).where(Match.request_id == row.id).order_by(Match.rank))
    assert top.supplier_id == housing.id and top.status == "suggested"
    # The buyer lands on the request and sees the suggestions at once, labelled as such, with reasons and fit.
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="suggestion-label"' in html and "Automatic suggestions" in html
    suggestions = html.split('data-testid="suggestions"')[1]
    assert "Diecast Co" in suggestions and 'data-testid="reason"' in suggestions
    assert "has IATF 16949" in suggestions and 'class="fit-met"' in suggestions
    assert "Kimchi Co" not in suggestions
    assert f"/requests/introduce/{housing.id}?request={row.id}" in suggestions
    auth.logout()
    auth.login("specialist@example.com")
    html = client.get(f"/requests/{row.id}", follow_redirects=True).get_data(as_text=True)
    assert "Diecast Co" in html and 'data-testid="reason"' in html and "has IATF 16949" in html


def test_a_request_is_saved_when_matching_fails(client, auth, users, db, monkeypatch):
    def broken(_rows):
        raise RuntimeError("encoder crashed")
    monkeypatch.setattr("matchmaker.rfq.service.suggest", broken)
    auth.login("buyer@example.com")
    response = post_request(client)
    assert response.status_code == 302
    assert db.session.scalar(select(BuyerRequest.title)) == "Aluminium housings"


@pytest.mark.parametrize("field, value", [
    ("quantity", "99999999999999999999"), ("quantity", "0"), ("quantity", "-1"), ("quantity", "1.5"),
    ("quantity", "abc"), ("target_unit_price_usd", "1e30"), ("target_unit_price_usd", "0"),
    ("target_unit_price_usd", "-3"), ("target_unit_price_usd", "NaN"), ("target_unit_price_usd", "Infinity"),
    ("target_unit_price_usd", "-inf"), ("target_unit_price_usd", "sNaN"), ("max_lead_time_days", "99999"),
    ("max_lead_time_days", "0"), ("deadline", "1999-01-01"), ("deadline", "2999-01-01"), ("deadline", "31/12/2027"),
    ("deadline", "9999999-01-01"), ("buyer_country", "ZZ"), ("buyer_country", "EU"), ("buyer_country", ""),
    ("unit", "parsecs"), ("industry", "weapons"), ("title", "x"), ("title", "t" * 301),
    ("description", "short"), ("description", "d" * 20001),
    ("required_certifications", ", ".join(f"Scheme {chr(65 + i)}" for i in range(11))),
    ("required_certifications", "ISO 9001, " + "x" * 101), ("required_certifications", "ISO 9001, ---"),
    ("max_lead_time_days", "3651"), ("quantity", "1000000001"), ("target_unit_price_usd", "1000000000.01"),
    ("title", "Brake\x00 pads"), ("description", "We need brake pads\x00 for trucks"),
    ("required_certifications", "ISO\x00 9001"),
])
def test_out_of_range_numbers_are_form_errors_not_500s(client, auth, users, db, field, value):
    auth.login("buyer@example.com")
    response = post_request(client, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="error"' in html
    assert f'id="{field}-error"' in html  # the message sits by the field it is about
    assert db.session.scalar(select(BuyerRequest.id)) is None


def test_a_quantity_needs_its_unit(client, auth, users, db):
    auth.login("buyer@example.com")
    html = post_request(client, unit="").get_data(as_text=True)
    assert "Choose the unit of the quantity." in html and 'id="unit-error"' in html
    assert db.session.scalar(select(BuyerRequest.id)) is None


def test_certifications_are_normalized_and_free_entries_kept(client, auth, users, db):
    auth.login("buyer@example.com")
    post_request(client, required_certifications="iso9001:2015; Halal (MUI), KS Q ISO 9001")
    assert db.session.scalar(select(BuyerRequest.required_certifications)) == ["ISO 9001", "Halal (MUI)"] or \
        db.session.scalar(select(BuyerRequest.required_certifications))[0] == "ISO 9001"


def test_the_form_marks_required_fields_and_offers_lists(client, auth, users):
    auth.login("buyer@example.com")
    html = client.get("/requests/new").get_data(as_text=True)
    assert "Fields marked * are required." in html
    assert '<label for="title" class="required">Title<span class="req" aria-hidden="true"> *</span></label>' in html
    assert '<label for="quantity">Quantity</label>' in html
    assert '<option value="DE">Germany</option>' in html and '<option value="ZZ"' not in html
    assert '<option value="pcs">pieces (pcs)</option>' in html
    assert '<datalist id="certification-names">' in html and '<option value="IATF 16949">' in html


def test_the_request_form_takes_the_contracts_limits(client, auth, users, db):
    """The largest values the contract allows are accepted, and the inputs say so to the browser."""
    auth.login("buyer@example.com")
    html = client.get("/requests/new").get_data(as_text=True)
    assert 'max="3650"' in html and 'max="1000000000"' in html and 'maxlength="20000"' in html
    response = post_request(client, max_lead_time_days="3650", quantity="1000000000",
                            target_unit_price_usd="1000000000", title="t" * 300, description="d" * 20_000)
    assert response.status_code == 302
    assert db.session.scalar(select(BuyerRequest.max_lead_time_days)) == 3650
