"""Admins create accounts, change roles and shut accounts out in the browser."""
import re

import pytest
from sqlalchemy import select

from matchmaker.accounts import change_role, set_active
from matchmaker.models import AuditEvent, User
from matchmaker.routing import MAX_ID
from tests.conftest import AuthActions, csrf_token


def post(client, page_url, action_url, data):
    """Post ``data`` to ``action_url`` with the CSRF token of the form on ``page_url``."""
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(action_url, data={"csrf_token": token, **data})


def new_account(client, **fields):
    data = {"email": "kim@team.kr", "name": "Kim", "company": "", "role": "specialist", "password": ""}
    data.update(fields)
    return post(client, "/admin/users/new", "/admin/users/new", data)


def user_id(db, email):
    return db.session.scalar(select(User.id).where(User.email == email))


def flashes(response) -> str:
    return " ".join(re.findall(r'<p class="flash[^"]*" role="status">([^<]*)</p>', response.get_data(as_text=True)))


@pytest.fixture
def admin(client, auth, users):
    """``client`` signed in as the admin."""
    auth.login("admin@example.com")
    return client


def test_create_with_a_typed_password_and_sign_in_with_it(admin, auth, db):
    response = new_account(admin, password="a typed secret", company="Hanbit")
    new_id = user_id(db, "kim@team.kr")
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/users/{new_id}"
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Account kim@team.kr created." in html and "Hanbit" in html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                       AuditEvent.entity_id == str(new_id)))
    assert event.details == {"after": {"email": "kim@team.kr", "role": "specialist", "name": "Kim"}}
    auth.logout()
    assert auth.login("kim@team.kr", "a typed secret").headers["Location"] == "/"


def test_a_generated_password_is_shown_once_and_works(admin, auth, db):
    response = new_account(admin, role="admin")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = re.search(r'data-testid="password">([^<]+)<', html).group(1)
    assert len(password) >= 10 and password not in str(db.session.scalars(select(AuditEvent.details)).all())
    assert password not in admin.get(f"/admin/users/{user_id(db, 'kim@team.kr')}").get_data(as_text=True)
    auth.logout()
    auth.login("kim@team.kr", password)
    assert admin.get("/admin/users").status_code == 200  # signed in, and an admin


@pytest.mark.parametrize("fields, message", [
    ({"email": "Specialist@Example.com"}, "An account with email specialist@example.com exists already."),
    ({"password": "short"}, "The password must have at least 10 characters."),
    ({"email": "kim@team"}, "is not an email address"),
    ({"email": ""}, "This field is required."),
    ({"role": "root"}, "Not a valid choice"),
    ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
])
def test_refused_accounts_are_explained_on_the_form(admin, db, fields, message):
    before = db.session.scalar(select(User.id).order_by(User.id.desc()))
    response = new_account(admin, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and 'aria-invalid="true"' in html
    assert db.session.scalar(select(User.id).order_by(User.id.desc())) == before


def test_change_role_is_audited_and_readable_in_the_log(admin, users, db):
    page = f"/admin/users/{users['specialist'].id}"
    response = post(admin, page, f"{page}/role", {"role": "admin", "seen_role": "specialist"})
    assert response.headers["Location"] == page
    assert "specialist@example.com is now Admin." in flashes(admin.get(page))
    db.session.expire_all()
    assert db.session.get(User, users["specialist"].id).role == "admin"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role"))
    assert event.actor_id == users["admin"].id
    assert event.details == {"before": {"role": "specialist"}, "after": {"role": "admin"}}
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert '<span class="lbl">role</span> specialist → admin' in log
    assert '<span class="lbl">active</span>' not in log


def test_admins_cannot_demote_or_deactivate_themselves(admin, users, db):
    page = f"/admin/users/{users['admin'].id}"
    html = admin.get(page).get_data(as_text=True)
    assert "This is your own account." in html and "Deactivate account" not in html  # no buttons to press
    response = post(admin, page, f"{page}/role", {"role": "buyer", "seen_role": "admin"})
    assert "You cannot take away your own admin role." in flashes(admin.get(response.headers["Location"]))
    response = post(admin, page, f"{page}/active", {"active": "0", "seen_active": "1"})
    assert "You cannot deactivate your own account." in flashes(admin.get(response.headers["Location"]))
    db.session.expire_all()
    assert db.session.get(User, users["admin"].id).role == "admin" and users["admin"].active


def test_a_change_from_a_stale_page_is_refused(admin, users, db):
    page = f"/admin/users/{users['specialist'].id}"
    token = csrf_token(admin.get(page).get_data(as_text=True))  # the page shows: specialist, active
    change_role(users["specialist"], "buyer")  # meanwhile, another admin acts
    set_active(users["specialist"], False)
    admin.post(f"{page}/role", data={"csrf_token": token, "role": "admin", "seen_role": "specialist"})
    assert "changed by someone else" in flashes(admin.get(page))
    admin.post(f"{page}/active", data={"csrf_token": token, "active": "0", "seen_active": "1"})
    assert "changed by someone else" in flashes(admin.get(page))
    db.session.expire_all()
    assert db.session.get(User, users["specialist"].id).role == "buyer"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.actor_id == users["admin"].id,
                                                      AuditEvent.action.in_(["user.role", "user.deactivate"]))) is None


@pytest.mark.parametrize("action, data, message", [
    ("role", {"role": "root", "seen_role": "specialist"}, "Choose one of the roles offered."),
    ("role", {"role": "admin"}, "Reload the page"),
    ("role", {"role": "admin", "seen_role": "wizard"}, "Reload the page"),
    ("active", {"active": "maybe", "seen_active": "1"}, "Reload the page"),
    ("active", {"active": "0"}, "Reload the page"),
])
def test_hand_made_posts_are_refused_plainly(admin, users, db, action, data, message):
    page = f"/admin/users/{users['specialist'].id}"
    response = post(admin, page, f"{page}/{action}", data)
    assert response.status_code == 302 and message in flashes(admin.get(page))
    db.session.expire_all()
    assert db.session.get(User, users["specialist"].id).role == "specialist"


PROTECTED = "/notifications/"  # a page for every signed-in role (the staff pages are being reshaped)


def test_deactivation_ends_an_open_session_at_once_and_reactivation_lets_in_again(app, admin, users, db):
    specialist = app.test_client()
    AuthActions(specialist).login("specialist@example.com")
    assert specialist.get(PROTECTED).status_code == 200
    page = f"/admin/users/{users['specialist'].id}"
    post(admin, page, f"{page}/active", {"active": "0", "seen_active": "1"})
    assert "specialist@example.com is deactivated and signed out everywhere." in flashes(admin.get(page))

    response = specialist.get(PROTECTED)  # the very next request
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert "Wrong email or password." in flashes(AuthActions(specialist).login("specialist@example.com"))

    post(admin, page, f"{page}/active", {"active": "1", "seen_active": "0"})
    assert AuthActions(specialist).login("specialist@example.com").headers["Location"] == "/"
    assert specialist.get(PROTECTED).status_code == 200
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == users["admin"].id,
                                                                 AuditEvent.action != "user.login")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["user.deactivate", "user.reactivate"]


ADMIN_GETS = ["/admin/users", "/admin/users/new", "/admin/users/1", "/admin/audit"]
ADMIN_POSTS = ["/admin/users/new", "/admin/users/1/role", "/admin/users/1/active"]


@pytest.mark.parametrize("role", ["buyer", "specialist"])
def test_buyers_and_specialists_are_refused(client, auth, users, role):
    auth.login(f"{role}@example.com")
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert [client.get(url).status_code for url in ADMIN_GETS] == [403] * len(ADMIN_GETS)
    assert [client.post(url, data={"csrf_token": token, "role": "admin", "seen_role": role, "active": "0",
                                   "seen_active": "1"}).status_code for url in ADMIN_POSTS] == [403] * 3


def test_visitors_are_sent_to_sign_in(client, users):
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    responses = [client.get(url) for url in ADMIN_GETS] + [client.post(url, data={"csrf_token": token})
                                                            for url in ADMIN_POSTS]
    assert all(r.status_code == 302 and r.headers["Location"].startswith("/auth/login?next=") for r in responses)


@pytest.mark.parametrize("user_ref", [999, MAX_ID])
def test_unknown_users_are_404(admin, user_ref):
    token = csrf_token(admin.get("/admin/users").get_data(as_text=True))
    assert admin.get(f"/admin/users/{user_ref}").status_code == 404
    data = {"csrf_token": token, "role": "admin", "seen_role": "buyer", "active": "0", "seen_active": "1"}
    assert admin.post(f"/admin/users/{user_ref}/role", data=data).status_code == 404
    assert admin.post(f"/admin/users/{user_ref}/active", data=data).status_code == 404
    assert admin.get(f"/admin/users/{MAX_ID + 1}").status_code == 404
    assert admin.get("/admin/users/99999999999999999999999").status_code == 404


def test_a_remember_me_cookie_of_a_deactivated_account_is_refused_and_cleared(app, users, db):
    specialist = app.test_client()
    AuthActions(specialist).login("specialist@example.com", remember=True)
    specialist.delete_cookie("session")  # the browser was closed: only the remember-me cookie is left
    assert specialist.get(PROTECTED).status_code == 200
    set_active(users["specialist"], False)
    response = specialist.get(PROTECTED)
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert specialist.get_cookie("remember_token") is None
    set_active(users["specialist"], True)
    assert specialist.get(PROTECTED).status_code == 302  # reactivating does not revive the old login



def test_every_problem_is_shown_at_once(admin):
    html = new_account(admin, email="specialist@example.com", password="short").get_data(as_text=True)
    assert "exists already" in html and "at least 10 characters" in html
    assert html.count('aria-invalid="true"') == 2
