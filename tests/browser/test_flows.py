"""What a person does in the browser: sign in, browse, post a request, register, sign out."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import mail_link, sent_mail

pytestmark = pytest.mark.browser


def test_a_visitor_searches_and_opens_a_profile_without_an_account(live_server, page, tmp_path):
    page.goto(live_server)
    expect(page.get_by_test_id("landing")).to_be_visible()
    page.fill("input[name=q]", "brake pads")
    page.click("main form.filters button[type=submit]")
    expect(page.get_by_test_id("reason").first).to_be_visible()
    page.locator("li.card h2 a").first.click()
    expect(page.locator("h2", has_text="Products")).to_be_visible()
    expect(page.get_by_test_id("contacts")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "visitor-profile.png"), full_page=True)
    page.click("text=Sign in")
    page.fill("input[name=email]", "buyer@example.com")
    page.fill("input[name=password]", "correct horse battery")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/suppliers/\d+$"))  # back where the visitor was


def test_buyer_signs_in_browses_posts_a_request_and_signs_out(live_server, page, tmp_path):
    page.goto(f"{live_server}/requests/")
    expect(page).to_have_url(re.compile(r"/auth/login\?next="))
    sign_in(page, live_server, "buyer@example.com")
    expect(page.get_by_test_id("who")).to_have_text("buyer@example.com · buyer")
    expect(page.get_by_test_id("result-count")).to_have_text("120 suppliers, most complete profiles first")

    page.select_option("select[name=industry]", "auto-parts")
    page.click("main form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"industry=auto-parts"))
    cards = page.locator("li.card")
    assert cards.count() > 0
    for text in cards.locator("p.meta").all_inner_texts():
        assert text.startswith("Auto parts")

    cards.first.locator("h2 a").click()
    expect(page.locator("h2", has_text="Products")).to_be_visible()
    expect(page.get_by_test_id("contacts")).to_have_count(0)  # private to the sales team
    page.screenshot(path=str(tmp_path / "supplier.png"))

    page.click("text=Post a request")
    page.fill("input[name=title]", "EV battery housings")
    page.fill("textarea[name=description]", "Aluminium housings for battery modules, 20k pcs/year")
    page.select_option("select[name=industry]", "auto-parts")
    page.select_option("select[name=buyer_country]", "DE")
    page.fill("input[name=required_certifications]", "IATF 16949")
    page.fill("input[name=quantity]", "20000")
    page.select_option("select[name=unit]", "pcs")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("Your request is posted")
    expect(page.locator("h1")).to_have_text("EV battery housings")

    page.click("text=My requests")
    expect(page.locator("table")).to_contain_text("EV battery housings")

    page.click("text=Sign out")
    expect(page).to_have_url(re.compile(r"/auth/login"))
    page.goto(f"{live_server}/requests/")
    expect(page).to_have_url(re.compile(r"/auth/login\?next="))


def test_wrong_password_shows_an_error(live_server, page):
    sign_in(page, live_server, "buyer@example.com", "wrong password!")
    expect(page.locator(".flash-error")).to_have_text("Wrong email or password.")


def test_a_new_buyer_registers_and_confirms_by_email(live_server, page, tmp_path):
    page.goto(f"{live_server}/auth/register")
    page.fill("input[name=email]", "newbuyer@acme.de")
    page.fill("input[name=company]", "Acme GmbH")
    page.select_option("select[name=country]", "DE")
    page.fill("input[name=password]", "a good long password")
    page.fill("input[name=confirm]", "a good long password")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-info")).to_contain_text("Check your inbox at newbuyer@acme.de")
    expect(page.get_by_test_id("mail-folder")).to_contain_text(str(tmp_path / "instance" / "mail"))
    # The live server writes its mail to files in its instance folder, as `make run` does.
    page.goto(live_server + mail_link(sent_mail(tmp_path / "instance")[-1], "confirm"))
    expect(page.locator(".flash-success")).to_contain_text("Your email address is confirmed")
    sign_in(page, live_server, "newbuyer@acme.de", "a good long password")
    expect(page.get_by_test_id("who")).to_have_text("newbuyer@acme.de · buyer")


def test_a_forgotten_password_is_reset_by_email(live_server, page, tmp_path):
    sign_in(page, live_server, "buyer@example.com", "not my password")
    page.get_by_test_id("forgot-password").click()
    page.fill("input[name=email]", "buyer@example.com")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-info")).to_contain_text("Check your inbox at buyer@example.com")
    page.goto(live_server + mail_link(sent_mail(tmp_path / "instance")[-1], "reset"))
    page.fill("input[name=password]", "my new long password")
    page.fill("input[name=confirm]", "my new long password")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("Your password is changed")
    expect(page.get_by_test_id("who")).to_have_text("buyer@example.com · buyer")


def test_specialist_sees_contacts_and_all_requests(live_server, page):
    sign_in(page, live_server, "specialist@example.com")
    page.locator("li.card h2 a").first.click()
    expect(page.get_by_test_id("contacts")).to_contain_text("@")
    page.click("header >> text=Queue")  # every request, new ones first in line
    expect(page.get_by_test_id("queue-row")).to_have_count(10)


def test_remember_me_survives_the_end_of_the_browser_session(live_server, page):
    sign_in(page, live_server, "buyer@example.com", remember=True)
    expect(page.get_by_test_id("who")).to_be_visible()
    context = page.context
    kept = [c for c in context.cookies() if c["name"] != "session"]
    assert any(c["name"] == "remember_token" for c in kept)
    context.clear_cookies()
    context.add_cookies(kept)  # what a browser keeps after a restart: the persistent cookie only
    page.goto(live_server)
    expect(page.get_by_test_id("who")).to_have_text("buyer@example.com · buyer")


def test_search_box_ranks_and_highlights(live_server, page):
    sign_in(page, live_server, "buyer@example.com")
    page.fill("input[name=q]", "brake pads")
    page.click("main form.filters button[type=submit]")
    expect(page.get_by_test_id("result-count")).to_contain_text("fit your search, best first")
    first = page.locator("li.card").first
    expect(first.locator("mark").first).to_be_visible()
    assert "brake" in first.inner_text().lower() or "브레이크" in first.inner_text()

    page.select_option("select[name=mode]", "lexical")
    page.fill("input[name=q]", "하우징")
    page.click("main form.filters button[type=submit]")
    expect(page.locator("li.card mark").first).to_have_text("하우징")
