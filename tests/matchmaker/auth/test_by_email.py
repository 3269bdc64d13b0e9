"""Password reset by e-mail: the same answer for every address, a link that works once and expires."""
from datetime import timedelta

from sqlalchemy import select

from matchmaker.models import AuditEvent, User
from matchmaker.models._columns import clock_at, utcnow
from tests.conftest import PASSWORD, csrf_token, mail_link, sent_mail

NEW = "a brand new password"


def ask_for_reset(client, email: str):
    page = client.get("/auth/reset")
    return client.post("/auth/reset", data={"email": email, "csrf_token": csrf_token(page.get_data(as_text=True))})


def set_new_password(client, link: str, password: str = NEW, confirm: str | None = None):
    token = csrf_token(client.get("/auth/reset").get_data(as_text=True))  # the session's, good for every form
    return client.post(link, data={"password": password, "confirm": password if confirm is None else confirm,
                                   "csrf_token": token})


def test_the_sign_in_page_leads_to_the_reset_form(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/reset"' in html and "Forgot your password?" in html
    assert 'href="/auth/confirm"' in html


def test_known_and_unknown_addresses_get_the_same_answer(app, client, users):
    known, unknown = ask_for_reset(client, "Buyer@Example.com "), ask_for_reset(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/auth/check-email"
    reset, none = sent_mail(app.instance_path)
    assert reset["To"] == "buyer@example.com" and "/auth/reset/" in reset.get_content()
    assert none["To"] == "nobody@example.com" and "no account" in none.get_content()
    assert "/auth/reset/" not in none.get_content()


def test_the_link_sets_a_new_password_and_signs_in_once(app, client, auth, users, db):
    ask_for_reset(client, "buyer@example.com")
    link = mail_link(sent_mail(app.instance_path)[-1], "reset")
    page = client.get(link)
    assert page.status_code == 200 and "buyer@example.com" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    response = set_new_password(client, link)
    assert response.status_code == 302 and client.get("/requests/").status_code == 200
    assert db.session.get(User, users["buyer"].id).check_password(NEW)
    auth.logout()
    again = client.get(link)
    assert again.status_code == 400 and "was used already" in again.get_data(as_text=True)
    assert set_new_password(client, link, "a third new password").status_code == 400
    assert auth.login("buyer@example.com", NEW).status_code == 302
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "user.password_reset")) == \
        users["buyer"].id


def test_an_older_link_dies_when_the_password_changes(app, client, users, runner):
    ask_for_reset(client, "buyer@example.com")
    link = mail_link(sent_mail(app.instance_path)[-1], "reset")
    runner.invoke(args=["users", "set-password", "buyer@example.com", "--password", "changed by an admin"])
    assert client.get(link).status_code == 400


def test_the_link_expires(app, client, users, db):
    with clock_at(utcnow() - timedelta(minutes=app.config["RESET_LINK_MINUTES"] + 1)):
        ask_for_reset(client, "buyer@example.com")
    link = mail_link(sent_mail(app.instance_path)[-1], "reset")
    response = client.get(link)
    assert response.status_code == 400 and "has expired" in response.get_data(as_text=True)
    assert set_new_password(client, link).status_code == 400
    assert db.session.get(User, users["buyer"].id).check_password(PASSWORD)


def test_forged_links_are_a_clear_page_not_an_error(app, client, users, db):
    ask_for_reset(client, "buyer@example.com")
    link = mail_link(sent_mail(app.instance_path)[-1], "reset")
    confirm_salt = link.replace("/auth/reset/", "/auth/confirm/")  # a reset token is no confirmation token
    for bad in (link[:-2], "/auth/reset/x", "/auth/reset/" + "é" * 50, "/auth/reset/a.b.c"):
        response = client.get(bad)
        assert response.status_code == 400 and "This link does not work" in response.get_data(as_text=True), bad
    assert client.get(confirm_salt).status_code == 400


def test_the_new_password_follows_the_registration_rules(app, client, users, db):
    ask_for_reset(client, "buyer@example.com")
    link = mail_link(sent_mail(app.instance_path)[-1], "reset")
    assert "at least 10 characters" in set_new_password(client, link, "short").get_data(as_text=True)
    assert "do not match" in set_new_password(client, link, NEW, "something else").get_data(as_text=True)
    assert db.session.get(User, users["buyer"].id).check_password(PASSWORD)


def test_a_reset_confirms_an_unconfirmed_address(app, client, auth, db):
    from tests.matchmaker.auth.test_views import register
    register(client, email="new@buyer.com")
    ask_for_reset(client, "new@buyer.com")
    set_new_password(client, mail_link(sent_mail(app.instance_path)[-1], "reset"))
    assert db.session.scalar(select(User.confirmed_at).where(User.email == "new@buyer.com")) is not None
    assert client.get("/requests/").status_code == 200
