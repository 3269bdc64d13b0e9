"""In the browser: search results explain themselves, Korean-only suppliers read in English, requests get matches."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def search(page, text):
    page.fill("input[name=q]", text)
    page.click("main form.filters button[type=submit]")


def test_search_results_show_reasons_a_buyer_can_read(live_server, page, tmp_path):
    sign_in(page, live_server, "buyer@example.com")
    search(page, "brake pads")
    expect(page.get_by_test_id("result-count")).to_contain_text("fit your search")
    cards = page.get_by_test_id("supplier-card")
    reasons = page.get_by_test_id("reason")
    expect(reasons.first).to_be_visible()
    assert reasons.count() == cards.count() > 0
    first = reasons.first.inner_text()
    assert re.match(r"(Makes|Offers|Closest product:|Closest capability:) \w", first), first
    expect(cards.first.locator(".badge")).to_contain_text("Smart factory Level")
    page.screenshot(path=str(tmp_path / "search-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "search-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_korean_only_supplier_reads_in_english(live_server, page, tmp_path):
    sign_in(page, live_server, "buyer@example.com")
    search(page, "injection molding")
    cards = page.get_by_test_id("supplier-card")
    expect(cards.first).to_be_visible()
    korean_only = cards.filter(has=page.locator("h2 .native"))
    assert korean_only.count() > 0, "expected a Korean-only supplier among the results"
    card = korean_only.first
    title = card.locator("h2 a").inner_text()
    assert title.isascii(), f"the name shown first should be romanized, got {title!r}"
    reason = card.get_by_test_id("reason").inner_text()
    assert re.search(r"[A-Za-z]{4,}", reason), reason
    page.screenshot(path=str(tmp_path / "korean-only.png"), full_page=True)


def test_nonsense_says_nothing_fits_and_shows_partial_matches(live_server, page, tmp_path):
    sign_in(page, live_server, "buyer@example.com")
    search(page, "xqzv blorf")
    expect(page.get_by_test_id("no-fit")).to_contain_text("No supplier fits “xqzv blorf”")
    expect(page.get_by_test_id("partial-matches")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "no-fit.png"), full_page=True)


def test_staff_see_suggested_suppliers_with_reasons_on_a_request(live_server, page, tmp_path):
    sign_in(page, live_server, "specialist@example.com")
    page.click("header >> text=Queue")
    page.locator("table tbody tr a").first.click()
    expect(page.get_by_test_id("candidates")).to_be_visible()
    expect(page.get_by_test_id("candidate-card").first.locator(".status")).to_have_text("Candidate")
    page.get_by_test_id("breakdown").first.locator("summary").click()
    expect(page.get_by_test_id("breakdown").first).to_contain_text("Relevance (fused retrieval)")
    page.screenshot(path=str(tmp_path / "request-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "request-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
