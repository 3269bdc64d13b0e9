"""Per-account lockout: five wrong passwords lock the address, known or not, until the window passes or a reset."""
import re
from datetime import timedelta

from sqlalchemy import select

from matchmaker.auth import lockout
from matchmaker.models import AuditEvent, SignInFailure
from matchmaker.models._columns import as_utc, clock_at, utcnow
from tests.conftest import PASSWORD, AuthActions, csrf_token, mail_link, sent_mail

LOCKED = "Too many failed sign-ins with this email."
TOKEN_VALUE = re.compile(r'value="[^"]*"')


def fail(auth, email: str, times: int):
    """Sign in with a wrong password ``times`` times; the last page."""
    for _ in range(times):
        response = auth.login(email, "not the password at all")
    return response.get_data(as_text=True)


def age_failures(db, minutes: int) -> None:
    """Move every recorded failure ``minutes`` into the past (what waiting would do)."""
    for row in db.session.scalars(select(SignInFailure)):
        row.at = as_utc(row.at) - timedelta(minutes=minutes)
    db.session.commit()


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client, auth, users, db):
    assert "Wrong email or password." in fail(auth, "buyer@example.com", 4)
    assert LOCKED in fail(auth, "buyer@example.com", 1)
    response = auth.login("buyer@example.com")  # the right password, while locked
    assert response.status_code == 200 and LOCKED in response.get_data(as_text=True)
    assert client.get("/requests/").status_code == 302
    assert users["buyer"].last_login_at is None


def test_what_the_attacker_did_no_longer_works(client, auth, users, db):
    """The report: 50 wrong passwords were all answered and the 51st, the right one, signed in."""
    fail(auth, "buyer@example.com", 50)
    assert auth.login("buyer@example.com").status_code == 200
    assert client.get("/requests/").status_code == 302


def test_the_lock_ends_after_the_window(app, client, auth, users, db):
    fail(auth, "buyer@example.com", 5)
    age_failures(db, app.config["SIGN_IN_LOCKOUT_MINUTES"] - 1)
    assert LOCKED in auth.login("buyer@example.com").get_data(as_text=True)  # still locked (and counted again)
    age_failures(db, app.config["SIGN_IN_LOCKOUT_MINUTES"] + 1)
    assert auth.login("buyer@example.com").status_code == 302
    assert db.session.scalar(select(SignInFailure.id)) is None  # a sign-in forgets the failures


def test_failures_spread_wider_than_the_window_do_not_lock(app, db, users):
    with app.test_request_context():
        for minutes_ago in (60, 45, 30, 16):
            with clock_at(utcnow() - timedelta(minutes=minutes_ago)):
                lockout.record_failure("buyer@example.com", users["buyer"], "10.0.0.1", "password")
        assert not lockout.record_failure("buyer@example.com", users["buyer"], "10.0.0.1", "password")
        assert not lockout.is_locked("buyer@example.com")
        db.session.commit()
        # Rows past the window are dropped as new ones come.
        assert len(db.session.scalars(select(SignInFailure)).all()) == 1


def test_a_locked_unknown_email_answers_like_a_locked_account(app, users, db):
    pages = {}
    for email in ("buyer@example.com", "nobody@example.com"):
        with app.app_context():  # its own ``g``, and with it its own CSRF token
            auth = AuthActions(app.test_client())
            fail(auth, email, 5)
            locked = auth.login(email, PASSWORD if email == "buyer@example.com" else "any password")
        pages[email] = (locked.status_code, TOKEN_VALUE.sub("", locked.get_data(as_text=True)))
    assert pages["buyer@example.com"] == pages["nobody@example.com"]
    assert LOCKED in pages["nobody@example.com"][1]


def test_other_accounts_are_not_locked(client, auth, users):
    fail(auth, "buyer@example.com", 5)
    assert auth.login("specialist@example.com").status_code == 302


def test_a_password_reset_lifts_the_lock_and_signs_in(app, client, auth, users, db):
    fail(auth, "buyer@example.com", 6)
    page = client.get("/auth/reset")
    client.post("/auth/reset", data={"email": "buyer@example.com",
                                     "csrf_token": csrf_token(page.get_data(as_text=True))})
    link = mail_link(sent_mail(app.instance_path)[-1], "reset")
    page = client.get(link)
    response = client.post(link, data={"password": "a brand new password", "confirm": "a brand new password",
                                       "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302 and client.get("/requests/").status_code == 200
    auth.logout()
    assert auth.login("buyer@example.com", "a brand new password").status_code == 302
    assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "user.password_reset")) == \
        {"lock_lifted": True}


def test_failed_sign_ins_are_audited_and_shown_to_admins(app, client, auth, users, db):
    fail(auth, "buyer@example.com", 5)
    fail(auth, "nobody@example.com", 1)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(["user.login_failed", "user.locked"]))
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["user.login_failed"] * 5 + ["user.locked", "user.login_failed"]
    assert events[0].entity_id == str(users["buyer"].id) and events[-1].entity_id is None
    assert events[0].details == {"email": "buyer@example.com", "address": "127.0.0.1", "reason": "password"}
    assert events[-1].details["email"] == "nobody@example.com"
    assert "not the password" not in str([e.details for e in events])  # never the password typed
    auth.login("admin@example.com")
    log = client.get("/admin/audit?action=user.login_failed").get_data(as_text=True)
    assert log.count("<code>user.login_failed</code>") == 6 and "nobody@example.com" in log
    assert "<code>user.create</code>" not in log
    page = client.get(f"/admin/users/{users['buyer'].id}").get_data(as_text=True)
    assert 'data-testid="locked"' in page and "user.login_failed" in page


def test_an_admin_lifts_the_lock(app, client, auth, users, db):
    fail(auth, "buyer@example.com", 5)
    auth.login("admin@example.com")
    page = client.get(f"/admin/users/{users['buyer'].id}")
    response = client.post(f"/admin/users/{users['buyer'].id}/unlock",
                           data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert 'data-testid="locked"' not in client.get(f"/admin/users/{users['buyer'].id}").get_data(as_text=True)
    auth.logout()
    assert auth.login("buyer@example.com").status_code == 302
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "user.unlock")) == \
        users["admin"].id


def test_the_numbers_come_from_the_config(app, auth, users):
    app.config.update(SIGN_IN_MAX_FAILURES=2, SIGN_IN_LOCKOUT_MINUTES=1)
    assert LOCKED in fail(auth, "buyer@example.com", 2)
    assert "Wait 1 minute and try again" in auth.login("buyer@example.com").get_data(as_text=True)
