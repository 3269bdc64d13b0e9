"""Loading the search models in the background as soon as a server starts, and telling when it is ready.

A model takes 15–25 s to load on a small machine. A server started with
``WARM_UP`` (``MATCHMAKER_WARM_UP=1``; the gunicorn configuration sets it) loads them in a
daemon thread right after the app is created, never at import; meanwhile
searches answer from the words alone (:func:`is_ready`), so the first visitor
never waits on a blank page, and ``/health`` says when meaning-based search is
ready.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from flask import Flask, current_app

EXTENSION = "matchmaker.warmup"


@dataclass
class Warmup:
    """What the background load has done so far."""

    state: str = "idle"  # idle (not asked to warm up), loading, ready, failed
    started: float | None = None
    seconds: float | None = None
    error: str | None = None
    loaded: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"state": self.state, "seconds": self.seconds, "loaded": list(self.loaded), "error": self.error}


def status(app: Flask | None = None) -> Warmup:
    """This app's warm-up status (``idle`` when it was never asked to warm up)."""
    app = app or current_app._get_current_object()
    return app.extensions.setdefault(EXTENSION, Warmup())


def is_ready() -> bool:
    """Whether searches may use the encoders without waiting for a model to load."""
    return status().state in ("idle", "ready")


def warm_up(app: Flask) -> Warmup:
    """Load every configured encoder and open the live index (the work of the background thread)."""
    from .search_service import get_search  # the search stack loads on first use, never at import

    found = status(app)
    found.state, found.started = "loading", time.monotonic()
    try:
        with app.app_context():
            service = get_search()
            for name, encoder in service.encoders.items():
                encoder.encode_query("warm-up")  # loads the model and compiles its first pass
                found.loaded.append(name)
            service.backend.health()
        found.state = "ready"
    except Exception as exc:  # noqa: BLE001 - a failed warm-up must not stop the server; /health reports it
        found.state, found.error = "failed", str(exc)
        app.logger.exception("search warm-up failed")
    found.seconds = round(time.monotonic() - found.started, 1)
    return found


def init_app(app: Flask) -> None:
    """Start the background warm-up when the app is configured to (servers, not CLI commands or tests)."""
    if app.config.get("WARM_UP"):
        status(app).state = "loading"
        threading.Thread(target=warm_up, args=(app,), name="search-warm-up", daemon=True).start()
