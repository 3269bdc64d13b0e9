"""Security headers (Flask-Talisman, matchmaker.security): a strict Content-Security-Policy with a nonce for
the one inline style, no framing, a short referrer, no sniffing, HSTS in production over HTTPS."""
import re

import pytest

from tests.conftest import make_app


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/auth/login", "/auth/register", "/nowhere", "/health"])
def test_every_response_carries_the_headers(client, url):
    response = client.get(url)
    rules = policy(response)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert rules["default-src"] == "'self'" and rules["script-src"] == "'self'"
    assert rules["frame-ancestors"] == "'none'" and rules["object-src"] == "'none'"
    assert re.fullmatch(r"'self' 'nonce-[\w-]+'", rules["style-src"])
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # development, plain HTTP


def test_the_dashboard_chart_style_carries_this_responses_nonce(client, auth, users):
    auth.login("specialist@example.com")
    response = client.get("/dashboard/")
    html = response.get_data(as_text=True)
    styles = re.findall(r"<style([^>]*)>", html)
    assert styles, "the dashboard draws charts"
    nonce = re.search(r"'nonce-([\w-]+)'", policy(response)["style-src"]).group(1)
    assert all(f'nonce="{nonce}"' in attributes for attributes in styles)
    assert ' style="' not in html  # style attributes would need 'unsafe-inline'


def test_production_sends_hsts_over_https_and_secure_cookies(tmp_path):
    app = make_app(tmp_path, "sqlite", ENV_NAME="production", SECRET_KEY="k" * 48)
    client = app.test_client()
    secure = client.get("/auth/login", base_url="https://matchmaker.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    assert "Secure" in secure.headers["Set-Cookie"] and "HttpOnly" in secure.headers["Set-Cookie"]


def test_the_database_secret_key_and_index_are_owner_only(tmp_path, monkeypatch):
    import stat
    from pathlib import Path

    import os

    monkeypatch.delenv("MATCHMAKER_SECRET_KEY", raising=False)
    previous = os.umask(0o022)  # a usual login umask: create_app must tighten it itself
    instance = tmp_path / "instance"
    app = make_app(tmp_path, "sqlite", INSTANCE_PATH=str(instance), SECRET_KEY=None,
                   SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'matchmaker.sqlite3'}")
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        assert runner.invoke(args=["reindex"]).exit_code == 0
    files = [path for path in Path(instance).rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {"matchmaker.sqlite3", "secret_key", "index.sqlite3"}
    loose = {str(path.relative_to(instance)): oct(stat.S_IMODE(path.stat().st_mode)) for path in files
             if stat.S_IMODE(path.stat().st_mode) & 0o077}
    os.umask(previous)
    assert loose == {}
