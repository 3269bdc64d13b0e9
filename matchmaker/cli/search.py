"""``matchmaker reindex``, ``check-index``, ``worker``, ``sync`` and ``search``: build the index, keep it in step
and check it, query it."""
from __future__ import annotations

import json
import signal
import sys
import threading
import time
from contextlib import contextmanager

import click

from search.backend import BackendError
from search.documents import MODES

from ..locks import LockHeld
from ..reindex_job import run_reindex
from ..display import display_name, name_pair
from ..matching.service import match_text
from ..matching.suggestions import existing_request_ids, open_request_ids, stored_matches, suggest_for_ids
from ..search_service import parse_filter
from ..search_sync import drain_outbox
from ..sync_worker import run_worker

EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; try again later


PROGRESS_LINES = 10  # without a terminal, one line per tenth of the work


@contextmanager
def progress_bar():
    """A progress callback ``(done, total)``: a bar with rate and ETA on a terminal, else a line per tenth.

    Lines matter when the output is a log or a pipe (``make run`` under an IDE,
    CI, systemd): a long build must not look like a hang.
    """
    state = {"bar": None, "started": time.monotonic(), "next": 1}

    def rate(done: int) -> float:
        return done / max(time.monotonic() - state["started"], 1e-6)

    def line(done: int, total: int) -> None:
        if total <= 0 or done * PROGRESS_LINES < state["next"] * total and done < total:
            return
        while state["next"] * total <= done * PROGRESS_LINES:
            state["next"] += 1
        speed = rate(done)
        left = (total - done) / speed if speed else 0
        click.echo(f"Indexing: {done:,} of {total:,} suppliers ({done / total:.0%}), {speed:,.0f}/s, "
                   f"about {left:,.0f} s left", err=True)

    def bar(done: int, total: int) -> None:
        if state["bar"] is None:
            state["bar"] = click.progressbar(length=total, label="Indexing", file=sys.stderr,
                                             show_pos=True, show_eta=True)
            state["bar"].__enter__()
        state["bar"].label = f"Indexing ({rate(done):,.0f} suppliers/s)"
        state["bar"].update(done - state["bar"].pos)
    try:
        yield bar if sys.stderr.isatty() else line
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


@click.command("reindex")
@click.option("--full", is_flag=True,
              help="Rebuild every document from the database, even when only the changes would do.")
@click.option("--re-embed", is_flag=True, help="Rebuild in full and embed every profile again (the cache is not read).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=256, show_default=True,
              help="Suppliers embedded and loaded per batch.")
@click.option("--keep", type=click.IntRange(0, 100), default=2, show_default=True,
              help="Previous index versions to keep for --rollback.")
@click.option("--rollback", is_flag=True, help="Make the previous index version live again; build nothing.")
@click.option("--if-missing", is_flag=True, help="Do nothing when a live index exists already.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def reindex_command(full: bool, re_embed: bool, batch_size: int, keep: int, rollback: bool, if_missing: bool,
                    as_json: bool) -> None:
    """Rebuild the search index from the database and swap it in with zero downtime.

    When the live index was built with the same schema, encoders and ranking
    profile, the new version starts as a copy of it and takes only the
    suppliers added, changed or deleted since (--full rebuilds everything).
    Only profiles whose text changed are embedded again (the embedding cache
    has the rest). The new version is verified (document count, a probe
    query) before the swap; on any failure the live index is left as it was.
    A second run while one is going, on this host or any other sharing the
    database, exits at once with code 75.
    """
    try:
        with progress_bar() as progress:
            summary = run_reindex(full=full, re_embed=re_embed, batch_size=batch_size, keep=keep, rollback=rollback,
                                  if_missing=if_missing, progress=progress)
    except LockHeld as exc:
        click.echo(f"Error: {exc}; try again later.", err=True)
        sys.exit(EXIT_LOCKED)
    except BackendError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary, ensure_ascii=False) if as_json else summary["message"])


@click.command("check-index")
@click.option("--fix", is_flag=True, help="Repair the drift: re-apply those suppliers to the live index.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
def check_index_command(fix: bool, as_json: bool) -> None:
    """Compare the live search index with the database: ids and content, supplier by supplier.

    Reports suppliers missing from the index, documents of deleted suppliers,
    and documents whose content differs from the database (each with its
    ids); changes still queued for the worker are counted apart. --fix
    re-applies the drifted suppliers (queued for the worker if the backend
    fails). Exits 0 when the index is in step (or was repaired), 1 when drift
    is left, 75 while a reindex runs.
    """
    from ..index_check import check_index

    try:
        with progress_bar() as progress:
            drift = check_index(fix=fix, progress=progress)
    except LockHeld as exc:
        click.echo(f"Error: {exc}; check again when it is done.", err=True)
        sys.exit(EXIT_LOCKED)
    except BackendError as exc:
        raise click.ClickException(f"{exc}; run `matchmaker reindex --full` to rebuild the index") from exc
    click.echo(json.dumps(drift.as_dict(), ensure_ascii=False) if as_json else drift.summary())
    if not drift.in_step:
        sys.exit(1)


@click.command("worker")
@click.option("--batch-size", type=click.IntRange(1, 5_000), default=200, show_default=True,
              help="Queued changes applied per pass.")
@click.option("--poll", type=click.FloatRange(0.05, 60), default=0.5, show_default=True,
              help="Seconds to wait when nothing is queued.")
@click.option("--once", is_flag=True, help="Apply what is due now and exit (cron, or a manual catch-up).")
def worker_command(batch_size: int, poll: float, once: bool) -> None:
    """Keep the search index in step with the database: apply queued supplier changes as they come.

    Every edit, import and deletion queues its search change in the same
    transaction; this worker embeds and indexes them in batches, retrying
    failures with backoff. Run one beside the web server (make run, the
    systemd unit and docker compose do). A second worker, on any host sharing
    the database, stands by and takes over when the first stops.
    Stops cleanly on Ctrl+C or SIGTERM, after the batch in hand.
    """
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    if not once:
        click.echo(f"Search worker started (batch {batch_size}, poll {poll:g} s); Ctrl+C stops it.")
    try:
        totals = run_worker(batch_size=batch_size, poll=poll, once=once, stop=stop, report=click.echo)
    except LockHeld as exc:
        click.echo(f"Error: {exc}; the running worker applies the queue.", err=True)
        sys.exit(EXIT_LOCKED)
    if once or totals.applied or totals.failed:
        click.echo(f"Search worker stopped: {totals.applied} change(s) applied, {totals.failed} failed "
                   f"(failed ones stay queued).")


@click.command("sync")
def sync_command() -> None:
    """Apply every queued search index change now, ignoring backoff (after fixing a failing backend)."""
    applied, queued = drain_outbox()
    if queued:
        raise click.ClickException(f"{queued} change(s) still queued: the search backend is failing "
                                   "(see search_outbox.last_error or the admin's Search page); nothing was lost")
    click.echo(f"Applied {applied} queued change(s)." if applied else "Nothing queued.")


@click.command("search")
@click.argument("text")
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True)
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help="industry=auto-parts, certifications=ISO 9001, smart_factory_level>=3 (repeatable).")
@click.option("-k", type=click.IntRange(1, 200), default=10, show_default=True, help="How many results.")
@click.option("--offset", type=click.IntRange(0, 10_000), default=0, help="Skip this many results (paging).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per result, with its explanation.")
def search_command(text: str, mode: str, filters: tuple[str, ...], k: int, offset: int, as_json: bool) -> None:
    """Rank suppliers for TEXT with the matching service, as the catalog does, and print them with reasons.

    When nothing fits, says so and prints the closest partial matches.
    """
    if not text.strip():
        raise click.UsageError("TEXT is empty: say what to search for")
    try:
        parsed = tuple(parse_filter(item) for item in filters)
        wanted = next((f.values[0] for f in parsed if f.field == "certifications" and f.values), None)
        # -k and --offset need not line up with pages: fetch the pages that cover them.
        first = offset // k + 1
        result = match_text(text, parsed, page=first, per_page=k, mode=mode, certification=wanted, highlight=False)
        skip = offset - (first - 1) * k
        shown = result.items[skip:]
        if skip and len(shown) < k:
            shown += match_text(text, parsed, page=first + 1, per_page=k, mode=mode, certification=wanted,
                                highlight=False).items
        shown = shown[:k]
    except (ValueError, BackendError) as exc:
        raise click.ClickException(str(exc)) from exc
    partial = result.partial[:k] if result.fits_nothing else []
    if result.fits_nothing:
        click.echo(f"No supplier fits {text!r}; closest partial matches:", err=True)
    for match in shown or partial:
        print_match(match, as_json, partial=bool(partial))
    if not as_json and not result.fits_nothing:
        click.echo(f"{len(shown)} shown of {result.total} that fit ({mode}).", err=True)


def print_match(match, as_json: bool, partial: bool = False) -> None:
    """One ranked supplier as a table row with its reason, or as one JSON object."""
    supplier = match.supplier
    shown, korean = name_pair(supplier.name, supplier.name_en)
    name = f"{shown} ({korean})" if korean else shown  # romanized when there is no English name
    if as_json:
        click.echo(json.dumps({"rank": match.rank, "external_id": supplier.external_id, "name": name,
                               "score": round(match.score, 6), "fits": not partial, **match.breakdown(),
                               "lexical_score": match.hit.lexical_score, "lexical_rank": match.hit.lexical_rank,
                               "vector_scores": match.hit.vector_scores, "vector_ranks": match.hit.vector_ranks,
                               "explanation": match.explanation.as_dict() if match.explanation else None},
                              ensure_ascii=False))
        return
    click.echo(f"{match.rank:>3}. {supplier.external_id:<16} {match.score:7.3f}  {name}")
    if match.explanation:
        click.echo(f"     {match.explanation.summary}")


@click.command("match")
@click.argument("request_ids", nargs=-1, metavar="[REQUEST_ID]...")
@click.option("--all", "match_all", is_flag=True, help="Match every open request.")
@click.option("--show", is_flag=True, help="Also print each request's suggestions with their reasons.")
def match_command(request_ids: tuple[str, ...], match_all: bool, show: bool) -> None:
    """Rank suppliers for buyer requests and store the best as suggested matches.

    REQUEST_ID is a request's external id (e.g. RFQ-DEMO-0001). Decisions
    already made on a request's matches (shortlisted, rejected, graded, noted)
    are kept; their scores are refreshed.
    """
    if bool(request_ids) == match_all:
        raise click.UsageError("give one or more REQUEST_IDs, or --all")
    ids = list(request_ids) if request_ids else open_request_ids()
    known = set(existing_request_ids(ids))
    if missing := [i for i in ids if i not in known]:
        raise click.ClickException(f"no request with id {', '.join(missing)}")
    report = suggest_for_ids(ids)
    if report.error:
        raise click.ClickException(report.error)
    click.echo(report.summary())
    if show:
        for external_id in ids:
            click.echo(f"\n{external_id}:")
            for match in stored_matches(external_id):
                click.echo(f"{match.rank or '-':>3}. {match.supplier.external_id:<16} {match.status:<11} "
                           f"{display_name(match.supplier.name, match.supplier.name_en)}\n"
                           f"     {(match.explanation or {}).get('summary', '')}")
