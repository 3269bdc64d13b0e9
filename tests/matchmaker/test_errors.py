"""Error pages render in the layout with their status, and never fail themselves."""
import pytest
from flask import Blueprint

from matchmaker.auth.access import public
from tests.conftest import make_app


@pytest.fixture
def broken_app(tmp_path, database):
    app = make_app(tmp_path, database)
    bp = Blueprint("broken", __name__)

    @bp.route("/boom")
    @public
    def boom():
        raise RuntimeError("a bug in a view")

    app.register_blueprint(bp)
    with app.app_context():
        from matchmaker.extensions import db
        db.create_all()
    return app


def test_an_unhandled_error_is_the_500_page_in_the_layout(broken_app, caplog):
    response = broken_app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side." in html and 'class="skip"' in html  # inside the layout
    assert "a bug in a view" in caplog.text  # logged with its traceback


def test_the_error_page_falls_back_to_plain_html_when_the_layout_fails(broken_app, monkeypatch, caplog):
    def failing(*_args, **_kwargs):
        raise RuntimeError("database is down")
    monkeypatch.setattr("matchmaker.errors.render_template", failing)
    response = broken_app.test_client().get("/boom")
    assert response.status_code == 500 and response.content_type.startswith("text/html")
    assert "Something went wrong on our side." in response.get_data(as_text=True)
    assert "could not be rendered" in caplog.text
    assert broken_app.test_client().get("/nothing/here").status_code == 404


@pytest.mark.parametrize("method, url, status, words", [
    ("get", "/no/such/page", 404, "There is no page at this address."),
    ("delete", "/", 405, "This page does not accept that method."),
    ("post", "/auth/login", 400, "This form expired"),
])
def test_http_errors_keep_their_status_and_say_what_happened(client, method, url, status, words):
    response = getattr(client, method)(url)
    assert response.status_code == status and words in response.get_data(as_text=True)


def test_a_body_over_the_limit_is_413(client, auth, users):
    auth.login("buyer@example.com")
    response = client.post("/requests/new", data={"description": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    assert "What you sent is too large." in response.get_data(as_text=True)


def test_a_403_is_in_the_layout(client, auth, users):
    auth.login("buyer@example.com")
    response = client.get("/admin/users")
    assert response.status_code == 403 and "You do not have access to this page." in response.get_data(as_text=True)
