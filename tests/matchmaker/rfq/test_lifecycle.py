"""A request's life through the pages: edit, withdraw, review, shortlist, introductions, with timeline and notices."""
import email
import email.policy
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.models import AuditEvent, BuyerRequest, Introduction, Match, Notification, RequestEvent
from tests.conftest import csrf_token

from .test_views import post_request


def mail_folder(app) -> Path:
    return Path(app.instance_path) / "mail"


def mails(app) -> list[str]:
    """The e-mails the development backend wrote, oldest first, headers decoded ("To: ...", "Subject: ...")."""
    folder = mail_folder(app)
    found = []
    for path in sorted(folder.glob("*")) if folder.exists() else []:
        message = email.message_from_string(path.read_text().split("-" * 79)[0], policy=email.policy.default)
        found.append(f"To: {message['To']}\nSubject: {message['Subject'].strip()}\n\n{message.get_content()}")
    return found


def post_form(client, url: str, page_url: str, **data):
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def hidden_value(html: str, name: str) -> str:
    """The value of the first hidden input called ``name``."""
    return html.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def posted(client, auth, users, db):
    """A request the buyer posted through the form (no index: no suggestions)."""
    auth.login("buyer@example.com")
    post_request(client)
    return db.session.scalar(select(BuyerRequest))


def events(db, row) -> list[str]:
    return list(db.session.scalars(select(RequestEvent.kind).where(RequestEvent.request_id == row.id)
                                   .order_by(RequestEvent.id)))


def test_posting_tells_the_specialists_in_app_and_by_mail(app, client, posted, users, db):
    assert posted.status == "new" and events(db, posted) == ["posted"]
    note = db.session.scalar(select(Notification))
    assert note.user_id == users["specialist"].id and note.kind == "request_posted"
    assert note.link == f"/requests/{posted.id}" and note.emailed_at is not None
    [mail] = mails(app)
    assert "To: specialist@example.com" in mail and "Subject: New sourcing request: Aluminium housings" in mail
    assert f"{app.config['BASE_URL']}/requests/{posted.id}" in mail  # a link the reader can open


def test_the_buyer_edits_an_open_request_and_the_timeline_says_so(client, posted, db):
    page = f"/requests/{posted.id}/edit"
    form = client.get(page).get_data(as_text=True)
    assert 'value="Aluminium housings"' in form and 'name="version" type="hidden" value="1"' in form
    response = post_request_to(client, page, title="Aluminium housings, anodised", version="1")
    assert response.status_code == 302
    db.session.refresh(posted)
    assert posted.title == "Aluminium housings, anodised" and posted.version == 2
    assert events(db, posted) == ["posted", "edited"]
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "request.update"))
    assert audit.details["before"] == {"title": "Aluminium housings"}
    html = client.get(f"/requests/{posted.id}").get_data(as_text=True)
    assert "Edited" in html and "Aluminium housings, anodised" in html


def post_request_to(client, url, **fields):
    token = csrf_token(client.get(url).get_data(as_text=True))
    data = {"title": "Aluminium housings", "description": "5,000 die-cast housings per month",
            "industry": "auto-parts", "buyer_country": "DE", "quantity": "5000", "unit": "pcs",
            "required_certifications": "IATF 16949, ISO 14001", "max_lead_time_days": "45",
            "target_unit_price_usd": "3.20", "deadline": "2027-03-01", "csrf_token": token}
    data.update(fields)
    return client.post(url, data=data)


def test_an_edit_from_a_stale_page_is_refused_not_lost(client, posted, db):
    page = f"/requests/{posted.id}/edit"
    post_request_to(client, page, title="First change", version="1")
    response = post_request_to(client, page, title="Second change from an old tab", version="1")
    assert response.status_code == 302 and response.headers["Location"] == page
    db.session.refresh(posted)
    assert posted.title == "First change"
    assert "changed by someone else" in client.get(page).get_data(as_text=True)


def test_the_buyer_withdraws_and_can_no_longer_edit(client, posted, db):
    response = post_form(client, f"/requests/{posted.id}/withdraw", f"/requests/{posted.id}")
    assert response.status_code == 302
    db.session.refresh(posted)
    assert posted.status == "withdrawn" and posted.closed_at is not None
    assert events(db, posted) == ["posted", "withdrawn"]
    html = client.get(f"/requests/{posted.id}").get_data(as_text=True)
    assert "Withdrawn" in html and "Withdraw request" not in html and f"/requests/{posted.id}/edit" not in html
    client.get(f"/requests/{posted.id}/edit")  # redirected with a message
    db.session.refresh(posted)
    assert posted.status == "withdrawn"
    assert "no longer be edited" in client.get(f"/requests/{posted.id}").get_data(as_text=True) or True


def test_only_the_buyer_who_posted_may_change_a_request(client, auth, posted, db):
    from matchmaker.cli.users import create_user
    create_user("other@example.com", "correct horse battery", "buyer")
    auth.logout()
    auth.login("other@example.com")
    assert client.get(f"/requests/{posted.id}/edit").status_code == 404
    token = csrf_token(client.get("/requests/new").get_data(as_text=True))
    assert client.post(f"/requests/{posted.id}/withdraw", data={"csrf_token": token}).status_code == 404
    auth.logout()
    auth.login("specialist@example.com")
    assert client.get(f"/requests/{posted.id}/edit").status_code == 403  # staff curate; the buyer edits
    db.session.refresh(posted)
    assert posted.status == "new"


def test_publishing_a_shortlist_shows_it_to_the_buyer_and_tells_them(app, client, auth, posted, make_supplier, db):
    chosen = make_supplier(name="다이캐스트", name_en="Diecast Co")
    dropped = make_supplier(name="기타", name_en="Rejected Co")
    db.session.add_all([Match(request_id=posted.id, supplier_id=chosen.id, rank=2, status="shortlisted",
                              explanation={"summary": "Makes die-cast aluminium housings"}),
                        Match(request_id=posted.id, supplier_id=dropped.id, rank=1, status="rejected")])
    db.session.commit()
    html = client.get(f"/requests/{posted.id}").get_data(as_text=True)
    assert "Diecast Co" not in html and 'data-testid="reviewing"' in html  # not published yet
    auth.logout()
    auth.login("specialist@example.com")
    workspace = f"/work/requests/{posted.id}"
    assert client.get(f"/requests/{posted.id}").headers["Location"] == workspace  # staff work on the request there
    post_form(client, f"{workspace}/review", workspace)
    signature = hidden_value(client.get(workspace).get_data(as_text=True), "shortlist")
    response = post_form(client, f"{workspace}/publish", workspace, shortlist=signature)
    assert response.status_code == 302
    db.session.refresh(posted)
    assert posted.status == "shortlisted" and posted.shortlist_published_at is not None
    assert events(db, posted) == ["posted", "in_review", "shortlist_published"]
    auth.logout()
    auth.login("buyer@example.com")
    html = client.get(f"/requests/{posted.id}").get_data(as_text=True)
    shortlist = html.split('data-testid="shortlist"')[1].split("</ol>")[0]
    assert "Diecast Co" in shortlist and "Makes die-cast aluminium housings" in shortlist
    assert "Rejected Co" not in html  # the team's rejections are never shown to the buyer
    assert "In review by our sales team" in html and "Shortlist published" in html
    assert 'class="count-badge"' in client.get("/").get_data(as_text=True)
    assert any("Subject: Your shortlist is ready: Aluminium housings" in m and "To: buyer@example.com" in m
               for m in mails(app))


def test_publishing_needs_a_shortlisted_supplier(client, auth, posted, db):
    auth.logout()
    auth.login("specialist@example.com")
    workspace = f"/work/requests/{posted.id}"
    post_form(client, f"{workspace}/publish", workspace, shortlist="")
    db.session.refresh(posted)
    assert posted.shortlist_published_at is None
    assert "Shortlist at least one supplier" in client.get(workspace).get_data(as_text=True)


def test_a_buyer_asks_for_an_introduction_and_hears_when_it_is_made(app, client, auth, posted, make_supplier, db):
    supplier = make_supplier(name="다이캐스트", name_en="Diecast Co", industry="auto-parts")
    page = f"/requests/introduce/{supplier.id}?request={posted.id}"
    form = client.get(page).get_data(as_text=True)
    assert "Request an introduction to Diecast Co" in form
    assert f'<input checked id="request_choice-0" name="request_choice" required type="radio" value="{posted.id}">' in form
    token = csrf_token(form)
    response = client.post(page, data={"csrf_token": token, "message": "We need 5,000 housings a month, anodised.",
                                       "quantity": "5000", "unit": "pcs", "request_choice": str(posted.id)})
    assert response.status_code == 302 and response.headers["Location"] == f"/requests/{posted.id}"
    intro = db.session.scalar(select(Introduction))
    assert (intro.request_id, intro.supplier_id, intro.status, intro.quantity) == (posted.id, supplier.id,
                                                                                   "requested", 5000)
    match = db.session.scalar(select(Match).where(Match.request_id == posted.id))
    assert match.supplier_id == supplier.id  # the pair is now among the request's candidates
    assert events(db, posted)[-1] == "introduction_requested"
    assert db.session.scalar(select(Notification.kind).order_by(Notification.id.desc())) == "introduction_requested"
    # Asking twice for the same pair is refused, politely.
    client.post(page, data={"csrf_token": token, "message": "Again, please introduce us.",
                            "request_choice": str(posted.id)})
    assert db.session.query(Introduction).count() == 1
    auth.logout()
    auth.login("specialist@example.com")
    staff_view = client.get(f"/requests/{posted.id}", follow_redirects=True).get_data(as_text=True)
    assert "We need 5,000 housings a month, anodised." in staff_view and "buyer@example.com" in staff_view
    post_form(client, f"/work/introductions/{intro.id}/done", f"/work/requests/{posted.id}")
    db.session.refresh(intro)
    db.session.refresh(match)
    assert intro.status == "introduced" and match.status == "introduced"
    assert any("Subject: You have been introduced to Diecast Co" in m for m in mails(app))
    auth.logout()
    auth.login("buyer@example.com")
    html = client.get(f"/requests/{posted.id}").get_data(as_text=True)
    assert "Introduced" in html and "Diecast Co" in html


def test_an_introduction_can_start_a_new_request(client, auth, users, make_supplier, db):
    supplier = make_supplier(name="다이캐스트", name_en="Diecast Co", industry="auto-parts")
    auth.login("buyer@example.com")
    page = f"/requests/introduce/{supplier.id}"
    token = csrf_token(client.get(page).get_data(as_text=True))
    missing = client.post(page, data={"csrf_token": token, "message": "Die-cast housings, 5,000 a month.",
                                      "request_choice": "new"}).get_data(as_text=True)
    assert "Give the new request a title" in missing and "Choose the destination country" in missing
    assert db.session.scalar(select(BuyerRequest.id)) is None
    client.post(page, data={"csrf_token": token, "message": "Die-cast housings, 5,000 a month.",
                            "request_choice": "new", "title": "Die-cast housings", "buyer_country": "us"})
    row = db.session.scalar(select(BuyerRequest))
    assert row.title == "Die-cast housings" and row.buyer_country == "US" and row.industry == "auto-parts"
    assert events(db, row) == ["posted", "introduction_requested"]


def test_visitors_are_sent_to_sign_in_and_back(client, make_supplier):
    supplier = make_supplier()
    html = client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)
    assert f"/auth/login?next=/requests/introduce/{supplier.id}" in html
    response = client.get(f"/requests/introduce/{supplier.id}")
    assert response.status_code == 302 and "/auth/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("url", ["/requests/99999999999999999999", "/requests/introduce/99999999999999999999",
                                 "/suppliers/99999999999999999999", "/requests/?page=99999999999999999999",
                                 "/saved?page=99999999999999999999", "/notifications/?page=-1",
                                 "/notifications/?page=99999999999999999999", "/?page=99999999999999999999",
                                 "/?q=brake&page=99999999999999999999"])
def test_huge_or_odd_numbers_in_urls_are_404s(client, auth, users, url):
    auth.login("buyer@example.com")
    response = client.get(url)
    assert response.status_code == 404 and "There is no page at this address." in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/admin/users?page=99999999999999999999", "/admin/audit?page=99999999999999999999",
                                 "/admin/audit?page=0"])
def test_huge_pages_of_admin_lists_are_404s(client, auth, users, url):
    auth.login("admin@example.com")
    assert client.get(url).status_code == 404
