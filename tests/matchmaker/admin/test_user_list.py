"""The account list: filters, search, paging and empty states (10 rows a page in tests)."""
import pytest

from matchmaker.accounts import create_user, set_active
from tests.conftest import PASSWORD


@pytest.fixture
def listing(client, auth, users, db):
    """The admin signed in, with a few more accounts; returns a function giving the emails a list URL shows."""
    create_user("lee@hanbit.kr", PASSWORD, "specialist", "Lee Min-ji", company="Hanbit")
    create_user("park@buyer.de", PASSWORD, "buyer", "Anna Park")
    set_active(users["buyer"], False)
    auth.login("admin@example.com")

    def shown(url):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        return [email for email in ("admin@example.com", "buyer@example.com", "lee@hanbit.kr", "park@buyer.de",
                                    "specialist@example.com") if f'class="wrap">{email}<' in html]
    return shown


def test_the_list_shows_every_column_and_links_to_each_account(client, listing, users):
    html = client.get("/admin/users").get_data(as_text=True)
    for text in ("Lee Min-ji", "Hanbit", "Specialist", "Inactive", "Last sign-in", "never", "New account",
                 "5 accounts", f'href="/admin/users/{users["buyer"].id}"', 'data-label="Created"'):
        assert text in html, text


@pytest.mark.parametrize("query, emails", [
    ("", ["admin@example.com", "buyer@example.com", "lee@hanbit.kr", "park@buyer.de", "specialist@example.com"]),
    ("?role=specialist", ["lee@hanbit.kr", "specialist@example.com"]),
    ("?status=inactive", ["buyer@example.com"]),
    ("?role=buyer&status=active", ["park@buyer.de"]),
    ("?q=HANBIT", ["lee@hanbit.kr"]),  # email, any case
    ("?q=anna", ["park@buyer.de"]),  # name
    ("?q=+park+&role=buyer", ["park@buyer.de"]),
    ("?role=root&status=sleeping&sort=evil", ["admin@example.com", "buyer@example.com", "lee@hanbit.kr",
                                               "park@buyer.de", "specialist@example.com"]),  # unknown: ignored
    ("?q=%25", []), ("?q=" + "x" * 5000, []),
])
def test_filters_and_search(listing, query, emails):
    assert listing("/admin/users" + query) == emails


def test_no_match_says_so_and_offers_the_full_list(client, listing):
    html = client.get("/admin/users?q=nobody&role=admin").get_data(as_text=True)
    assert 'data-testid="empty"' in html and "No account matches these filters." in html
    assert 'value="nobody"' in html and '<option value="admin" selected>' in html  # the form keeps the filters


def test_pages_are_bounded(client, listing):
    for number in range(12):
        create_user(f"user{number:02d}@example.org", PASSWORD, "buyer")
    first = client.get("/admin/users").get_data(as_text=True)
    assert "Page 1 of 2 · 17 in all" in first and 'href="/admin/users?page=2"' in first
    second = client.get("/admin/users?role=buyer&page=2").get_data(as_text=True)  # 14 buyers
    assert "user11@example.org" in second and "park@buyer.de" not in second and "Page 2 of 2" in second
    assert client.get("/admin/users?page=3").status_code == 404
    assert client.get("/admin/users?page=999999999999").status_code == 404
    assert client.get("/admin/users?page=abc").status_code == 200
