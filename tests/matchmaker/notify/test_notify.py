"""Notifications: stored for the badge and list, e-mailed in the reader's language, never blocking the change."""
from sqlalchemy import select

from matchmaker.config import load_settings
from matchmaker.models import Notification
from matchmaker.notify import deliver, notify, staff_recipients, unread_count
from tests.conftest import csrf_token


def test_staff_recipients_are_the_active_specialists_else_the_admins(db, users):
    assert [u.email for u in staff_recipients()] == ["specialist@example.com"]
    users["specialist"].active = False
    db.session.commit()
    assert [u.email for u in staff_recipients()] == ["admin@example.com"]


def test_unknown_kinds_are_a_programming_error(db, users):
    import pytest
    with pytest.raises(ValueError):
        notify([users["buyer"]], "something_else")


def test_the_badge_counts_unread_and_the_list_marks_them_read(app, client, auth, users, db):
    rows = notify([users["buyer"]], "shortlist_published", "/requests/1", title="Brake pads", count=3)
    rows += notify([users["buyer"]], "introduction_made", "/requests/1", title="Brake pads", supplier="Brake Co")
    db.session.commit()
    assert unread_count(users["buyer"]) == 2
    auth.login("buyer@example.com")
    home = client.get("/").get_data(as_text=True)
    assert '<span class="count-badge" aria-label="2 unread">2</span>' in home
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Your shortlist is ready: Brake pads" in html and "a shortlist of 3 supplier(s)" in html
    assert "You have been introduced to Brake Co" in html and html.count('class="unread"') == 2
    assert unread_count(users["buyer"]) == 0
    assert 'class="count-badge"' not in client.get("/").get_data(as_text=True)
    assert 'class="unread"' not in client.get("/notifications/").get_data(as_text=True)


def test_people_see_only_their_own_notifications(client, auth, users, db):
    notify([users["specialist"]], "request_posted", "/requests/1", title="Secret plan", buyer="x")
    db.session.commit()
    auth.login("buyer@example.com")
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Secret plan" not in html and "Nothing yet." in html


def test_mark_all_read(client, auth, users, db):
    notify([users["buyer"]], "shortlist_published", "/requests/1", title="Brake pads", count=1)
    db.session.commit()
    auth.login("buyer@example.com")
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/notifications/read", data={"csrf_token": token}).status_code == 302
    assert unread_count(users["buyer"]) == 0


def test_e_mail_is_in_the_readers_language(app, users, db):
    users["buyer"].locale = "ko"
    db.session.commit()
    app.config["BASE_URL"] = "https://matchmaker.example"
    with app.test_request_context(headers={"Host": "evil.example"}):  # a forged Host never reaches the link
        rows = notify([users["buyer"]], "shortlist_published", "/requests/7", title="Brake pads", count=2)
        db.session.commit()
        assert deliver(rows) == 1
    [mail] = (app.instance_path and list((__import__("pathlib").Path(app.instance_path) / "mail").glob("*")))
    text = mail.read_text()
    assert "Brake pads" in text and "https://matchmaker.example/requests/7" in text and "evil" not in text
    assert db.session.scalar(select(Notification.emailed_at)) is not None


def test_a_failing_mail_server_keeps_the_change_and_the_notice(app, users, db, monkeypatch, caplog):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")
    monkeypatch.setattr("flask_mailman.EmailMessage.send", refuse)
    app.config["BASE_URL"] = "https://matchmaker.example"
    with app.test_request_context(headers={"Host": "evil.example"}):  # a forged Host never reaches the link
        rows = notify([users["buyer"]], "shortlist_published", "/requests/7", title="Brake pads", count=2)
        db.session.commit()
        assert deliver(rows) == 0
    row = db.session.scalar(select(Notification))
    assert row is not None and row.emailed_at is None and "could not e-mail" in caplog.text


def test_mail_settings_follow_the_environment(tmp_path):
    dev = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path)})
    assert dev["MAIL_BACKEND"] == "file" and dev["MAIL_FILE_PATH"] == str(tmp_path / "mail")
    prod = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path), "MATCHMAKER_ENV": "production"})
    assert prod["MAIL_BACKEND"] == "dummy"
    smtp = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path), "MATCHMAKER_MAIL_SERVER": "smtp.example.com",
                          "MATCHMAKER_MAIL_PORT": "465", "MATCHMAKER_MAIL_USE_SSL": "1"})
    assert (smtp["MAIL_BACKEND"], smtp["MAIL_SERVER"], smtp["MAIL_PORT"]) == ("smtp", "smtp.example.com", 465)
    assert smtp["MAIL_USE_SSL"] and not smtp["MAIL_USE_TLS"]
