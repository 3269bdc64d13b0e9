"""Admins see accounts and the audit log."""


def test_users_page_lists_accounts(client, auth, users):
    auth.login("admin@example.com")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "buyer@example.com" in html and "specialist@example.com" in html


def test_audit_log_shows_who_did_what(client, auth, users):
    auth.login("admin@example.com")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "user.login" in html and "admin@example.com" in html and "user.create" in html
