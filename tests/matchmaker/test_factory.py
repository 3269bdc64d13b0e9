"""The factory, the WSGI entry point and the two ways to call the CLI."""
import os
import re
import subprocess
import sys
from pathlib import Path

from matchmaker import create_app

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_create_app_has_no_side_effects_on_the_database(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.name == "matchmaker"
    assert not (tmp_path / "x.db").exists()  # no migrations or queries at start-up


def test_config_overrides_win(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "PAGE_SIZE": 7, "SECRET_KEY": "k"})
    assert app.config["PAGE_SIZE"] == 7 and app.config["SECRET_KEY"] == "k"


def _commands(args, tmp_path):
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(tmp_path))
    out = subprocess.run(args + ["--help"], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    section = out.split("Commands:")[1]
    return sorted(re.findall(r"^\s{2}(\S+)", section, re.MULTILINE))


def test_matchmaker_and_flask_offer_the_same_commands(tmp_path):
    ours = _commands([str(BIN / "matchmaker")], tmp_path)
    flask = _commands([str(BIN / "flask"), "--app", "wsgi"], tmp_path)
    assert ours == flask
    assert {"db", "users", "import", "export", "demo", "run"} <= set(ours)


def test_wsgi_module_exposes_an_app(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    sys.path.insert(0, str(ROOT))
    try:
        import importlib
        import wsgi
        importlib.reload(wsgi)
        assert wsgi.app.instance_path == str(tmp_path)
    finally:
        sys.path.remove(str(ROOT))
