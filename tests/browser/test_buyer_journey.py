"""The buyer's journey in a real browser: register, confirm by e-mail and come back, post and see suggestions,
ask for an introduction, read it in Korean, on a phone, and without JavaScript."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import horizontal_overflow, sign_in
from tests.conftest import mail_link, sent_mail

pytestmark = pytest.mark.browser

REQUEST = {"title": "Brake pads for commercial vehicles",
           "description": "Ceramic brake pads for trucks and buses, ECE R90 approved, 10,000 sets a year."}


def post_request(page, base: str) -> None:
    page.goto(f"{base}/requests/new")
    page.fill("input[name=title]", REQUEST["title"])
    page.fill("textarea[name=description]", REQUEST["description"])
    page.select_option("select[name=industry]", "auto-parts")
    page.select_option("select[name=buyer_country]", "DE")
    page.fill("input[name=quantity]", "10000")
    page.select_option("select[name=unit]", "set")
    page.click("main form button[type=submit]")


def test_registering_returns_to_the_page_the_visitor_came_from(live_server, page, tmp_path):
    page.goto(live_server)
    page.locator("li.card h2 a").first.click()
    profile_url = page.url
    page.click("header >> text=Register as a buyer")
    page.fill("input[name=email]", "lena@example.de")
    page.fill("input[name=name]", "Lena Vogel")
    page.select_option("select[name=country]", "DE")
    page.fill("input[name=password]", "a good long password")
    page.fill("input[name=confirm]", "a good long password")
    page.screenshot(path=str(tmp_path / "register-1280.png"), full_page=True)
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-info")).to_contain_text("Check your inbox at lena@example.de")
    page.goto(live_server + mail_link(sent_mail(tmp_path / "instance")[-1], "confirm"))
    page.fill("input[name=email]", "lena@example.de")
    page.fill("input[name=password]", "a good long password")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(profile_url)
    expect(page.get_by_test_id("who")).to_have_text("lena@example.de · buyer")
    expect(page.get_by_test_id("supplier-actions")).to_contain_text("Request an introduction")


def test_posting_a_request_shows_suggestions_at_once(live_server, page, tmp_path):
    sign_in(page, live_server, "buyer@example.com")
    post_request(page, live_server)
    expect(page.locator("h1")).to_have_text(REQUEST["title"])
    expect(page.get_by_test_id("request-status")).to_have_text("Posted")
    expect(page.get_by_test_id("suggestion-label")).to_contain_text("Automatic suggestions")
    suggestions = page.get_by_test_id("suggested")
    expect(suggestions.first).to_be_visible()
    expect(suggestions.first.get_by_test_id("reason")).to_contain_text("brake", ignore_case=True)
    expect(page.get_by_test_id("reviewing")).to_be_visible()  # no shortlist yet: the team is on it
    expect(page.get_by_test_id("timeline")).to_contain_text("Posted")
    page.screenshot(path=str(tmp_path / "request-buyer-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert horizontal_overflow(page) == 0
    page.screenshot(path=str(tmp_path / "request-buyer-390.png"), full_page=True)


def test_requesting_an_introduction_reaches_the_team(live_server, page, tmp_path):
    sign_in(page, live_server, "buyer@example.com")
    post_request(page, live_server)
    first = page.get_by_test_id("suggested").first
    name = first.locator("h3 a").inner_text()
    first.get_by_text("Request an introduction").click()
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator("input[name=request_choice]").first).to_be_checked()  # this request, chosen for them
    page.fill("textarea[name=message]", "We need 10,000 sets a year; please send a quote and samples.")
    page.screenshot(path=str(tmp_path / "introduce-1280.png"), full_page=True)
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("introduce you")
    expect(page.get_by_test_id("timeline")).to_contain_text("Introduction requested")
    expect(page.get_by_test_id("asked").first).to_be_visible()
    page.click("text=Sign out")
    sign_in(page, live_server, "specialist@example.com")
    expect(page.get_by_test_id("notifications")).to_contain_text(re.compile(r"Notifications \d+"))
    page.get_by_test_id("notifications").click()
    expect(page.locator(".notifications")).to_contain_text(f"Introduction requested: {name}")
    page.locator(".notifications a").first.click()
    expect(page.get_by_test_id("introductions")).to_contain_text("please send a quote")
    page.screenshot(path=str(tmp_path / "request-staff-1280.png"), full_page=True)


def test_switching_to_korean_is_remembered(live_server, page, tmp_path):
    page.goto(live_server)
    page.get_by_test_id("lang-ko").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("header nav")).to_contain_text("로그인")
    page.locator("li.card h2 a").first.click()  # the choice follows the visitor from page to page
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("main h2").first).to_have_text(re.compile(r"[가-힣]"))
    page.screenshot(path=str(tmp_path / "profile-ko-1280.png"), full_page=True)
    sign_in(page, live_server, "buyer@example.com")
    expect(page.locator("header nav")).to_contain_text("내 소싱 요청")
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header nav")).to_contain_text("My requests")


def test_no_page_scrolls_sideways_on_a_phone(live_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    wide = {}

    def check(name: str) -> None:
        overflow = horizontal_overflow(page)
        page.screenshot(path=str(tmp_path / f"{name}-390.png"), full_page=True)
        if overflow > 0:
            wide[name] = overflow

    for name, path in (("catalog", "/"), ("search", "/?q=brake+pads"), ("login", "/auth/login"),
                       ("register", "/auth/register"), ("not-found", "/no/such/page")):
        page.goto(live_server + path)
        check(name)
    page.goto(live_server)
    page.locator("li.card h2 a").first.click()
    check("profile")
    profile = page.url
    sign_in(page, live_server, "buyer@example.com")
    post_request(page, live_server)
    check("request")
    for name, path in (("new-request", "/requests/new"), ("my-requests", "/requests/"), ("saved", "/saved"),
                       ("notifications", "/notifications/"), ("introduce", profile.replace(
                           "/suppliers/", "/requests/introduce/"))):
        page.goto(live_server + path if path.startswith("/") else path)
        check(name)
    page.click("text=Sign out")
    sign_in(page, live_server, "admin@example.com")
    for name, path in (("staff-requests", "/requests/"), ("users", "/admin/users"), ("audit", "/admin/audit"),
                       ("edit-profile", profile.replace(live_server, "") + "/edit"),
                       ("delete-profile", profile.replace(live_server, "") + "/delete"),
                       ("new-supplier", "/suppliers/new")):
        page.goto(live_server + path)
        check(name)
    page.goto(live_server + "/requests/")
    page.locator("table a").first.click()
    check("staff-request")
    context.close()
    assert wide == {}, f"pages wider than 390 px (px too wide): {wide}"


def test_the_core_flows_work_without_javascript(live_server, page_without_js):
    page = page_without_js
    page.goto(live_server)
    page.fill("input[name=q]", "brake pads")
    page.click("main form.filters button[type=submit]")
    expect(page.get_by_test_id("reason").first).to_be_visible()
    sign_in(page, live_server, "buyer@example.com")
    post_request(page, live_server)
    expect(page.get_by_test_id("suggested").first).to_be_visible()
    page.get_by_test_id("suggested").first.get_by_text("Request an introduction").click()
    page.fill("textarea[name=message]", "Please introduce us; we need 10,000 sets a year.")
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("timeline")).to_contain_text("Introduction requested")
    page.get_by_test_id("lang-ko").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
