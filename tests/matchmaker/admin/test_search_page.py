"""The admin's Search page: live index facts, the outbox with its failures, and "retry now"."""
from sqlalchemy import select

import matchmaker.search_sync as sync
from matchmaker.models import SearchOutboxEntry
from tests.conftest import csrf_token


def test_only_admins_see_it(client, auth, users):
    auth.login("specialist@example.com")
    assert client.get("/admin/search").status_code == 403
    auth.logout()
    assert client.get("/admin/search").status_code in (302, 401)


def test_empty_outbox_and_no_index_yet(client, auth, users):
    auth.login("admin@example.com")
    html = client.get("/admin/search").get_data(as_text=True)
    assert 'data-testid="outbox-empty"' in html and "none yet: run matchmaker reindex" in html
    assert 'href="/admin/search"' in html  # in the admin's navigation


def test_failed_changes_are_listed_and_retried_on_request(app, client, auth, users, make_supplier, runner):
    supplier = make_supplier(external_id="SHOWN", description="anodized housings")
    assert runner.invoke(args=["reindex"]).exit_code == 0
    with app.app_context():
        sync.enqueue(["SHOWN", "GONE-1"], "ConnectionError: search cluster down")
    auth.login("admin@example.com")
    html = client.get("/admin/search").get_data(as_text=True)
    assert "Serving" in html and "Suppliers indexed" in html
    assert "2 change(s) for 2 supplier(s)" in html and "2 failed and wait for a retry." in html
    assert f'href="/suppliers/{supplier.id}">SHOWN</a>' in html and "GONE-1" in html
    assert "ConnectionError: search cluster down" in html
    response = client.post("/admin/search/retry", data={"csrf_token": csrf_token(html)}, follow_redirects=True)
    assert "2 failed change(s) will be retried now." in response.get_data(as_text=True)
    with app.app_context():
        assert [row.next_attempt_at for row in sync.db.session.scalars(select(SearchOutboxEntry))] == [None, None]
    assert client.post("/admin/search/retry", data={}).status_code == 400  # no CSRF token
