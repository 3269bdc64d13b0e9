"""Throttling per client address (and per recipient for account e-mail): the 429 page, never a 500."""
import pytest

from matchmaker.config import ConfigError
from matchmaker.extensions import db as _db
from tests.conftest import PASSWORD, csrf_token, make_app, reset_database

LIMITS = {"RATELIMIT_ENABLED": True, "RATELIMIT_SIGN_IN": "3 per minute", "RATELIMIT_ACCOUNT_MAIL": "3 per minute",
          "RATELIMIT_MAIL_RECIPIENT": "2 per hour"}


@pytest.fixture
def limited(tmp_path, database):
    """An app with small limits switched on (the other tests run without them), and an empty database."""
    app = make_app(tmp_path, database, **LIMITS)
    with app.app_context():
        reset_database()
        _db.create_all()
        from matchmaker.accounts import create_user
        create_user("buyer@example.com", PASSWORD, "buyer")
    yield app
    with app.app_context():
        _db.session.remove()
        reset_database()
        _db.engine.dispose()


def post_form(client, path: str, address: str = "127.0.0.1", **data):
    """POST a form from client ``address`` with the CSRF token of the form page."""
    page = client.get(path, environ_base={"REMOTE_ADDR": address})
    data["csrf_token"] = csrf_token(page.get_data(as_text=True))
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": address})


def test_sign_in_posts_past_the_limit_get_the_429_page(limited):
    client = limited.test_client()
    with limited.app_context():
        answers = [post_form(client, "/auth/login", email=f"guess{n}@example.com", password="x").status_code
                   for n in range(4)]
        assert answers == [200, 200, 200, 429]
        response = post_form(client, "/auth/login", email="buyer@example.com", password=PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and "Too many attempts in a short time" in html
    assert "<footer>" in html and 'class="brand"' in html  # the site's own error page
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/auth/login").status_code == 200  # reading the form is not counted


def test_other_addresses_are_not_throttled(limited):
    with limited.app_context():
        client = limited.test_client()
        for _ in range(4):
            post_form(client, "/auth/login", "10.0.0.1", email="a@example.com", password="x")
    with limited.app_context():
        other = limited.test_client()
        response = post_form(other, "/auth/login", "10.0.0.2", email="buyer@example.com", password=PASSWORD)
    assert response.status_code == 302


def test_the_forms_that_send_email_share_one_budget_per_address(limited):
    with limited.app_context():
        client = limited.test_client()
        codes = [post_form(client, "/auth/reset", email="a@example.com").status_code,
                 post_form(client, "/auth/confirm", email="b@example.com").status_code,
                 post_form(client, "/auth/register", email="c@example.com", password=PASSWORD,
                           confirm=PASSWORD).status_code,
                 post_form(client, "/auth/reset", email="d@example.com").status_code]
    assert codes == [302, 302, 302, 429]


def test_one_inbox_gets_few_emails_whatever_the_address_asking(limited):
    codes = []
    for n, email in enumerate(("buyer@example.com", "BUYER@example.com", "buyer@example.com", "other@example.com")):
        with limited.app_context():
            codes.append(post_form(limited.test_client(), "/auth/reset", f"10.0.1.{n}", email=email).status_code)
    assert codes == [302, 302, 429, 302]


def test_tests_and_operators_can_switch_it_off(app, client, auth, users):
    assert not app.config["RATELIMIT_ENABLED"]
    assert all(auth.login("nobody@example.com", "x").status_code == 200 for _ in range(12))


def test_an_unusable_storage_is_a_clean_start_up_error(tmp_path, database):
    with pytest.raises(ConfigError, match="MATCHMAKER_RATELIMIT_STORAGE_URI"):
        make_app(tmp_path, database, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="nosuchstore://x")
