"""The specialist's loop in a real browser: queue, workspace, shortlist, publish; the buyer asks for an
introduction; the deal is won; the dashboard shows it. Every page at desktop and phone width."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import horizontal_overflow, sign_in
from tests.browser.test_buyer_journey import REQUEST, post_request

pytestmark = pytest.mark.browser


def sign_out(page) -> None:
    page.click("header >> text=Sign out")


def test_from_request_to_won_deal(live_server, page, tmp_path):
    base = live_server
    sign_in(page, base, "buyer@example.com")
    post_request(page, base)
    request_url = page.url
    request_id = request_url.rstrip("/").rsplit("/", 1)[1]
    sign_out(page)

    # The specialist finds it in the queue, takes it and curates the candidates.
    sign_in(page, base, "specialist@example.com")
    page.click("header >> text=Queue")
    row = page.get_by_test_id("queue-row").filter(has_text=REQUEST["title"])
    row.get_by_role("button", name="Assign to me").click()
    page.get_by_test_id("queue-row").filter(has_text=REQUEST["title"]).get_by_role("link").first.click()
    expect(page.get_by_test_id("assignee")).to_have_text("specialist@example.com")
    expect(page.get_by_test_id("buyer")).to_contain_text("buyer@example.com")
    cards = page.get_by_test_id("candidate-card")
    assert cards.count() >= 3
    page.screenshot(path=str(tmp_path / "workspace-1280.png"), full_page=True)
    names = [cards.nth(i).get_attribute("data-supplier") for i in range(3)]
    page.locator(f"[data-supplier='{names[0]}'] [data-action=accept]").click()
    page.locator(f"[data-supplier='{names[1]}'] [data-action=accept]").click()
    third = page.locator(f"[data-supplier='{names[2]}']")
    third.get_by_text("Reject…").click()
    third.locator("select[name=reason]").select_option("missing_certification")
    third.locator("input[name=note]").fill("No ECE R90 approval")
    third.get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_test_id("shortlist-card")).to_have_count(2)
    expect(page.get_by_test_id("rejected")).to_contain_text("Missing certification")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("published")).to_be_visible()
    sign_out(page)

    # The buyer sees the shortlist and asks for an introduction to the first supplier on it.
    sign_in(page, base, "buyer@example.com")
    page.goto(request_url)
    shortlisted = page.get_by_test_id("shortlisted")
    expect(shortlisted).to_have_count(2)
    shortlisted.first.get_by_role("link", name="Request an introduction").click()
    page.fill("textarea[name=message]", "Please introduce us; we need 10,000 sets a year.")
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("my-introductions")).to_contain_text("Requested")
    sign_out(page)

    # The specialist answers it from the pipeline and carries the deal to won.
    sign_in(page, base, "specialist@example.com")
    page.click("header >> text=Pipeline")
    page.get_by_test_id("waiting-introductions").get_by_role("button", name="Mark introduced").click()
    page.goto(f"{base}/work/requests/{request_id}")
    page.get_by_test_id("shortlist-card").first.get_by_role("link", name="Pipeline: next step").click()
    for stage in ("meeting", "negotiating", "won"):
        page.select_option("select[name=stage]", stage)
        page.fill("textarea[name=note]", f"{stage} done")
        page.get_by_role("button", name="Record step").click()
        expect(page.get_by_test_id("match-status")).to_have_text(
            {"meeting": "Meeting", "negotiating": "Negotiating", "won": "Won"}[stage])
    expect(page.get_by_test_id("steps")).to_contain_text("won done")
    page.click("header >> text=Dashboard")
    expect(page.get_by_test_id("wins")).to_have_text("1")
    expect(page.get_by_test_id("quality")).to_contain_text("nDCG@10")
    page.screenshot(path=str(tmp_path / "dashboard-1280.png"), full_page=True)

    # Every specialist page fits a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/work/queue", f"/work/requests/{request_id}", "/work/pipeline", "/dashboard/",
                 "/work/pipeline?stage=won"):
        page.goto(base + path)
        assert horizontal_overflow(page) == 0, path
    page.goto(f"{base}/work/requests/{request_id}")
    page.screenshot(path=str(tmp_path / "workspace-390.png"), full_page=True)
