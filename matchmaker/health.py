"""``/health``: whether this server can answer searches, for people, load balancers and ``make run``."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from .auth.access import public
from .warmup import status

bp = Blueprint("health", __name__)


@bp.route("/health")
@public
def health():
    """200 with ``"status": "ready"`` once models are loaded and the index is readable, else 503 and why."""
    from search.backend import BackendError

    from .search_service import get_search

    warm = status()
    try:
        found = get_search().backend.health()
        search = {key: found.get(key) for key in ("backend", "status", "live", "documents")}
    except (BackendError, OSError) as exc:
        current_app.logger.warning("health: search backend unavailable: %s", exc)
        search = {"status": "unavailable"}  # the reason is in the log, not in a public answer
    loading = warm.state == "loading"
    ready = not loading and warm.state != "failed" and search.get("status") == "ok"
    models = {key: value for key, value in warm.as_dict().items() if key != "error"}
    body = {"status": "ready" if ready else ("starting" if loading else "degraded"), "models": models,
            "search": search}
    return jsonify(body), 200 if ready else 503
