"""Sign-in, registration and sign-out through the real forms."""
from sqlalchemy import select

from matchmaker.models import AuditEvent, User
from tests.conftest import PASSWORD, csrf_token


def register(client, **fields):
    page = client.get("/auth/register")
    data = {"email": "new@buyer.com", "name": "Ana", "company": "Acme", "country": "de",
            "password": PASSWORD, "confirm": PASSWORD, "csrf_token": csrf_token(page.get_data(as_text=True))}
    data.update(fields)
    return client.post("/auth/register", data=data)


def test_buyer_registers_unconfirmed_and_is_told_to_check_their_email(client, db):
    response = register(client, email="  New@Buyer.com ")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/check-email"
    user = db.session.scalar(select(User).where(User.email == "new@buyer.com"))
    assert user.role == "buyer" and user.country == "DE" and user.check_password(PASSWORD)
    assert not user.is_confirmed
    page = client.get("/auth/check-email").get_data(as_text=True)
    assert "Check your inbox at new@buyer.com" in page
    assert client.get("/requests/").status_code == 302  # not signed in
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)) == "user.register"


def test_registration_with_a_taken_email_changes_nothing(client, users, db):
    before = users["buyer"].password_hash
    response = register(client, email="BUYER@example.com", password="another long password",
                        confirm="another long password")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/check-email"
    assert db.session.scalar(select(User.password_hash).where(User.email == "buyer@example.com")) == before
    assert db.session.scalar(select(User.id).where(User.email == "new@buyer.com")) is None


def test_registration_checks_password_length_and_confirmation(client, db):
    short = register(client, password="short", confirm="short").get_data(as_text=True)
    assert "at least 10 characters" in short
    mismatch = register(client, confirm="something else entirely").get_data(as_text=True)
    assert "do not match" in mismatch
    assert db.session.scalar(select(User.id)) is None


def test_sign_in_and_out(client, auth, users):
    response = auth.login("buyer@example.com")
    assert response.status_code == 302
    assert client.get("/requests/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert client.get("/requests/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, auth, users):
    wrong = auth.login("buyer@example.com", "not the password").get_data(as_text=True)
    unknown = auth.login("nobody@example.com").get_data(as_text=True)
    assert "Wrong email or password." in wrong and "Wrong email or password." in unknown
    assert client.get("/requests/").status_code == 302


def test_an_unknown_email_costs_a_password_check_like_a_known_one(client, auth, users, monkeypatch):
    """Timing must not tell which e-mails have accounts: every refusal checks one scrypt hash."""
    from matchmaker.models import user as accounts

    checked = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash",
                        lambda stored, password: checked.append(stored.split(":")[0]) or real(stored, password))
    for email in ("nobody@example.com", "buyer@example.com"):
        checked.clear()
        response = auth.login(email, "wrong password entirely")
        assert "Wrong email or password." in response.get_data(as_text=True)
        assert checked == ["scrypt"], email


def test_inactive_accounts_cannot_sign_in(client, auth, users, db):
    users["buyer"].active = False
    db.session.commit()
    assert "Wrong email or password." in auth.login("buyer@example.com").get_data(as_text=True)


def test_sign_in_follows_next_only_within_the_site(client, auth, users):
    assert auth.login("buyer@example.com", next_url="/requests/").headers["Location"] == "/requests/"
    auth.logout()
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        assert auth.login("buyer@example.com", next_url=target).headers["Location"] == "/"
        auth.logout()


def test_remember_me_sets_a_long_lived_http_only_cookie(client, auth, users):
    response = auth.login("buyer@example.com", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0] and "Expires=" in remember[0]


def test_without_remember_me_there_is_no_remember_cookie(client, auth, users):
    cookies = auth.login("buyer@example.com").headers.getlist("Set-Cookie")
    assert not [c for c in cookies if c.startswith("remember_token=")]


def test_session_cookie_is_http_only_and_same_site(client, auth, users):
    session = [c for c in auth.login("buyer@example.com").headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert session and "HttpOnly" in session[0] and "SameSite=Lax" in session[0] and "Secure" not in session[0]


def test_session_cookie_is_secure_when_configured(tmp_path, database):
    from tests.conftest import make_app
    app = make_app(tmp_path, database, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    response = app.test_client().get("/auth/login", base_url="https://localhost")
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookie and "Secure" in cookie[0]


def test_forms_without_a_csrf_token_are_refused(client, users, db):
    response = client.post("/auth/login", data={"email": "buyer@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    response = client.post("/auth/register", data={"email": "x@y.com", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400
    assert db.session.scalar(select(User.id).where(User.email == "x@y.com")) is None


def test_sign_out_is_post_only(client, auth, users):
    auth.login("buyer@example.com")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/requests/").status_code == 200  # still signed in


def test_signed_in_users_skip_the_sign_in_page(client, auth, users):
    auth.login("buyer@example.com")
    assert client.get("/auth/login").status_code == 302
    assert client.get("/auth/register").status_code == 302


def test_a_nul_character_in_a_sign_in_or_account_field_is_a_form_error(client, users):
    """PostgreSQL cannot store or compare a NUL: the forms refuse it before any query."""
    from tests.conftest import csrf_token
    page = client.get("/auth/login").get_data(as_text=True)
    answer = client.post("/auth/login", data={"csrf_token": csrf_token(page), "email": "buyer\x00@example.com",
                                               "password": "x" * 12})
    assert answer.status_code == 200 and "NUL character" in answer.get_data(as_text=True)
