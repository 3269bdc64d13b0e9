"""The account rules the admin pages and the CLI share."""
import pytest
from sqlalchemy import select

from matchmaker import accounts
from matchmaker.accounts import UserError, change_role, create_user, set_active, users_query
from matchmaker.models import AuditEvent, User
from tests.conftest import PASSWORD


def events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_create_records_who_and_what_but_never_the_password(db, users):
    user = create_user(" New@Team.KR ", "a long secret pw", "specialist", "Kim", company="Hanbit",
                       actor=users["admin"])
    assert (user.email, user.company, user.check_password("a long secret pw")) == ("new@team.kr", "Hanbit", True)
    event = events(db, "user.create")[-1]
    assert event.actor_id == users["admin"].id and event.entity_id == str(user.id)
    assert event.details == {"after": {"email": "new@team.kr", "role": "specialist", "name": "Kim"}}


@pytest.mark.parametrize("email, password, role, field, message", [
    ("a@b.kr", "short", "buyer", "password", "at least 10 characters"),
    ("not-an-email", PASSWORD, "buyer", "email", "is not an email address"),
    ("a@b", PASSWORD, "buyer", "email", "is not an email address"),
    ("a@b.kr", PASSWORD, "root", "role", "must be one of"),
    ("BUYER@example.com", PASSWORD, "buyer", "email", "exists already"),
])
def test_create_refusals_name_the_field(db, users, email, password, role, field, message):
    with pytest.raises(UserError) as caught:
        create_user(email, password, role)
    assert caught.value.field == field and message in str(caught.value)


def test_new_passwords_are_long_enough_and_differ():
    first, second = accounts.new_password(), accounts.new_password()
    assert first != second and len(first) >= 10


def test_change_role_is_audited_with_before_and_after(db, users):
    assert change_role(users["specialist"], "admin", actor=users["admin"], seen_role="specialist") is True
    event = events(db, "user.role")[-1]
    assert (event.details, event.actor_id) == ({"before": {"role": "specialist"}, "after": {"role": "admin"}},
                                               users["admin"].id)
    assert change_role(users["specialist"], "admin", actor=users["admin"]) is False  # nothing to do, nothing logged
    assert len(events(db, "user.role")) == 1


def test_deactivate_and_reactivate_are_audited(db, users):
    assert set_active(users["buyer"], False, actor=users["admin"], seen_active=True) is True
    assert set_active(users["buyer"], True, actor=users["admin"], seen_active=False) is True
    assert events(db, "user.deactivate")[-1].details == {"before": {"active": True}, "after": {"active": False}}
    assert events(db, "user.reactivate")[-1].details == {"before": {"active": False}, "after": {"active": True}}


def test_nobody_demotes_or_deactivates_themselves(db, users):
    other = create_user("second@example.com", PASSWORD, "admin")
    with pytest.raises(UserError, match="your own admin role"):
        change_role(users["admin"], "specialist", actor=users["admin"])
    with pytest.raises(UserError, match="your own account"):
        set_active(users["admin"], False, actor=users["admin"])
    assert change_role(users["admin"], "specialist", actor=other)  # another admin may


def test_the_last_active_admin_stays_admin_and_active(db, users):
    with pytest.raises(UserError, match="last active admin"):
        change_role(users["admin"], "buyer")
    with pytest.raises(UserError, match="last active admin"):
        set_active(users["admin"], False)
    second = create_user("second@example.com", PASSWORD, "admin")
    assert set_active(second, False)  # two active admins: one may go
    with pytest.raises(UserError, match="last active admin"):  # an inactive admin does not count
        change_role(users["admin"], "buyer")
    assert change_role(second, "buyer")  # an inactive admin is not the last active one
    db.session.expire_all()
    assert db.session.get(User, users["admin"].id).role == "admin"


def test_a_stale_page_changes_nothing(db, users):
    change_role(users["specialist"], "buyer")
    with pytest.raises(UserError, match="changed by someone else"):
        change_role(users["specialist"], "admin", seen_role="specialist")
    set_active(users["buyer"], False)
    with pytest.raises(UserError, match="changed by someone else"):
        set_active(users["buyer"], False, seen_active=True)
    db.session.expire_all()
    assert db.session.get(User, users["specialist"].id).role == "buyer"


def test_users_query_filters_and_searches(db, users):
    create_user("lee@hanbit.kr", PASSWORD, "specialist", "Lee 100%")
    set_active(users["buyer"], False)

    def emails(**filters):
        return [u.email for u in db.session.scalars(users_query(**filters))]
    assert emails(role="specialist") == ["lee@hanbit.kr", "specialist@example.com"]
    assert emails(active=False) == ["buyer@example.com"]
    assert emails(q="HANBIT") == emails(q="lee") == ["lee@hanbit.kr"]
    assert emails(q="100%") == ["lee@hanbit.kr"] and emails(q="_") == []  # wildcards match themselves
    assert emails(role="admin", active=True, q="example") == ["admin@example.com"]


def test_every_problem_is_named_at_once(db, users):
    with pytest.raises(UserError) as caught:
        create_user("buyer@example.com", "short", "root", "x" * 201)
    assert set(caught.value.errors) == {"email", "password", "role", "name"}
    assert "exists already" in str(caught.value) and "at least 10 characters" in str(caught.value)
