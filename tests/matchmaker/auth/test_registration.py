"""Registration by e-mail: the same answer for new and taken addresses, a link that confirms once and expires."""
import re
from datetime import timedelta

from sqlalchemy import select

from matchmaker.models import AuditEvent, User
from matchmaker.models._columns import clock_at, utcnow
from tests.conftest import PASSWORD, csrf_token, mail_link, sent_mail
from tests.matchmaker.auth.test_views import register

TOKEN_VALUE = re.compile(r'value="[^"]*"')


def same_page(html: str) -> str:
    """The page without its CSRF token (signed with a timestamp) and without the address typed."""
    return TOKEN_VALUE.sub("", html).replace("new@buyer.com", "EMAIL").replace("buyer@example.com", "EMAIL")


def test_new_and_taken_emails_get_the_same_answer(app, client, users, db):
    new = register(client, email="new@buyer.com")
    new_page = client.get(new.headers["Location"]).get_data(as_text=True)
    taken = register(client, email="buyer@example.com")
    taken_page = client.get(taken.headers["Location"]).get_data(as_text=True)
    assert (new.status_code, new.headers["Location"]) == (taken.status_code, taken.headers["Location"])
    assert same_page(new_page) == same_page(taken_page)
    assert "exists" not in taken_page
    # Each address got one e-mail, which says what only its owner may know.
    confirm, exists = sent_mail(app.instance_path)
    assert confirm["To"] == "new@buyer.com" and "Confirm your email address" in confirm["Subject"]
    assert exists["To"] == "buyer@example.com" and "Someone tried to register" in exists["Subject"]
    body = exists.get_content()
    assert "/auth/login" in body and "/auth/reset" in body and "/auth/confirm/" not in body
    assert db.session.scalar(select(AuditEvent.entity_id).where(AuditEvent.action == "user.register_again")) == \
        str(users["buyer"].id)


def test_the_confirmation_link_works_once_then_sign_in_goes_on(app, client, auth, db):
    register(client, email="new@buyer.com")
    refused = auth.login("new@buyer.com")  # the right password, but not confirmed yet
    assert refused.status_code == 200 and "Confirm your email address first" in refused.get_data(as_text=True)
    assert client.get("/requests/").status_code == 302
    link = mail_link(sent_mail(app.instance_path)[-1], "confirm")
    confirmed = client.get(link)
    assert confirmed.status_code == 302 and confirmed.headers["Location"].startswith("/auth/login")
    assert db.session.scalar(select(User.confirmed_at).where(User.email == "new@buyer.com")) is not None
    assert client.get("/requests/").status_code == 302  # the link itself signs nobody in
    again = client.get(link)
    assert again.status_code == 400 and "was used already" in again.get_data(as_text=True)
    assert auth.login("new@buyer.com").status_code == 302
    assert client.get("/requests/").status_code == 200


def test_registering_from_a_page_returns_there_after_confirming(app, client, auth):
    page = client.get("/auth/register?next=/saved")
    client.post("/auth/register?next=/saved", data={
        "email": "new@buyer.com", "password": PASSWORD, "confirm": PASSWORD,
        "csrf_token": csrf_token(page.get_data(as_text=True))})
    confirmed = client.get(mail_link(sent_mail(app.instance_path)[-1], "confirm"))
    assert confirmed.headers["Location"] == "/auth/login?next=/saved"
    assert auth.login("new@buyer.com", next_url="/saved").headers["Location"] == "/saved"


def test_the_confirmation_link_expires(app, client, db):
    with clock_at(utcnow() - timedelta(hours=app.config["CONFIRM_LINK_HOURS"], minutes=1)):
        register(client, email="new@buyer.com")
    response = client.get(mail_link(sent_mail(app.instance_path)[-1], "confirm"))
    assert response.status_code == 400 and "has expired" in response.get_data(as_text=True)
    assert db.session.scalar(select(User.confirmed_at).where(User.email == "new@buyer.com")) is None


def test_forged_and_damaged_links_are_a_clear_page(app, client, db):
    register(client, email="new@buyer.com")
    link = mail_link(sent_mail(app.instance_path)[-1], "confirm")
    for bad in (link[:-3], link + "x", "/auth/confirm/nonsense", "/auth/confirm/" + "A" * 3000):
        response = client.get(bad)
        assert response.status_code == 400 and "This link does not work" in response.get_data(as_text=True), bad
    assert db.session.scalar(select(User.confirmed_at).where(User.email == "new@buyer.com")) is None


def test_a_confirmation_token_signed_with_another_key_is_refused(app, client):
    register(client, email="new@buyer.com")
    link = mail_link(sent_mail(app.instance_path)[-1], "confirm")
    app.config["SECRET_KEY"] = "another secret key, as long as a real one"
    assert client.get(link).status_code == 400


def test_resending_the_link(app, client, users, db):
    register(client, email="new@buyer.com")
    for email in ("new@buyer.com", "buyer@example.com", "nobody@example.com"):
        page = client.get("/auth/confirm")
        response = client.post("/auth/confirm", data={"email": email,
                                                      "csrf_token": csrf_token(page.get_data(as_text=True))})
        assert response.status_code == 302 and response.headers["Location"] == "/auth/check-email"
    _, again, confirmed, unknown = sent_mail(app.instance_path)
    assert again["To"] == "new@buyer.com" and "/auth/confirm/" in again.get_content()
    assert confirmed["To"] == "buyer@example.com" and "has an account already" in confirmed.get_content()
    assert unknown["To"] == "nobody@example.com" and "there is no account" in unknown.get_content()
    assert client.get(mail_link(again, "confirm")).status_code == 302


def test_e_mail_is_in_the_language_of_the_page(app, client, users, db):
    client.get("/language/ko")
    register(client, email="new@buyer.com", name="Ana")
    assert "Ana 님, 안녕하세요." in sent_mail(app.instance_path)[-1].get_content()
    users["buyer"].locale = "en"
    db.session.commit()
    register(client, email="buyer@example.com")  # a known account: in the account's own language
    assert "Hello buyer@example.com," in sent_mail(app.instance_path)[-1].get_content()


def test_development_says_where_mail_goes(app, client):
    register(client, email="new@buyer.com")
    html = client.get("/auth/check-email").get_data(as_text=True)
    assert 'data-testid="mail-folder"' in html and app.config["MAIL_FILE_PATH"] in html
    app.config["MAIL_BACKEND"] = "smtp"
    assert 'data-testid="mail-folder"' not in client.get("/auth/check-email").get_data(as_text=True)


def test_accounts_made_by_staff_are_confirmed(users):
    assert all(user.is_confirmed for user in users.values())


def test_new_and_taken_emails_cost_the_same_password_hashing(client, users, monkeypatch):
    """Timing must not tell either: a taken address hashes the typed password like a new account does."""
    from matchmaker.auth import registration
    from matchmaker.models import user as accounts

    hashed = []
    for module in (registration, accounts):
        real = module.generate_password_hash
        monkeypatch.setattr(module, "generate_password_hash",
                            lambda password, real=real, **kw: hashed.append(1) or real(password, **kw))
    for email in ("new@buyer.com", "buyer@example.com"):
        hashed.clear()
        assert register(client, email=email).status_code == 302
        assert len(hashed) == 1, email
