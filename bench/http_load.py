"""HTTP search latency and throughput against gunicorn on loopback, as buyers would hit it.

    python bench/http_load.py                       # 10k and 100k profiles
    python bench/http_load.py --sizes 10000 --requests 200

For each size an instance is made once under ``bench/.scratch/http/<size>/``
(demo-generator profiles imported through the real importer; the index built
by the real backend). Document vectors are random unit vectors of the served
sizes: embedding 100k profiles with three encoders takes hours here, and
latency depends on the sizes, not on what the vectors mean. Queries are
distinct real Canadian tender titles, embedded by the real encoders inside
the server, so each search pays for its query embedding as in production.

gunicorn runs with ``deploy/gunicorn.conf.py`` (one worker per core, four
threads); clients keep their connections open. Measured: ``/api/search``
(JSON) and ``/?q=`` (HTML) with 1 and 4 clients: p50/p95/p99 and QPS; RSS
and PSS per worker (PSS counts shared pages once); the index on disk. Peers
in the same run, in this process: numpy exact float32 top-10 over one 384-dim
field and bm25s over the same analyzed texts. Writes
``bench/results/http.{json,md}``.
"""
from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TENDERS = ROOT.parent / "shared" / "datasets" / "canada_buyandsell_tenders" / "tenders_flat.csv"
RESULTS = ROOT / "bench" / "results"
SCRATCH = ROOT / "bench" / ".scratch" / "http"
BIN = Path(sys.executable).parent
K = 10


def tender_titles(n: int) -> list[str]:
    with TENDERS.open(encoding="utf-8", errors="replace") as handle:
        reader = csv.DictReader(handle)
        column = next(c for c in reader.fieldnames if "title" in c.lower())
        titles = sorted({row[column].strip() for row in reader if row.get(column, "").strip()})
    return random.Random(5).sample(titles, n)


def env_for(folder: Path) -> dict:
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(folder), MATCHMAKER_SECRET_KEY="b" * 40,
               MATCHMAKER_SEARCH_SYNC="off", MATCHMAKER_ENV="development")
    env.pop("MATCHMAKER_DATABASE_URL", None)
    return env


def prepare(size: int) -> Path:
    """An instance with ``size`` generated suppliers and a built index (made once, then reused)."""
    folder = SCRATCH / str(size)
    if (folder / "ready").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ.update(env_for(folder))
    from indexers.documents import supplier_document
    from matchmaker import create_app
    from matchmaker.dataio.exporter import iter_suppliers
    from matchmaker.dataio.importer import import_suppliers
    from matchmaker.demo.generator import make_supplier
    from matchmaker.extensions import db
    from matchmaker.search_service import get_search

    app = create_app()
    with app.app_context():
        db.create_all()
        rng, used = random.Random(size), set()
        lines = []
        for i in range(1, size + 1):
            record = make_supplier(rng, i, used)[0]
            record["external_id"] = f"H-{i:06d}"
            lines.append(json.dumps(record, ensure_ascii=False).encode())
        started = time.perf_counter()
        import_suppliers(lines)
        print(f"  imported {size:,} suppliers in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        service = get_search()
        dims = dict(service.backend.schema.vectors)
        vectors = np.random.default_rng(size)
        backend = service.backend
        version = backend.create_version()

        def documents():
            for record in iter_suppliers(for_index=True):
                made = {name: vectors.standard_normal(d).astype(np.float32) for name, d in dims.items()}
                yield supplier_document(record, made)
        started = time.perf_counter()
        backend.bulk_index(documents(), version, batch_size=2000)
        backend.promote(version)
        print(f"  indexed in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        backend.close()
    (folder / "ready").write_text("1")
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "--bind",
                               f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env_for(folder),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            body = json.loads(connection.getresponse().read() or b"{}")
            if body.get("status") == "ready":
                return server, port
        except (OSError, ValueError):
            pass
        time.sleep(1)
    server.kill()
    raise RuntimeError("gunicorn never became ready")


def workers(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def memory(pid: int) -> dict:
    rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS:"))
    pss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
               if line.startswith("Pss:"))
    return {"rss_mb": round(rss / 1024), "pss_mb": round(pss / 1024)}


def load(port: int, paths: list[str], clients: int) -> dict:
    """Send ``paths`` from ``clients`` keep-alive connections at once; latencies and throughput."""
    chunks = [paths[i::clients] for i in range(clients)]
    times: list[float] = []
    errors = []
    lock = threading.Lock()

    def client(chunk):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for path in chunk:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                errors.append(response.status)
        with lock:
            times.extend(mine)
    threads = [threading.Thread(target=client, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(times)

    def pct(p):
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)
    return {"requests": len(ordered), "clients": clients, "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": pct(0.95), "p99_ms": pct(0.99), "qps": round(len(ordered) / wall, 1), "errors": len(errors)}


def peers(folder: Path, size: int, texts: list[str]) -> dict:
    """numpy exact float32 (one 384-dim field) and bm25s on the instance's texts, in this process."""
    import bm25s

    from search.analysis import analyze
    from search.embedded.version import Version
    rng = np.random.default_rng(1)
    matrix = rng.standard_normal((size, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    queries = rng.standard_normal((len(texts), 384)).astype(np.float32)
    numpy_ms = []
    for query in queries:
        started = time.perf_counter()
        scores = matrix @ query
        top = np.argpartition(-scores, K)[:K]
        top[np.argsort(-scores[top])]
        numpy_ms.append((time.perf_counter() - started) * 1000)
    live = (folder / "search-index" / "LIVE").read_text().strip()
    version = Version(folder / "search-index" / "versions" / live)
    corpus = [analyze(" ".join(json.loads(source).values()))
              for (source,) in version.db.execute("SELECT source FROM docs")]
    version.close()
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    bm25_ms = []
    for text in texts:
        tokens = [t for t in analyze(text) if t in retriever.vocab_dict]
        started = time.perf_counter()
        if tokens:
            retriever.retrieve([tokens], k=K, show_progress=False, n_threads=1)
        bm25_ms.append((time.perf_counter() - started) * 1000)

    def summary(ms):
        ordered = sorted(ms)
        return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(ordered[int(0.95 * len(ordered))], 2)}
    return {"numpy_exact_384": summary(numpy_ms), "bm25s": summary(bm25_ms)}


def disk_mb(folder: Path) -> float:
    live = (folder / "search-index" / "LIVE").read_text().strip()
    total = sum(p.stat().st_size for p in (folder / "search-index" / "versions" / live).rglob("*") if p.is_file())
    return round(total / 2 ** 20, 1)


def edit_latency(folder: Path, port: int, edits: int = 10) -> dict:
    """Seconds from an edit's commit until the server finds it, with ``matchmaker worker`` running.

    Each edit adds a made-up word to a supplier's description through the ORM
    (so the outbox row is written in the same transaction, as in the app);
    the worker embeds it with the real encoders and writes it to the live
    index; the timer stops when ``/api/search`` (lexical) lists the supplier.
    One unmeasured edit first lets the worker load its models.
    """
    env = {**env_for(folder), "MATCHMAKER_SEARCH_SYNC": "worker"}
    worker = subprocess.Popen([str(BIN / "matchmaker"), "worker", "--poll", "0.2"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ.update(env)
    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Supplier
    app = create_app()
    seconds = []
    try:
        with app.app_context():
            for i in range(edits + 1):
                supplier = db.session.get(Supplier, 1 + i * 997)
                word = f"zqx{uuid.uuid4().hex[:12]}"  # new in every run: the instances are kept between runs
                supplier.description = f"{supplier.description} {word}"
                db.session.commit()
                started = time.perf_counter()
                while time.perf_counter() - started < 120:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    connection.request("GET", f"/api/search?q={word}&mode=lexical")
                    found = json.loads(connection.getresponse().read())
                    if any(r["external_id"] == supplier.external_id for r in found.get("results", [])):
                        break
                    time.sleep(0.05)
                if i:  # the first edit waited for the worker's models
                    seconds.append(time.perf_counter() - started)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    ordered = sorted(seconds)
    return {"edits": len(ordered), "p50_s": round(statistics.median(ordered), 2), "max_s": round(ordered[-1], 2)}


def run(size: int, requests: int) -> dict:
    folder = prepare(size)
    texts = tender_titles(requests * 4 + 20)  # every request a query no worker has embedded yet
    server, port = start_server(folder)
    try:
        report = {"profiles": size, "index_mb": disk_mb(folder)}
        warm = [f"/api/search?q={urllib.parse.quote(t)}" for t in texts[-20:]]
        load(port, warm, 2)  # every worker has searched once (vectors mapped, caches warm)
        settings = [(kind, template, clients) for kind, template in (
            ("json", "/api/search?q={}&per_page=10"), ("html", "/?q={}")) for clients in (1, 4)]
        for number, (kind, template, clients) in enumerate(settings):
            chosen = texts[number * requests:(number + 1) * requests]
            paths = [template.format(urllib.parse.quote(t)) for t in chosen]
            report[f"{kind}_{clients}"] = load(port, paths, clients)
            print(f"  {size:,} {kind} x{clients}: {report[f'{kind}_{clients}']}", file=sys.stderr)
        report["workers"] = [memory(pid) for pid in workers(server)]
        report["total_rss_mb"] = sum(w["rss_mb"] for w in report["workers"])
        report["total_pss_mb"] = sum(w["pss_mb"] for w in report["workers"])
        report["edit_to_searchable"] = edit_latency(folder, port)
        print(f"  {size:,} edit to searchable: {report['edit_to_searchable']}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=60)
    report["peers"] = peers(folder, size, texts[:requests])
    return report


def markdown(report: dict) -> str:
    lines = [f"# HTTP search against gunicorn ({report['cpus']} CPUs, loopback)", "",
             "Hybrid search (BM25 + three encoders, query embedding included) through `/api/search` (JSON) "
             "and `/?q=` (HTML); distinct tender titles; p50 / p95 / p99 ms and requests per second.", "",
             "| profiles | request | clients | p50 | p95 | p99 | QPS | errors |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for size, row in report["sizes"].items():
        for kind in ("json", "html"):
            for clients in (1, 4):
                r = row[f"{kind}_{clients}"]
                lines.append(f"| {int(size):,} | {kind} | {clients} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
                             f"| {r['qps']} | {r['errors']} |")
    lines += ["", "| profiles | workers | RSS per worker (MB) | PSS total (MB) | index on disk (MB) | "
              "peer numpy exact 384 p50/p95 | peer bm25s p50/p95 | edit to searchable p50 / max (s) |",
              "|---:|---:|---|---:|---:|---|---|---|"]
    for size, row in report["sizes"].items():
        p = row["peers"]
        lines.append(f"| {int(size):,} | {len(row['workers'])} | {', '.join(str(w['rss_mb']) for w in row['workers'])} "
                     f"| {row['total_pss_mb']} | {row['index_mb']} | {p['numpy_exact_384']['p50_ms']} / "
                     f"{p['numpy_exact_384']['p95_ms']} | {p['bm25s']['p50_ms']} / {p['bm25s']['p95_ms']} | "
                     f"{row['edit_to_searchable']['p50_s']} / {row['edit_to_searchable']['max_s']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200, help="requests per client setting")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: one per core); results go to "
                                                    "http-workers<N>.{json,md}")
    args = parser.parse_args()
    if args.workers:
        os.environ["MATCHMAKER_WORKERS"] = str(args.workers)
    report = {"cpus": os.cpu_count(), "python": platform.python_version(), "sizes": {}}
    for size in args.sizes:
        report["sizes"][str(size)] = run(size, args.requests)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"http-workers{args.workers}" if args.workers else "http"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
