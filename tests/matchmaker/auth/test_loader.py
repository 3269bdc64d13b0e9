"""flask-login's loader: only active accounts are signed in."""
from matchmaker.accounts import set_active
from matchmaker.auth.loader import load_user


def test_only_active_accounts_load(db, users):
    specialist = users["specialist"]
    assert load_user(str(specialist.id)) is specialist
    set_active(specialist, False)
    assert load_user(str(specialist.id)) is None
    assert load_user("999") is None and load_user("not a number") is None
