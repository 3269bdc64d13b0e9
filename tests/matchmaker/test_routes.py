"""Walk every route of the app as every role: who gets in, who gets 403, who is sent to sign in; never a 500."""
import pytest
from sqlalchemy import select

from matchmaker.auth.access import PUBLIC, access_rule
from matchmaker.models import Introduction, Match
from tests.conftest import csrf_token

ROLES = (None, "buyer", "specialist", "admin")  # None: a visitor


@pytest.fixture
def ids(db, users, make_request, make_supplier):
    """One of everything, owned by the buyer where ownership matters."""
    supplier = make_supplier()
    request = make_request(buyer_id=users["buyer"].id)
    match = Match(request_id=request.id, supplier_id=supplier.id, rank=1, status="suggested")
    intro = Introduction(request_id=request.id, supplier_id=supplier.id, buyer_id=users["buyer"].id, message="hi")
    db.session.add_all([match, intro])
    db.session.commit()
    return {"request_id": request.id, "supplier_id": supplier.id, "match_id": match.id, "intro_id": intro.id,
            "user_id": users["specialist"].id, "code": "en"}


def routes(app, ids):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        url = rule.build({arg: ids.get(arg, 1) for arg in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url, access_rule(app, rule.endpoint)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, client, auth, users, ids, role):
    if role:
        auth.login(f"{role}@example.com")
    token = csrf_token(client.get("/auth/login" if role is None else "/notifications/").get_data(as_text=True))
    checked = 0
    for endpoint, method, url, rule in routes(app, ids):
        if endpoint == "auth.logout":
            continue  # walked last would sign the walker out
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        where = f"{role or 'visitor'} {method} {url} ({endpoint})"
        assert response.status_code != 500, where
        if rule == PUBLIC:
            assert response.status_code != 403, where
        elif role is None:
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"], where
        elif role not in rule:
            assert response.status_code == 403, where
        else:
            assert response.status_code in (200, 302, 400), where
        checked += 1
        if role and not client.get("/notifications/").status_code == 200:
            auth.login(f"{role}@example.com")  # an action (e.g. a language switch) never signs out, but be sure
    assert checked >= 35  # every route and method was walked (not a vacuous pass)


def test_staff_routes_refuse_buyers(app, client, auth, users, ids):
    auth.login("buyer@example.com")
    for url in ("/work/queue", f"/work/requests/{ids['request_id']}", "/work/pipeline", "/dashboard/",
                f"/work/matches/{ids['match_id']}"):
        assert client.get(url).status_code == 403, url
    assert db_untouched(app, ids)


def db_untouched(app, ids) -> bool:
    from matchmaker.extensions import db
    return db.session.scalar(select(Match.status).where(Match.id == ids["match_id"])) == "suggested"
