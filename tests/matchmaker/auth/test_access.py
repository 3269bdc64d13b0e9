"""Every route declares who may use it; the check fails closed."""
import pytest
from flask import Blueprint

from matchmaker.auth.access import PUBLIC, access_rule, roles_required
from tests.conftest import make_app

PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.register", "health.health", "catalog.index", "catalog.api_search",
                    "catalog.supplier", "i18n.switch", "auth.check_email", "auth.confirm_email",
                    "auth.resend_confirmation", "auth.forgot_password", "auth.reset_password"}


def test_every_endpoint_declares_an_access_rule(app):
    undeclared = [rule.endpoint for rule in app.url_map.iter_rules() if access_rule(app, rule.endpoint) is None]
    assert undeclared == []
    public = {rule.endpoint for rule in app.url_map.iter_rules() if access_rule(app, rule.endpoint) == PUBLIC}
    assert public == PUBLIC_ENDPOINTS


def _get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in PUBLIC_ENDPOINTS:
            yield rule.endpoint, rule.build({arg: 1 for arg in rule.arguments})[1]


def test_anonymous_visitors_are_sent_to_sign_in_from_every_route(app, client):
    for endpoint, url in _get_routes(app):
        response = client.get(url)
        assert response.status_code == 302, endpoint
        assert response.headers["Location"].startswith("/auth/login?next="), endpoint


@pytest.mark.parametrize("role, url, status", [
    ("buyer", "/admin/users", 403), ("buyer", "/admin/audit", 403),
    ("specialist", "/admin/users", 403), ("admin", "/admin/users", 200), ("admin", "/admin/audit", 200),
    ("buyer", "/", 200), ("buyer", "/requests/", 200), ("buyer", "/requests/new", 200)])
def test_roles(client, auth, users, role, url, status):
    auth.login(f"{role}@example.com")
    assert client.get(url).status_code == status


def test_a_view_without_a_rule_is_refused(tmp_path, database):
    app = make_app(tmp_path, database)
    bp = Blueprint("forgotten", __name__)
    bp.add_url_rule("/forgotten", "view", lambda: "secret")
    app.register_blueprint(bp)
    assert app.test_client().get("/forgotten").status_code == 403


def test_unknown_roles_are_a_programming_error():
    with pytest.raises(ValueError):
        roles_required("superuser")


def test_unknown_pages_are_404_in_the_site_layout(client, auth, users):
    auth.login("buyer@example.com")
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "There is no page at this address." in response.get_data(as_text=True)
