"""``/health``: whether this server can answer searches, for people, load balancers and ``make run``."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from .auth.access import public
from .search_sync import outbox_status
from .warmup import status

bp = Blueprint("health", __name__)


@bp.route("/health")
@public
def health():
    """200 with ``"status": "ready"`` once models are loaded and the index is readable, else 503 and why.

    ``outbox``: index changes waiting to be applied (how many, for how many
    suppliers, the oldest's age in seconds); a growing queue does not make a
    server unready (its searches still answer), but monitoring should alert on it.

    ``search.fallbacks``: searches this process answered from SQL because the
    backend failed, and ``last_fallback_seconds`` ago the last one did.

    ``starting``: the background warm-up is loading models; ``cold``: no warm-up
    was asked for and no search has loaded them yet; ``degraded``: no readable
    index, or the warm-up failed.
    """
    from search.backend import BackendError

    from .search_service import get_search, search_failures

    warm = status()
    service = get_search()
    cold = [name for name, encoder in service.encoders.items() if not getattr(encoder, "loaded", True)]
    try:
        found = service.backend.health()
        search = {key: found.get(key) for key in ("backend", "status", "live", "documents")}
    except (BackendError, OSError) as exc:
        current_app.logger.warning("health: search backend unavailable: %s", exc)
        search = {"status": "unavailable"}  # the reason is in the log, not in a public answer
    search.update(search_failures().as_dict())  # searches this process answered from SQL instead
    loading = warm.state == "loading"
    models = {**{key: value for key, value in warm.as_dict().items() if key != "error"}, "not_loaded": cold}
    if loading:
        state = "starting"
    elif warm.state == "failed" or search.get("status") != "ok":
        state = "degraded"
    else:  # without a warm-up the models load on the first search: until then say so
        state = "cold" if cold else "ready"
    try:
        outbox = outbox_status()
    except SQLAlchemyError as exc:
        current_app.logger.warning("health: outbox unreadable: %s", exc)
        outbox = {"status": "unavailable"}
    body = {"status": state, "models": models, "search": search, "outbox": outbox}
    return jsonify(body), 200 if state == "ready" else 503
