"""No input gives a 500: arbitrary query strings, ids, paths and form bodies at every route, for every role.

Hypothesis draws the requests. The app runs with ``TESTING`` on, so an
unhandled exception propagates out of the test client and fails the test;
the error log is watched as well, for exceptions a handler swallowed.
"""
import logging
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import AuthActions, csrf_token
from tests.matchmaker.test_routes import ids  # noqa: F401 (a fixture: one of everything)

ROLES = (None, "buyer", "specialist", "admin")
HUGE = ["99999999999999999999", "9223372036854775808", "2147483648", "-1", "0", "-99999999999999999999"]
NUMBERS = HUGE + ["1", "2", "1e309", "nan", "inf", "-inf", "1.5", "0x10", " 3", "३", "١٢"]
KNOWN_KEYS = ["page", "per_page", "q", "industry", "certification", "country", "language", "sort", "status",
              "request", "supplier", "next", "mode", "min_level", "max_moq", "max_lead_time", "_method",
              "endpoint", "lang", "filter", "k", "offset", "limit", "format", "id", "view", "tab"]
FORM_KEYS = KNOWN_KEYS + ["name", "name_en", "email", "password", "confirm", "title", "description", "message",
                          "capabilities", "certifications", "products", "moq", "lead_time_days", "quantity",
                          "target_price", "smart_factory_level", "employees", "founded_year", "role", "note",
                          "outcome", "reason", "judgment", "grade", "file", "submit", "remember", "version"]
SKIPPED = {"auth.logout"}  # signs the walker out; its own tests cover it

texts = st.one_of(st.sampled_from(NUMBERS), st.text(max_size=40),
                  st.text(alphabet=string.printable + "\x00한글é", max_size=12))
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(alphabet=string.ascii_letters + "_[].", min_size=1, max_size=12))
queries = st.lists(st.tuples(keys, texts), max_size=6)
forms = st.dictionaries(st.one_of(st.sampled_from(FORM_KEYS), st.text(min_size=1, max_size=10)), texts, max_size=8)


class Watch(logging.Handler):
    """Collects error records the app logs (an exception a handler turned into a page still shows here)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def walker(app, users, ids, make_supplier, make_request):  # noqa: F811 (ids is the fixture imported above)
    """Everything a drawn request needs: the app's routes, the fixture's ids, enough rows that every list
    has a second page (the links to it are built from the request's query string), and a search index."""
    for _ in range(11):
        make_supplier()
        make_request(buyer_id=users["buyer"].id)
    # A built index, so that searches (the API's too) answer from it rather than as unavailable.
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static" and rule.endpoint not in SKIPPED]
    watch = Watch()
    app.logger.addHandler(watch)
    yield {"rules": sorted(rules, key=lambda r: r.rule), "ids": ids, "watch": watch}
    app.logger.removeHandler(watch)


def signed_in(app, role):
    """A new client (no cookies left by an earlier example), signed in as ``role``, and its CSRF token."""
    client = app.test_client()
    if role:
        AuthActions(client).login(f"{role}@example.com")
    page = client.get("/auth/login" if role is None else "/notifications/")
    assert page.status_code == 200, f"{role} cannot sign in any more: {page.status_code} {page.location}"
    return client, csrf_token(page.get_data(as_text=True))


def url_for_rule(rule, known, drawn):
    values = {arg: (drawn if drawn is not None else known.get(arg, 1)) for arg in rule.arguments}
    try:
        return rule.build(values)[1]
    except Exception:  # a drawn value the converter refuses: the route with the fixture's ids
        return rule.build({arg: known.get(arg, 1) for arg in rule.arguments})[1]


def check(response, where, watch, endpoint=None):
    # The readiness endpoint answers 503 by design until the index is ready (the test app has none).
    assert response.status_code < 500 or (endpoint == "health.health" and response.status_code == 503), where
    assert not watch.records, f"{where}: {watch.records[0].getMessage()}"


@pytest.mark.parametrize("role", ROLES)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_query_string_id_or_form_body_gives_a_500(app, walker, role, data):
    with app.app_context():  # its own ``g``: requests share the innermost app context, and with it the signed-in user
        drawn_request(app, walker, role, data)


def drawn_request(app, walker, role, data):
    client, token = signed_in(app, role)
    rule = data.draw(st.sampled_from(walker["rules"]), label="route")
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})), label="method")
    drawn_id = data.draw(st.one_of(st.none(), st.sampled_from(HUGE + ["1", "2"])), label="id")
    url = url_for_rule(rule, walker["ids"], drawn_id)
    query = data.draw(queries, label="query")
    form = data.draw(forms, label="form") if method == "POST" else None
    if form is not None and data.draw(st.booleans(), label="with csrf"):
        form["csrf_token"] = token
    response = client.open(url, method=method, query_string=query, data=form)
    check(response, f"{role or 'visitor'} {method} {url} {query} {form}", walker["watch"], rule.endpoint)


SEGMENTS = st.one_of(
    st.sampled_from(["suppliers", "requests", "admin", "api", "matches", "1", "edit", "99999999999999999999", "..",
                     "%00", "static"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.~%", min_size=1, max_size=12))


@pytest.mark.parametrize("role", ROLES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.lists(SEGMENTS, min_size=1, max_size=4))
def test_no_path_gives_a_500(app, walker, role, path):
    with app.app_context():
        client, _ = signed_in(app, role)
        url = "/" + "/".join(path)
        check(client.get(url), f"{role or 'visitor'} GET {url}", walker["watch"])
