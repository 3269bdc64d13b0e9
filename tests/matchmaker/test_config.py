"""Settings come from the environment when an app is created, with safe defaults."""
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaker import create_app
from matchmaker.auth.access import public
from matchmaker.config import ConfigError, load_settings, normalize_database_url, resolve_secret_key


def test_defaults_put_everything_under_the_instance_path(tmp_path):
    settings = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path / "inst")})
    assert settings["INSTANCE_PATH"] == str(tmp_path / "inst")
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inst' / 'matchmaker.sqlite3'}"
    assert settings["ENV_NAME"] == "development"
    assert settings["SEARCH_BACKEND"] == "embedded"
    assert settings["ELASTICSEARCH_URL"] == "http://localhost:9200"
    assert settings["EMBEDDING_MODEL"] == "all-MiniLM-L6-v2,usem3,e5"
    assert settings["ELASTICSEARCH_INDEX"] == "matchmaker-suppliers"
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["SESSION_COOKIE_SECURE"] is False


def test_every_variable_is_read(tmp_path):
    settings = load_settings({
        "MATCHMAKER_ENV": "production", "MATCHMAKER_INSTANCE_PATH": str(tmp_path),
        "MATCHMAKER_DATABASE_URL": "postgresql://u:p@db/mm", "MATCHMAKER_SECRET_KEY": "s3cret",
        "MATCHMAKER_SEARCH_BACKEND": "elasticsearch", "MATCHMAKER_ELASTICSEARCH_URL": "http://es:9200",
        "MATCHMAKER_EMBEDDING_MODEL": "/models/usem3"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/mm"
    assert settings["SECRET_KEY"] == "s3cret"
    assert settings["SEARCH_BACKEND"] == "elasticsearch"
    assert settings["ELASTICSEARCH_URL"] == "http://es:9200"
    assert settings["EMBEDDING_MODEL"] == "/models/usem3"
    assert settings["SESSION_COOKIE_SECURE"] is True  # production defaults to Secure cookies


def test_secure_cookies_can_be_switched_on_in_development(tmp_path):
    settings = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path), "MATCHMAKER_SECURE_COOKIES": "1"})
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]


@pytest.mark.parametrize("variable, value", [("MATCHMAKER_ENV", "staging"), ("MATCHMAKER_SEARCH_BACKEND", "solr")])
def test_unknown_choices_are_refused_by_name(variable, value):
    with pytest.raises(ConfigError, match=variable):
        load_settings({variable: value})


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("MATCHMAKER_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="MATCHMAKER_SECRET_KEY"):
        create_app()
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_a_short_secret_key_with_a_clean_message(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("MATCHMAKER_SECRET_KEY", "x")
    with pytest.raises(ConfigError, match="1 characters long; production needs at least 32"):
        create_app()
    monkeypatch.setenv("MATCHMAKER_SECRET_KEY", "s" * 32)
    assert create_app().secret_key == "s" * 32


def test_the_instance_folder_is_created_owner_only(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "fresh" / "instance")})
    assert stat.S_IMODE(Path(app.instance_path).stat().st_mode) == 0o700


def test_remember_me_lasts_two_weeks_unless_configured(tmp_path):
    settings = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path)})
    assert settings["REMEMBER_COOKIE_DURATION"].days == 14
    assert load_settings({"MATCHMAKER_REMEMBER_DAYS": "3"})["REMEMBER_COOKIE_DURATION"].days == 3
    with pytest.raises(ConfigError, match="MATCHMAKER_REMEMBER_DAYS must be a whole number of days"):
        load_settings({"MATCHMAKER_REMEMBER_DAYS": "1000"})


def test_development_secret_key_is_generated_once_and_kept_private(tmp_path):
    settings = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path)})
    first = resolve_secret_key(settings)
    assert len(first) == 64
    assert resolve_secret_key(settings) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_two_instances_side_by_side_keep_separate_keys_and_databases(tmp_path, monkeypatch):
    monkeypatch.delenv("MATCHMAKER_DATABASE_URL", raising=False)
    monkeypatch.delenv("MATCHMAKER_SECRET_KEY", raising=False)
    apps = []
    for name in ("one", "two"):
        monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path / name))
        apps.append(create_app())
    assert apps[0].config["SECRET_KEY"] != apps[1].config["SECRET_KEY"]
    assert apps[0].config["SQLALCHEMY_DATABASE_URI"] != apps[1].config["SQLALCHEMY_DATABASE_URI"]


def test_environment_is_read_when_the_app_is_created_not_at_import(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path / "later"))
    monkeypatch.setenv("MATCHMAKER_EMBEDDING_MODEL", "changed-after-import")
    app = create_app()
    assert app.instance_path == str(tmp_path / "later")
    assert app.config["EMBEDDING_MODEL"] == "changed-after-import"


def test_importing_the_package_reads_no_settings_and_writes_nothing(tmp_path):
    code = "import matchmaker, matchmaker.models, matchmaker.cli"
    env = {"MATCHMAKER_ENV": "nonsense", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr  # a bad value only matters once an app is created
    assert list(Path(tmp_path).iterdir()) == []


@pytest.mark.parametrize("url, expected", [
    ("postgres://a@h/d", "postgresql+psycopg://a@h/d"),
    ("postgresql://a@h/d", "postgresql+psycopg://a@h/d"),
    ("postgresql+psycopg://a@h/d", "postgresql+psycopg://a@h/d"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_database_urls_use_psycopg3(url, expected):
    assert normalize_database_url(url) == expected


def test_ranking_profile_is_checked_when_the_app_is_created(tmp_path):
    assert load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path)})["RANKING_PROFILE"] == "default"
    with pytest.raises(ConfigError, match="no ranking profile 'nope'"):
        load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path), "MATCHMAKER_RANKING_PROFILE": "nope"})


@pytest.mark.parametrize("value", ["-1", "6", "two"])
def test_trusted_proxies_must_be_a_small_count(value):
    with pytest.raises(ConfigError, match="MATCHMAKER_TRUSTED_PROXIES"):
        load_settings({"MATCHMAKER_TRUSTED_PROXIES": value})


def test_behind_a_trusted_proxy_the_app_sees_the_client_and_https(tmp_path):
    def seen(proxies):
        app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k" * 32, "TRUSTED_PROXIES": proxies,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})

        @app.route("/_seen")
        @public
        def _seen():
            from flask import request
            return f"{request.remote_addr} {request.scheme} {request.host}"
        headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
                   "X-Forwarded-Host": "matchmaker.example"}
        return app.test_client().get("/_seen", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"}).text

    assert seen(1) == "203.0.113.7 https matchmaker.example"
    assert seen(0) == "10.0.0.2 http localhost"  # without a proxy the headers are anyone's to forge


def test_sign_in_security_defaults_and_variables(tmp_path):
    defaults = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path)})
    assert defaults["RATELIMIT_ENABLED"] is True and defaults["RATELIMIT_STORAGE_URI"] == "memory://"
    assert (defaults["SIGN_IN_MAX_FAILURES"], defaults["SIGN_IN_LOCKOUT_MINUTES"]) == (5, 15)
    assert (defaults["CONFIRM_LINK_HOURS"], defaults["RESET_LINK_MINUTES"]) == (48, 60)
    settings = load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path), "MATCHMAKER_RATELIMIT_ENABLED": "0",
                              "MATCHMAKER_RATELIMIT_STORAGE_URI": "redis://cache:6379",
                              "MATCHMAKER_RATELIMIT_SIGN_IN": "20/minute", "MATCHMAKER_SIGN_IN_MAX_FAILURES": "8",
                              "MATCHMAKER_SIGN_IN_LOCKOUT_MINUTES": "30", "MATCHMAKER_RESET_LINK_MINUTES": "20"})
    assert settings["RATELIMIT_ENABLED"] is False and settings["RATELIMIT_STORAGE_URI"] == "redis://cache:6379"
    assert settings["RATELIMIT_SIGN_IN"] == "20/minute" and settings["SIGN_IN_MAX_FAILURES"] == 8
    assert (settings["SIGN_IN_LOCKOUT_MINUTES"], settings["RESET_LINK_MINUTES"]) == (30, 20)


@pytest.mark.parametrize("variable, value", [("MATCHMAKER_RATELIMIT_SIGN_IN", "ten a minute"),
                                             ("MATCHMAKER_RATELIMIT_MAIL_RECIPIENT", "5 per fortnight"),
                                             ("MATCHMAKER_SIGN_IN_MAX_FAILURES", "0"),
                                             ("MATCHMAKER_RESET_LINK_MINUTES", "an hour")])
def test_bad_sign_in_security_settings_are_refused_by_name(tmp_path, variable, value):
    with pytest.raises(ConfigError, match=variable):
        load_settings({"MATCHMAKER_INSTANCE_PATH": str(tmp_path), variable: value})
