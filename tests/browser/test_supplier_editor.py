"""The supplier editor in a real browser without JavaScript: add, correct, find; every page fits a phone."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import horizontal_overflow, sign_in

pytestmark = pytest.mark.browser


def test_a_specialist_adds_a_supplier_without_javascript_and_search_finds_it(live_server, page_without_js):
    page = page_without_js
    sign_in(page, live_server, "specialist@example.com")
    page.goto(live_server)
    page.click("text=Add a supplier")
    page.fill("#name", "세라믹정밀")
    page.fill("#name_en", "Ferrulex Ceramics")
    page.select_option("#industry", "materials")
    page.fill("#description", "Zirconia ceramic ferrules for fibre-optic connectors.")
    page.fill("#products-0-name", "zirconia ferrules")
    page.fill("#products-0-moq", "0")
    page.select_option("#export_markets", ["US", "DE"])
    page.fill("#contact_email", "sales@ferrulex.example.kr")
    page.click("button[name=add_product]")  # one more row; nothing checked or saved yet
    expect(page.locator("#products-2-name")).to_be_visible()
    expect(page.locator("#products-0-moq")).to_have_value("0")
    page.click("main .actions button[name=save]")
    expect(page.locator("#products-0-moq-error")).to_contain_text("between 1 and")
    expect(page.locator("#export_markets-help")).to_contain_text("Germany, United States")
    page.fill("#products-0-moq", "1,000")
    page.press("#name_en", "Enter")  # Enter saves; it does not add a product row
    expect(page.locator(".flash-success")).to_contain_text("Supplier added")
    expect(page.get_by_test_id("contacts")).to_contain_text("sales@ferrulex.example.kr")
    page.goto(f"{live_server}/?q=zirconia+ferrules&mode=lexical")
    expect(page.locator("li.card").first).to_contain_text("Ferrulex Ceramics")


def test_the_editor_pages_fit_a_phone(live_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, "admin@example.com")
    wide = {}
    for name, path in (("new", "/suppliers/new"), ("edit", "/suppliers/1/edit"), ("delete", "/suppliers/1/delete")):
        page.goto(live_server + path)
        if name == "edit":
            page.fill("#products-0-lead_time_days", "99999")
            page.click("main .actions button[name=save]")
            expect(page.locator("#products-0-lead_time_days-error")).to_be_visible()
        page.screenshot(path=str(tmp_path / f"{name}-390.png"), full_page=True)
        if horizontal_overflow(page) > 0:
            wide[name] = horizontal_overflow(page)
    context.close()
    assert wide == {}, f"pages wider than 390 px (px too wide): {wide}"
