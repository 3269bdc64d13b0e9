"""``matchmaker users``: staff accounts are made on the command line."""
from sqlalchemy import select

from matchmaker.models import AuditEvent, User


def test_create_specialist(db, runner):
    result = runner.invoke(args=["users", "create", "Kim@Team.kr", "--role", "specialist",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "kim@team.kr"))
    assert user.role == "specialist" and user.check_password("long enough pw")


def test_password_is_prompted_twice_when_not_given(db, runner):
    result = runner.invoke(args=["users", "create", "a@b.kr", "--role", "admin"],
                           input="long enough pw\nlong enough pw\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "a@b.kr")) == "admin"


def test_duplicate_and_short_password_are_clear_errors(db, runner):
    runner.invoke(args=["users", "create", "a@b.kr", "--password", "long enough pw"])
    dup = runner.invoke(args=["users", "create", "A@B.kr", "--password", "long enough pw"])
    assert dup.exit_code == 1 and "exists already" in dup.output
    short = runner.invoke(args=["users", "create", "c@b.kr", "--password", "short"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    bad_role = runner.invoke(args=["users", "create", "d@b.kr", "--role", "root", "--password", "long enough pw"])
    assert bad_role.exit_code == 2


def test_list(db, runner, users):
    result = runner.invoke(args=["users", "list", "--role", "specialist"])
    assert result.output.strip() == "specialist@example.com\tspecialist\tactive"


def test_list_when_empty_says_what_to_do(db, runner):
    assert "matchmaker users create" in runner.invoke(args=["users", "list"]).output


def test_create_with_company_is_audited_without_the_password(db, runner):
    result = runner.invoke(args=["users", "create", "kim@team.kr", "--name", "Kim", "--company", "Hanbit",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "kim@team.kr"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert user.company == "Hanbit" and event.actor_id is None  # the command line acts as "system"
    assert event.details == {"after": {"email": "kim@team.kr", "role": "specialist", "name": "Kim"}}


def test_set_role_deactivate_and_reactivate(db, runner, users):
    result = runner.invoke(args=["users", "set-role", "Specialist@Example.com", "admin"])
    assert result.exit_code == 0 and result.output == "specialist@example.com is now admin.\n"
    assert runner.invoke(args=["users", "set-role", "specialist@example.com", "admin"]).output.endswith(
        "is admin already.\n")
    assert runner.invoke(args=["users", "deactivate", "buyer@example.com"]).output == \
        "buyer@example.com is now inactive.\n"
    assert runner.invoke(args=["users", "list", "--role", "buyer"]).output == "buyer@example.com\tbuyer\tinactive\n"
    assert runner.invoke(args=["users", "reactivate", "buyer@example.com"]).output == \
        "buyer@example.com is now active.\n"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action != "user.create")
                                  .order_by(AuditEvent.id)).all()
    assert actions == ["user.role", "user.deactivate", "user.reactivate"]


def test_refusals_are_clear_errors(db, runner, users):
    unknown = runner.invoke(args=["users", "deactivate", "nobody@example.com"])
    assert unknown.exit_code == 1 and "There is no account with email nobody@example.com." in unknown.output
    last = runner.invoke(args=["users", "set-role", "admin@example.com", "buyer"])
    assert last.exit_code == 1 and "last active admin" in last.output
    last = runner.invoke(args=["users", "deactivate", "admin@example.com"])
    assert last.exit_code == 1 and "last active admin" in last.output
    assert runner.invoke(args=["users", "set-role", "admin@example.com", "root"]).exit_code == 2


def test_set_password_prompts_twice_hidden_and_lifts_a_lockout(app, db, runner, users, client, auth):
    for _ in range(5):
        auth.login("buyer@example.com", "not the password at all")
    assert auth.login("buyer@example.com").status_code == 200  # locked
    result = runner.invoke(args=["users", "set-password", "Buyer@Example.com"],
                           input="a brand new password\na brand new password\n")
    assert result.exit_code == 0, result.output
    assert "a brand new password" not in result.output  # the prompt hides what is typed
    assert result.output == "Password: \nRepeat for confirmation: \nbuyer@example.com has a new password.\n"
    assert db.session.get(User, users["buyer"].id).check_password("a brand new password")
    assert auth.login("buyer@example.com", "a brand new password").status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password"))
    assert event.actor_id is None and event.details == {"lock_lifted": True}


def test_set_password_refusals_are_clear_errors(db, runner, users):
    short = runner.invoke(args=["users", "set-password", "buyer@example.com", "--password", "short"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    assert db.session.get(User, users["buyer"].id).check_password("correct horse battery")
    unknown = runner.invoke(args=["users", "set-password", "nobody@example.com", "--password", "long enough pw"])
    assert unknown.exit_code == 1 and "There is no account with email nobody@example.com." in unknown.output
    mismatch = runner.invoke(args=["users", "set-password", "buyer@example.com"],
                             input="long enough pw\nanother long pw\nlong enough pw\nlong enough pw\n")
    assert mismatch.exit_code == 0 and "do not match" in mismatch.output


def test_set_password_confirms_a_registered_buyer(app, db, runner, client):
    from tests.matchmaker.auth.test_views import register
    register(client, email="new@buyer.com")
    result = runner.invoke(args=["users", "set-password", "new@buyer.com", "--password", "set by the team"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.confirmed_at).where(User.email == "new@buyer.com")) is not None
