"""The load and fault run of bench/load_faults.py, shortened: gunicorn and the worker under mixed traffic, a
full reindex and a worker crash half-way, then no 5xx and every write in the database and the index.

The encoder is the model-free ``hashing`` one (the bench runs the served encoders for 2 minutes).
"""
import json
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux")
def test_mixed_load_with_a_reindex_and_a_worker_crash_loses_nothing(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    import load_faults
    monkeypatch.setattr(load_faults, "SCRATCH", tmp_path / "instance")
    code = load_faults.main(["--seconds", "20", "--clients", "8", "--suppliers", "300", "--encoder", "hashing",
                             "--reindex=--full",
                             "--drain", "60", "--port", str(_free_port()), "--results", str(tmp_path)])
    report = json.loads((tmp_path / "load_faults.json").read_text())
    assert report["server_errors"] == 0, report["failures"]
    assert report["missing_count"] == 0, report["missing"]
    assert report["edits"] > 0 and report["requests_posted"] > 0 and report["imported"] > 0
    assert report["check_index_exit"] == 0 and report["worker_restarted_at_s"] is not None
    assert report["reindex_started_at_s"] < report["worker_restarted_at_s"] <= report["reindex_finished_at_s"]
    assert code == 0
