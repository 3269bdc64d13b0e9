"""Operations: a structured log line per request with its id, and errors reported to Sentry when a DSN is set."""
import gzip
import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from matchmaker import observability
from matchmaker.auth.access import public
from tests.conftest import make_app


def json_lines(app, client, *paths, headers=None):
    """The request log lines ``paths`` produce, parsed from the app's own JSON handler."""
    stream = io.StringIO()
    handler = next(h for h in app.logger.handlers if isinstance(h, observability._Handler))
    previous = handler.setStream(stream)
    try:
        for path in paths:
            client.get(path, headers=headers or {})
    finally:
        handler.setStream(previous)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_logs_one_json_line_with_its_id(tmp_path):
    app = make_app(tmp_path, "sqlite", LOG_FORMAT="json")
    with app.app_context():
        from matchmaker.extensions import db
        db.create_all()
    client = app.test_client()
    lines = json_lines(app, client, "/", "/nowhere")
    requests = [line for line in lines if line["logger"] == "matchmaker.requests"]
    assert [(r["method"], r["status"], r["route"]) for r in requests] == [("GET", 200, "/"), ("GET", 404, "/nowhere")]
    first = requests[0]
    assert first["route"] == "/" and first["endpoint"] == "catalog.index" and first["level"] == "INFO"
    assert first["duration_ms"] >= 0 and first["bytes"] > 0 and first["user_id"] is None
    assert len(first["request_id"]) == 32 and "time" in first


def test_the_request_id_is_sent_back_and_a_proxys_is_kept(tmp_path):
    app = make_app(tmp_path, "sqlite")
    with app.app_context():
        from matchmaker.extensions import db
        db.create_all()
    client = app.test_client()
    made = client.get("/health").headers["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/health").headers["X-Request-ID"]
    assert client.get("/health", headers={"X-Request-ID": "lb-1234abcd"}).headers["X-Request-ID"] == "lb-1234abcd"
    for bad in ("short", "<script>alert(1)</script>", "x" * 65):  # not an id: replaced, never echoed
        forged = client.get("/health", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert forged != bad and len(forged) == 32


def test_routes_with_tokens_log_the_rule_not_the_path(tmp_path):
    app = make_app(tmp_path, "sqlite", LOG_FORMAT="json")
    app.add_url_rule("/t/<token>", "token_page", public(lambda token: "ok"))
    client = app.test_client()
    (line,) = [entry for entry in json_lines(app, client, "/t/very-secret-value")
               if entry["logger"] == "matchmaker.requests"]
    assert line["route"] == "/t/<token>" and "very-secret-value" not in json.dumps(line)


def test_development_logs_read_as_text(tmp_path):
    app = make_app(tmp_path, "sqlite")
    assert app.config["LOG_FORMAT"] == "text"
    handler = next(h for h in app.logger.handlers if isinstance(h, observability._Handler))
    record = logging.LogRecord("matchmaker.requests", logging.INFO, __file__, 1, "GET / 200", (), None)
    assert handler.format(record).endswith("INFO matchmaker.requests: GET / 200")
    assert len([h for h in make_app(tmp_path / "2", "sqlite").logger.handlers
                if isinstance(h, observability._Handler)]) == 1  # a second app replaces, never doubles


class Ingest(BaseHTTPRequestHandler):
    """Sentry's envelope endpoint, locally: keeps every body it is sent."""

    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Ingest.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def ingest():
    server = HTTPServer(("127.0.0.1", 0), Ingest)
    Ingest.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/1"
    server.shutdown()
    import sentry_sdk
    sentry_sdk.init(dsn=None)  # later tests run without reporting


def test_an_unhandled_error_reaches_sentry_and_the_user_gets_the_500_page(tmp_path, ingest):
    app = make_app(tmp_path, "sqlite", SENTRY_DSN=ingest)

    @public
    def broken():
        raise RuntimeError("the widget exploded")
    app.add_url_rule("/broken", "broken", broken)
    with app.app_context():
        from matchmaker.extensions import db
        db.create_all()
    response = app.test_client().get("/broken")
    assert response.status_code == 500 and "Something went wrong on our side" in response.get_data(as_text=True)
    import sentry_sdk
    sentry_sdk.flush(timeout=10)
    events = b"".join(Ingest.received).decode()
    assert "the widget exploded" in events and "RuntimeError" in events


def test_without_a_dsn_nothing_is_started(tmp_path):
    app = make_app(tmp_path, "sqlite")
    assert app.config["SENTRY_DSN"] is None and observability.init_sentry(app) is False
