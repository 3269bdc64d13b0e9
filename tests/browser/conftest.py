"""A live server on loopback and a real headless Chromium driven by Playwright.

Debian's ``chromium`` is used (``make test`` installs it when it can); without
it these tests are skipped with that reason. Playwright's own browser download
is never used.
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from matchmaker.cli.users import create_user
from matchmaker.dataio.importer import import_requests, import_suppliers
from matchmaker.demo.embeddings import seed_cache
from matchmaker.extensions import db as _db
from matchmaker.search_service import embedding_cache, get_search
from tests.conftest import PASSWORD, make_app, uses_real_models

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def live_server(request, tmp_path):
    """The app serving a slice of the demo catalog on 127.0.0.1, on a free port (``real_models``: served encoders)."""
    app = make_app(tmp_path, "sqlite", real_models=uses_real_models(request), PAGE_SIZE=20)
    with app.app_context():
        _db.create_all()
        import_suppliers((DEMO / "suppliers.jsonl").read_bytes().splitlines()[:120])
        for role in ("buyer", "specialist", "admin"):
            create_user(f"{role}@example.com", PASSWORD, role)
        # multilingual-e5's vectors of the demo profiles ship with the code, as for `make run`
        # (the model made them; embedding 120 profiles anew would add 20 s to every browser test).
        seed_cache(get_search().encoders, embedding_cache())
        result = app.test_cli_runner().invoke(args=["reindex"])  # the real index
        assert result.exit_code == 0, result.output
        # After the index: importing requests matches them, as on a running instance.
        import_requests((DEMO / "requests.jsonl").read_bytes().splitlines()[:10])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _page(browser, tmp_path, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Whatever the test does, nothing on the way may break the Content-Security-Policy (matchmaker.security).
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    try:
        page.screenshot(path=str(tmp_path / "last-page.png"), full_page=True)
    finally:
        context.close()
    assert not refused, refused


@pytest.fixture
def page(browser, tmp_path):
    """A fresh browser context (no cookies) and page; the last screen is kept as ``last-page.png`` in the
    test's output folder (``tmp_path``), pass or fail. A Content-Security-Policy violation fails the test."""
    yield from _page(browser, tmp_path)


@pytest.fixture
def page_without_js(browser, tmp_path):
    """A page with JavaScript switched off: every core flow must work without it."""
    yield from _page(browser, tmp_path, java_script_enabled=False)


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def sign_in(page, base: str, email: str, password: str = PASSWORD, remember: bool = False) -> None:
    """Fill in and send the sign-in form."""
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    if remember:
        page.check("input[name=remember]")
    page.click("main form button[type=submit]")
