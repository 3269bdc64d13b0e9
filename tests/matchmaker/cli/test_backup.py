"""``matchmaker backup`` and ``matchmaker restore``: the round trip, the refusals and their exit codes."""
import pytest

from matchmaker.locks import job_lock
from tests.matchmaker.backup.helpers import add_catalog, answers, fresh_app, invoke, let_go


@pytest.fixture
def database() -> str:
    """SQLite only: the commands cover the embedded setup (PostgreSQL is refused, see below)."""
    return "sqlite"


@pytest.fixture
def indexed(app, runner, make_supplier):
    add_catalog(make_supplier)
    assert runner.invoke(args=["reindex"]).exit_code == 0


@pytest.fixture
def fresh(tmp_path):
    made = []

    def make(name="fresh", **config):
        made.append(fresh_app(tmp_path, name, **config))
        return made[-1]
    yield make
    for app in made:
        let_go(app)


def test_backup_then_restore_into_a_new_instance(app, indexed, runner, fresh, tmp_path):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    archive = next((tmp_path / "instance" / "backups").glob("matchmaker-*.tar.gz"))
    assert result.stdout.startswith(f"Backup written to {archive} (")
    assert "15 suppliers, index v" in result.stdout and "(15 documents), the secret key" in result.stdout
    assert "Copying the search index" in result.stderr and "Copying the database" in result.stderr

    target = fresh()
    restored = invoke(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith(f"Restored {archive} (taken ")
    assert "Search: index v" in restored.stdout and "Indexed incrementally" in restored.stdout
    assert "Checking" in restored.stderr and "Replacing the database" in restored.stderr
    assert answers(target) == answers(app)


def test_without_index_into_a_folder(app, indexed, runner, fresh, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "folder"), "--without-index"])
    assert result.exit_code == 0, result.output
    assert "no index (a restore rebuilds it)" in result.stdout and (tmp_path / "folder" / "manifest.json").exists()
    restored = invoke(fresh(), "restore", str(tmp_path / "folder"))
    assert restored.exit_code == 0, restored.output
    assert "Search: index built from the database; Indexed 15 documents" in restored.stdout


def test_refusals_exit_non_zero_and_say_why(app, indexed, runner, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "a.tar.gz")]).exit_code == 0
    again = runner.invoke(args=["backup", str(tmp_path / "a.tar.gz")])
    assert again.exit_code == 1 and "exists already" in again.output

    occupied = runner.invoke(args=["restore", str(tmp_path / "a.tar.gz")])
    assert occupied.exit_code == 1 and "holds data" in occupied.output and "--force" in occupied.output

    (tmp_path / "b.tar.gz").write_bytes((tmp_path / "a.tar.gz").read_bytes()[:-4000])
    truncated = runner.invoke(args=["restore", "--force", str(tmp_path / "b.tar.gz")])
    assert truncated.exit_code == 1 and "truncated" in truncated.output and "nothing was restored" in truncated.output

    with job_lock("reindex"):
        locked = runner.invoke(args=["backup", str(tmp_path / "c.tar.gz")])
    assert locked.exit_code == 75 and "try again" in locked.output
    with job_lock("search-worker"):
        working = runner.invoke(args=["restore", "--force", str(tmp_path / "a.tar.gz")])
    assert working.exit_code == 75 and "the search worker (`matchmaker worker`) is running: stop it" in working.output


def test_postgresql_and_elasticsearch_are_pointed_to_their_own_tools(fresh, tmp_path):
    postgres = fresh("pg", SQLALCHEMY_DATABASE_URI="postgresql://nobody@127.0.0.1:1/none")
    for args in (["backup"], ["restore", str(tmp_path)]):
        result = invoke(postgres, *args)
        assert result.exit_code == 1 and "pg_dump -Fc" in result.output and "pg_restore" in result.output
    elastic = fresh("es", SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:1")
    with elastic.app_context():
        from matchmaker.extensions import db
        db.create_all()
    result = invoke(elastic, "backup")
    assert result.exit_code == 1 and "Elasticsearch" in result.output and "--without-index" in result.output
