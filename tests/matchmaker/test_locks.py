"""Job locks in the job's database: held across processes (hosts), released when the holder dies."""
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from matchmaker.locks import LockHeld, job_lock
from matchmaker.reindex_job import run_reindex


def _holder(app):
    """Another process (another host, as far as PostgreSQL can tell) holding the reindex lock."""
    script = textwrap.dedent(f"""
        import sys, time
        from matchmaker import create_app
        from matchmaker.locks import job_lock
        app = create_app({{"INSTANCE_PATH": {app.instance_path!r}, "SECRET_KEY": "k" * 32,
                           "SQLALCHEMY_DATABASE_URI": {app.config["SQLALCHEMY_DATABASE_URI"]!r}}})
        with app.app_context(), job_lock("reindex"):
            print("held", flush=True)
            time.sleep(120)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def test_the_job_function_refuses_to_run_while_another_process_holds_the_lock(app, make_supplier):
    make_supplier(name="Hanul Valve", description="Industrial valves")
    holder = _holder(app)
    try:
        with app.app_context(), pytest.raises(LockHeld, match="another reindex is running"):
            run_reindex()
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # a host that dies mid-build
        holder.wait()
    with app.app_context():
        assert run_reindex()["action"] == "build"  # its lock died with it


def test_the_lock_is_exclusive_within_a_process_and_free_afterwards(app):
    with app.app_context():
        with job_lock("reindex"):
            with pytest.raises(LockHeld):
                with job_lock("reindex"):
                    pass
            with job_lock("other-job"):  # locks are per job name
                pass
        with job_lock("reindex"):
            pass


def test_postgresql_names_the_session_holding_the_lock(app, database):
    if database != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite uses a file lock (message tested in test_reindex)")
    holder = _holder(app)
    try:
        with app.app_context(), pytest.raises(LockHeld, match=r"PostgreSQL session \d+"):
            with job_lock("reindex"):
                pass
    finally:
        holder.kill()
        holder.wait()
