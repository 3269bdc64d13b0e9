"""``matchmaker reindex`` and ``matchmaker search``: build the index, query it from a terminal."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from sqlalchemy import delete, func, select

from flask import current_app

from indexers.build import build_index
from indexers.build import rollback as rollback_version
from indexers.lock import JobLock, LockHeld
from search.backend import BackendError
from search.documents import MODES, SearchRequest

from ..dataio.exporter import iter_suppliers
from ..extensions import db
from ..models import SearchOutboxEntry, Supplier
from ..models._columns import utcnow
from ..search_sync import drain_outbox
from ..search_service import embedding_cache, get_search, load_in_order, parse_filter

LOCK_FILE = "reindex.lock"


EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; try again later


@click.command("reindex")
@click.option("--full", is_flag=True, help="Re-embed every profile instead of reusing cached embeddings.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=256, show_default=True,
              help="Suppliers embedded and loaded per batch.")
@click.option("--keep", type=click.IntRange(0, 100), default=2, show_default=True,
              help="Previous index versions to keep for --rollback.")
@click.option("--rollback", is_flag=True, help="Make the previous index version live again; build nothing.")
@click.option("--if-missing", is_flag=True, help="Do nothing when a live index exists already.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def reindex_command(full: bool, batch_size: int, keep: int, rollback: bool, if_missing: bool, as_json: bool) -> None:
    """Rebuild the search index from the database and swap it in with zero downtime.

    Only profiles whose text changed are embedded again (the embedding cache
    has the rest). The new version is verified (document count, a probe
    query) before the swap; on any failure the live index is left as it was.
    A second run while one is going exits at once with code 75.
    """
    try:
        with JobLock(Path(current_app.instance_path) / LOCK_FILE):
            summary = run_reindex(full=full, batch_size=batch_size, keep=keep, rollback=rollback,
                                  if_missing=if_missing)
    except LockHeld as exc:
        click.echo(f"Error: {exc}; try again later.", err=True)
        sys.exit(EXIT_LOCKED)
    except BackendError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary, ensure_ascii=False) if as_json else summary["message"])


def run_reindex(*, full: bool = False, batch_size: int = 256, keep: int = 2, rollback: bool = False,
                if_missing: bool = False) -> dict:
    """The work behind ``matchmaker reindex``; returns the summary."""
    service = get_search()
    backend = service.backend
    if rollback:
        version = rollback_version(backend)
        return {"action": "rollback", "version": version, "message": f"Rolled back: {version} is live again."}
    if if_missing and backend.live_version():
        return {"action": "none", "version": backend.live_version(),
                "message": f"The search index is built already ({backend.live_version()})."}
    started_at = utcnow()
    expected = db.session.scalar(select(func.count(Supplier.id))) or 0
    with click.progressbar(length=expected, label="Indexing suppliers", file=sys.stderr,
                           hidden=not sys.stderr.isatty(), show_pos=True, show_eta=True,
                           item_show_func=lambda _: None) as bar:
        report = build_index(backend, service.encoders, iter_suppliers(), expected, cache=embedding_cache(),
                             use_cache=not full, batch_size=batch_size, keep=keep, progress=bar.update)
    # Queued changes older than this build are in it; newer ones (made while it ran) are applied now.
    with db.engine.begin() as connection:
        connection.execute(delete(SearchOutboxEntry.__table__).where(SearchOutboxEntry.created_at < started_at))
    applied, queued = drain_outbox()
    return {"action": "build", **report.as_dict(), "outbox_applied": applied, "outbox_queued": queued,
            "message": "Indexed " + report.summary() + "."}


@click.command("sync")
def sync_command() -> None:
    """Apply search index changes queued while the search backend was failing."""
    applied, queued = drain_outbox()
    if queued:
        raise click.ClickException(f"{queued} change(s) still queued: the search backend is failing "
                                   "(see search_outbox.last_error); nothing was lost")
    click.echo(f"Applied {applied} queued change(s)." if applied else "Nothing queued.")


@click.command("search")
@click.argument("text")
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True)
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help="industry=auto-parts, certifications=ISO 9001, smart_factory_level>=3 (repeatable).")
@click.option("-k", type=click.IntRange(1, 500), default=10, show_default=True, help="How many results.")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many results (paging).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per result, for scripts.")
def search_command(text: str, mode: str, filters: tuple[str, ...], k: int, offset: int, as_json: bool) -> None:
    """Search the supplier index for TEXT and print the ranked suppliers."""
    try:
        parsed = tuple(parse_filter(item) for item in filters)
        service = get_search()
        result = service.engine(text).search(SearchRequest(text=text, filters=parsed, mode=mode, k=k, offset=offset))
    except (ValueError, BackendError) as exc:
        raise click.ClickException(str(exc)) from exc
    rows = {row.external_id: row for row in load_in_order([hit.id for hit in result.hits])}
    for hit in result.hits:
        row = rows.get(hit.id)
        name = row.display_name if row else "(no longer in the database)"
        if as_json:
            click.echo(json.dumps({"rank": hit.rank, "external_id": hit.id, "name": name, "score": hit.score,
                                   "lexical_score": hit.lexical_score, "lexical_rank": hit.lexical_rank,
                                   "vector_scores": hit.vector_scores, "vector_ranks": hit.vector_ranks},
                                  ensure_ascii=False))
        else:
            click.echo(f"{hit.rank:>3}. {hit.id:<16} {hit.score:8.4f}  {name}")
    if not as_json:
        click.echo(f"{len(result.hits)} shown of {result.total} ({mode}).", err=True)
