"""The process definitions agree: make serve (Procfile), systemd and compose all run the web server and the worker.

They cannot be started here (no systemd, no Docker); what can be checked is
that each names a command the installed app has, with the same arguments.
"""
import configparser
import shlex
from pathlib import Path

import yaml
from honcho.environ import parse_procfile

from matchmaker import create_app

ROOT = Path(__file__).resolve().parents[2]
WEB = ["gunicorn", "--config", "deploy/gunicorn.conf.py", "wsgi:app"]
WORKER = ["matchmaker", "worker"]


def test_the_procfile_runs_gunicorn_and_the_worker():
    procfile = parse_procfile((ROOT / "deploy/Procfile").read_text())
    assert {name: shlex.split(command) for name, command in procfile.processes.items()} == {
        "web": WEB, "worker": WORKER}
    assert "deploy/Procfile" in (ROOT / "Makefile").read_text()


def _exec_start(name: str) -> list[str]:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(ROOT / "deploy/systemd" / name)
    command = shlex.split(unit["Service"]["ExecStart"])
    return [Path(command[0]).name, *command[1:]]


def test_systemd_units_run_the_same_commands():
    assert _exec_start("matchmaker-web.service") == WEB
    assert _exec_start("matchmaker-worker.service") == WORKER
    assert _exec_start("matchmaker-reindex.service")[:2] == ["matchmaker", "reindex"]


def test_compose_runs_web_and_worker_in_the_app_profile():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["worker"]["command"] == WORKER and services["worker"]["profiles"] == ["app"]
    assert services["web"]["profiles"] == ["app"]


def test_the_worker_command_exists(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k" * 32})
    assert "worker" in app.cli.commands and "reindex" in app.cli.commands
