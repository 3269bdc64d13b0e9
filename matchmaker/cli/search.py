"""``matchmaker reindex``, ``sync`` and ``search``: build the index, retry queued changes, query it."""
from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app

from indexers.lock import JobLock, LockHeld
from search.backend import BackendError
from search.documents import MODES, SearchRequest

from ..reindex_job import LOCK_FILE, run_reindex
from ..search_service import get_search, load_in_order, parse_filter
from ..search_sync import drain_outbox

EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; try again later


@contextmanager
def progress_bar():
    """A progress callback ``(done, total)`` drawing a bar with rate and ETA on a terminal, else nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    state = {"bar": None, "started": time.monotonic()}

    def update(done: int, total: int) -> None:
        if state["bar"] is None:
            state["bar"] = click.progressbar(length=total, label="Indexing", file=sys.stderr,
                                             show_pos=True, show_eta=True)
            state["bar"].__enter__()
        rate = done / max(time.monotonic() - state["started"], 1e-6)
        state["bar"].label = f"Indexing ({rate:,.0f} suppliers/s)"
        state["bar"].update(done - state["bar"].pos)
    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


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
            with progress_bar() as progress:
                summary = run_reindex(full=full, batch_size=batch_size, keep=keep, rollback=rollback,
                                      if_missing=if_missing, progress=progress)
    except LockHeld as exc:
        click.echo(f"Error: {exc}; try again later.", err=True)
        sys.exit(EXIT_LOCKED)
    except BackendError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary, ensure_ascii=False) if as_json else summary["message"])


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
