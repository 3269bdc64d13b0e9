"""``matchmaker users``: staff accounts are made on the command line."""
from sqlalchemy import select

from matchmaker.models import User


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
