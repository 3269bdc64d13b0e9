"""``make setup`` (the part of ``make run`` before serving) is repeatable, builds the index once and prints logins."""
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_setup_twice_loads_the_demo_once_and_keeps_data(tmp_path):
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(tmp_path))
    env.pop("MATCHMAKER_DATABASE_URL", None)
    first = subprocess.run(["make", "--no-print-directory", "setup"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "Loaded suppliers: 3200 created" in first.stdout
    assert "Indexed 3200 documents" in first.stdout
    # multilingual-e5's demo vectors ship with the code (data/demo/embeddings-e5.npz): none is computed again.
    assert re.search(r"Indexed 3200 documents, \d+ embedded, 3200 from cache", first.stdout), first.stdout
    for role in ("buyer", "specialist", "admin"):
        assert f"{role}@demo.matchmaker.test" in first.stdout
    assert "password: " in first.stdout

    database = tmp_path / "matchmaker.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE suppliers SET name = 'kept' WHERE external_id = 'KR-SME-00001'")
    second = subprocess.run(["make", "--no-print-directory", "setup"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert "not loaded again" in second.stdout
    assert "The search index is built already" in second.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM suppliers").fetchone() == (3200,)
        assert connection.execute(
            "SELECT name FROM suppliers WHERE external_id = 'KR-SME-00001'").fetchone() == ("kept",)
    # The same passwords are printed again: they were generated once.
    assert first.stdout.split("Demo logins")[1] == second.stdout.split("Demo logins")[1]
