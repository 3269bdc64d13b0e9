"""``matchmaker worker``: applies the outbox continuously, stands by behind another worker, rides out outages.

The last test runs the real command in its own process beside an app in
``worker`` mode, with the model-free ``hashing`` encoder (the subject is the
sync, not ranking quality).
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

import matchmaker.search_sync as sync
import matchmaker.sync_worker as worker
from matchmaker.locks import LockHeld, job_lock
from matchmaker.models import SearchOutboxEntry

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def found(runner, query):
    result = runner.invoke(args=["search", query, "--mode", "lexical", "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line)["external_id"] for line in result.output.splitlines() if line.startswith("{")]


def queued(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(SearchOutboxEntry.id)).where(SearchOutboxEntry.applied_at.is_(None)))


@pytest.fixture
def indexed(app, runner, make_supplier):
    make_supplier(external_id="BASE", description="valve bodies")
    assert runner.invoke(args=["reindex"]).exit_code == 0
    app.config["SEARCH_SYNC"] = "worker"


def test_once_applies_everything_due_and_reports(app, runner, db, indexed, make_supplier):
    for i in range(5):
        make_supplier(external_id=f"W{i}", description=f"graphite crucibles {i}")
    lines = []
    totals = worker.run_worker(batch_size=2, once=True, report=lines.append)
    assert (totals.applied, totals.failed, totals.passes) == (5, 0, 3)
    assert queued(db) == 0 and len(found(runner, "crucibles")) == 5
    assert lines[0].startswith("Search worker: applied 2 supplier change(s) in ")


def test_a_running_worker_picks_up_edits_and_stops_on_request(app, runner, db, indexed, make_supplier):
    stop = threading.Event()

    def run():
        with app.app_context():
            worker.run_worker(poll=0.05, stop=stop)
    thread = threading.Thread(target=run)
    thread.start()
    try:
        make_supplier(external_id="LIVE", description="ceramic bearings")
        deadline = time.monotonic() + 30
        while queued(db) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert found(runner, "ceramic") == ["LIVE"]
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_a_second_worker_stands_by_until_the_first_stops(app, db, indexed, make_supplier, monkeypatch):
    monkeypatch.setattr(worker, "STANDBY_SECONDS", 0.05)
    make_supplier(external_id="SB", description="standby")
    with pytest.raises(LockHeld):
        with job_lock(worker.LOCK):
            worker.run_worker(once=True)
    lines, stop = [], threading.Event()
    held, release = threading.Event(), threading.Event()

    def first():
        with app.app_context(), job_lock(worker.LOCK):
            held.set()
            release.wait(30)
    other = threading.Thread(target=first)
    other.start()
    held.wait(30)

    def second():
        with app.app_context():
            worker.run_worker(poll=0.05, stop=stop, report=lines.append)
    standby = threading.Thread(target=second)
    standby.start()
    time.sleep(0.3)
    assert queued(db) == 1 and lines and "standing by" in lines[0]
    release.set()
    other.join(30)
    deadline = time.monotonic() + 30
    while queued(db) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    standby.join(30)
    assert queued(db) == 0 and any("taking over" in line for line in lines)


def test_a_database_outage_pauses_the_worker_instead_of_killing_it(app, db, indexed, make_supplier, monkeypatch):
    make_supplier(external_id="DB", description="after the outage")
    original, failures = sync.process_outbox, []

    def flaky(limit):
        if not failures:
            failures.append(limit)
            raise OperationalError("SELECT", {}, Exception("server closed the connection"))
        return original(limit)
    monkeypatch.setattr(worker, "process_outbox", flaky)
    lines = []
    totals = worker.run_worker(once=True, report=lines.append)
    assert "database unavailable (OperationalError); retrying in 1 s" in lines[0]
    assert totals.applied == 1 and queued(db) == 0


def test_cli_once_and_its_lock_message(app, runner, db, indexed, make_supplier):
    make_supplier(external_id="CLI", description="tin ingots")
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Search worker stopped: 1 change(s) applied, 0 failed" in result.output
    assert found(runner, "ingots") == ["CLI"]
    with job_lock(worker.LOCK):
        locked = runner.invoke(args=["worker", "--once"])
    assert locked.exit_code == 75 and "the running worker applies the queue" in locked.output
    assert "--poll" in runner.invoke(args=["worker", "--help"]).output


def test_the_worker_process_keeps_the_index_in_step_with_another_process(tmp_path):
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(tmp_path), MATCHMAKER_EMBEDDING_MODEL="hashing",
               MATCHMAKER_SECRET_KEY="x" * 40, MATCHMAKER_SEARCH_SYNC="worker")
    env.pop("MATCHMAKER_DATABASE_URL", None)

    def cli(*args):
        done = subprocess.run([str(BIN / "matchmaker"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"external_id": "P1", "name": "Pump Works", "description": "pumps",
                                 "industry": "machinery"}) + "\n")
    cli("db", "upgrade")
    cli("import", "suppliers", str(first))
    cli("reindex")
    process = subprocess.Popen([str(BIN / "matchmaker"), "worker", "--poll", "0.1"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        second = tmp_path / "second.jsonl"
        second.write_text(json.dumps({"external_id": "P2", "name": "Gasket Works", "description": "gaskets",
                                      "industry": "machinery"}) + "\n")
        cli("import", "suppliers", str(second))  # another process, in worker mode: it only queues
        deadline = time.monotonic() + 60
        while "P2" not in cli("search", "gaskets", "--mode", "lexical", "--json"):
            assert time.monotonic() < deadline, "the worker never applied the import"
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "Search worker started" in output and "applied 1 supplier change(s)" in output
    assert "Search worker stopped: 1 change(s) applied, 0 failed" in output
