"""The search worker behind ``matchmaker worker``: applies the outbox to the live index, continuously.

One worker is active at a time across every host sharing the database (the
``search-worker`` job lock); others stand by and take over when it stops, so
running one per host is safe. Each pass applies up to ``batch_size`` due rows
(:func:`matchmaker.search_sync.process_outbox`); when nothing is due it sleeps
``poll`` seconds, so an edit is searchable well within a second or two. A
database or backend outage never stops the worker: it waits, backing off, and
carries on where it left off.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .locks import LockHeld, job_lock
from .search_sync import BatchResult, process_outbox

LOCK = "search-worker"
STANDBY_SECONDS = 5.0
MAX_PAUSE_SECONDS = 30.0


@dataclass
class WorkerTotals:
    """What a worker run did, for its last line."""

    passes: int = 0
    applied: int = 0
    failed: int = 0


Report = Callable[[str], None]


def run_worker(*, batch_size: int = 200, poll: float = 0.5, once: bool = False,
               stop: threading.Event | None = None, report: Report | None = None) -> WorkerTotals:
    """Apply the outbox until ``stop`` is set (or, with ``once``, until nothing is due); return the totals.

    ``report`` gets one line per pass that did something, and on standby.
    Call it inside an app context.
    """
    stop = stop or threading.Event()
    say = report or (lambda line: current_app.logger.info(line))
    totals = WorkerTotals()
    standing_by = False
    while not stop.is_set():
        try:
            with job_lock(LOCK):
                if standing_by:
                    say("Search worker: the other worker stopped; taking over.")
                _work(batch_size, poll, once, stop, say, totals)
                return totals
        except LockHeld as exc:
            if once:
                raise
            if not standing_by:
                say(f"Search worker: standing by, {exc}.")
                standing_by = True
            stop.wait(STANDBY_SECONDS)
    return totals


def _work(batch_size: int, poll: float, once: bool, stop: threading.Event, say: Report,
          totals: WorkerTotals) -> None:
    pause = poll
    while not stop.is_set():
        started = time.perf_counter()
        try:
            result = process_outbox(batch_size)
        except SQLAlchemyError as exc:  # the database restarts or a failover: wait and carry on
            pause = min(max(pause * 2, 1.0), MAX_PAUSE_SECONDS)
            say(f"Search worker: database unavailable ({type(exc).__name__}); retrying in {pause:.0f} s.")
            stop.wait(pause)
            continue
        finally:
            db.session.remove()  # no transaction stays open between passes
        pause = poll
        totals.passes += 1
        totals.applied += result.applied
        totals.failed += result.failed
        if result.applied or result.failed:
            say(_line(result, time.perf_counter() - started))
        if result.taken >= batch_size:
            continue  # a full batch: more may be due right now
        if once:
            return
        stop.wait(poll)


def _line(result: BatchResult, seconds: float) -> str:
    line = f"Search worker: applied {result.applied} supplier change(s) in {seconds * 1000:.0f} ms"
    if result.failed:
        line += f"; {result.failed} failed and will be retried ({result.error})"
    return line + "."
