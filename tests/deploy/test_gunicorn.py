"""The production server: gunicorn with deploy/gunicorn.conf.py serves the app and survives nightly swaps.

The encoder is the model-free ``hashing`` one: this test is about the server
and the index lifecycle, not about ranking quality.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORDS = ("valve", "gear", "pump", "bearing", "mold", "harness", "sensor", "brake")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _cli(env, *args):
    done = subprocess.run([str(BIN / "matchmaker"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def served(tmp_path):
    """An instance with 400 suppliers, indexed, served by gunicorn (one worker, four threads)."""
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(tmp_path), MATCHMAKER_EMBEDDING_MODEL="hashing",
               MATCHMAKER_SECRET_KEY="x" * 40, MATCHMAKER_WORKERS="1", MATCHMAKER_THREADS="4")
    env.pop("MATCHMAKER_DATABASE_URL", None)
    suppliers = tmp_path / "suppliers.jsonl"
    with suppliers.open("w") as handle:
        for i in range(400):
            word = WORDS[i % len(WORDS)]
            handle.write(json.dumps({"external_id": f"S{i:04d}", "name": f"{word.title()} Works {i}",
                                     "description": f"We make {word} parts and {WORDS[(i * 3) % 8]} assemblies.",
                                     "industry": "machinery"}) + "\n")
    _cli(env, "db", "upgrade")
    _cli(env, "import", "suppliers", str(suppliers))
    _cli(env, "reindex")
    port = _free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py",
                               "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(base + "/health", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not become ready"
            time.sleep(0.3)
        workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 1
        yield base, int(workers[0]), env
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
        print(output[-4000:])


def _searches(base: str, rounds: int = 3) -> None:
    def run(word):
        for _ in range(rounds):
            status, body = _get(f"{base}/?q={word}+parts")
            assert status == 200 and b"Works" in body
    threads = [threading.Thread(target=run, args=(word,)) for word in WORDS[:4]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.skipif(shutil.which("pgrep") is None or not Path("/proc/self/fd").exists(),
                    reason="needs Linux /proc and pgrep")
def test_ten_nightly_swaps_under_gunicorn_leave_open_files_and_memory_flat(served):
    base, worker, env = served
    status, body = _get(base + "/health")
    assert status == 200 and json.loads(body)["status"] == "ready"
    with urllib.request.urlopen(base + "/") as response:
        assert response.headers.get_all("Server") == ["Matchmaker"]  # one header, no version banner
    _searches(base)
    files, rss = _open_files(worker), _rss_mb(worker)
    lives = set()
    for _ in range(10):
        _cli(env, "reindex", "--full")  # a new version, promoted; the job keeps two and deletes the rest
        _searches(base)
        lives.add(json.loads(_get(base + "/health")[1])["search"]["live"])
    assert len(lives) == 10  # every search round saw the version just promoted
    # The worker holds the live version only: its files and memory do not grow with each swap.
    assert _open_files(worker) <= files + 3, (files, _open_files(worker))
    assert _rss_mb(worker) < rss + 40, (rss, _rss_mb(worker))
    deleted = [target for target in (os.readlink(f"/proc/{worker}/fd/{fd}") for fd in os.listdir(f"/proc/{worker}/fd"))
               if target.startswith(env["MATCHMAKER_INSTANCE_PATH"]) and target.endswith("(deleted)")]
    assert not deleted  # no handle on an index version the job has deleted

