"""A backup restored into a fresh instance searches as the original did: with its index, or rebuilt without."""
import sqlite3

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import delete, text

from matchmaker.backup import BackupError, InstanceNotEmpty, create_backup, restore_backup
from matchmaker.config import SECRET_KEY_FILE
from matchmaker.extensions import db as _db
from matchmaker.extensions import migrate
from matchmaker.models import Supplier
from matchmaker.search_service import get_search
from tests.conftest import reset_database

from .helpers import BRAKES, answers, exported, fingerprint, let_go, search


def back_up(app, dest, **options):
    with app.app_context():
        return create_backup(dest, **options)


def restore(app, archive, **options):
    with app.app_context():
        return restore_backup(archive, **options)


def test_a_restored_instance_searches_as_the_original(app, catalog, fresh, tmp_path):
    before, rows = answers(app), exported(app)
    live = get_search().backend.live_version()
    summary = back_up(app, tmp_path / "nightly.tar.gz")
    assert summary.index_version == live and summary.documents == 15 and summary.suppliers == 15
    target = fresh()
    restored = restore(target, summary.path)
    assert restored.index_version == live and restored.reindex_error is None and restored.replaced is None
    assert "incrementally" in restored.reindex  # the archived version was used, not rebuilt
    assert answers(target) == before and all(before.values())
    assert exported(target) == rows
    key = SECRET_KEY_FILE
    assert (tmp_path / "fresh" / "instance" / key).read_text() == (tmp_path / "instance" / key).read_text()
    with target.app_context():
        assert live in {v.name for v in get_search().backend.versions()}


def test_an_archive_without_the_index_is_rebuilt_from_the_database(app, catalog, fresh, tmp_path):
    before = answers(app)
    summary = back_up(app, tmp_path / "plain", with_index=False)  # a folder archive
    assert summary.index_version is None and not list((tmp_path / "plain").glob("index*"))
    target = fresh()
    restored = restore(target, summary.path)
    assert restored.index_version is None and restored.reindex.startswith("Indexed 15 documents")
    assert answers(target) == before


def test_changes_the_index_copy_lacks_reach_the_restored_index(app, db, catalog, fresh, make_supplier, tmp_path):
    # Sync off: the changes are in the database (and its outbox journal) but not in the live index,
    # as when the worker had not caught up when the backup copied the index.
    app.config["SEARCH_SYNC"] = "off"
    catalog["kimchi"].description = "Gochujang and soy sauce, HACCP certified."
    db.session.execute(delete(Supplier).where(Supplier.id == catalog["harness"].id))
    db.session.commit()
    added = make_supplier(name="한빛베어링", name_en="Hanbit Bearings", industry="machinery",
                          description="Ball bearings and roller bearings for machine tools.")
    assert search(app, "gochujang", "--mode", "lexical") == []  # the source's index lags, as promised
    target = fresh()
    restore(target, back_up(app, tmp_path / "lagging.tar.gz").path)
    assert [i for i, _ in search(target, "gochujang", "--mode", "lexical")] == [catalog["kimchi"].external_id]
    assert [i for i, _ in search(target, "bearings", "--mode", "lexical")] == [added.external_id]
    assert search(target, "자동차 와이어 하네스", "--mode", "lexical") == []


def test_a_database_with_data_is_replaced_only_with_force_and_kept_aside(app, catalog, fresh, make_supplier,
                                                                         tmp_path):
    archive = back_up(app, tmp_path / "nightly.tar.gz").path
    target = fresh()
    with target.app_context():
        _db.create_all()
        make_supplier(**{**BRAKES, "external_id": "KEEP-ME", "name_en": "Keep Me Brakes"})
        assert target.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    let_go(target)
    instance = tmp_path / "fresh" / "instance"
    untouched = fingerprint(instance)
    with pytest.raises(InstanceNotEmpty, match="holds data .*suppliers.*--force"):
        restore(target, archive)
    assert fingerprint(instance) == untouched and "KEEP-ME" in exported(target)

    restored = restore(target, archive, force=True)
    assert "KEEP-ME" not in exported(target) and answers(target) == answers(app)
    kept = restored.replaced
    assert kept.parent == instance / "backups" and (kept / "search-index" / "LIVE").exists()
    with sqlite3.connect(kept / "test.sqlite3") as old:  # complete on its own: its WAL was folded in first
        assert old.execute("SELECT external_id FROM suppliers").fetchall() == [("KEEP-ME",)]


def test_an_older_schema_is_upgraded_and_a_newer_one_refused(app, fresh, tmp_path):
    script = ScriptDirectory(migrate.directory)
    head = script.get_revision(script.get_current_head())
    with app.app_context():
        reset_database()
        upgrade(revision=head.down_revision)
    archive = back_up(app, tmp_path / "old.tar.gz", with_index=False).path
    target = fresh()
    restored = restore(target, archive)
    assert (restored.upgraded_from, restored.revision) == (head.down_revision, head.revision)
    with target.app_context():
        assert _db.session.scalar(text("SELECT version_num FROM alembic_version")) == head.revision

    with app.app_context():
        _db.session.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        _db.session.commit()
    archive = back_up(app, tmp_path / "new.tar.gz", with_index=False).path
    newer = fresh("newer")
    with pytest.raises(BackupError, match="9999_from_the_future.*newer version"):
        restore(newer, archive)
    assert not (tmp_path / "newer" / "test.sqlite3").exists()


def test_a_damaged_database_is_what_force_is_for(app, catalog, fresh, tmp_path):
    archive = back_up(app, tmp_path / "nightly.tar.gz").path
    target = fresh()
    (tmp_path / "fresh" / "test.sqlite3").write_bytes(b"not a database, a disk that failed " * 200)
    with pytest.raises(InstanceNotEmpty, match="a file SQLite cannot read"):
        restore(target, archive)
    restored = restore(target, archive, force=True)
    assert answers(target) == answers(app)
    assert (restored.replaced / "test.sqlite3").read_bytes().startswith(b"not a database")


def test_what_a_killed_restore_left_behind_is_cleared(app, catalog, fresh, tmp_path):
    archive = back_up(app, tmp_path / "nightly.tar.gz").path
    target = fresh()
    leftovers = [tmp_path / "fresh" / "instance" / ".restore-killed", tmp_path / "fresh" / ".test.sqlite3.restore-0"]
    leftovers[0].mkdir()
    leftovers[1].write_bytes(b"half a database")
    restore(target, archive)
    assert not any(path.exists() for path in leftovers)
    assert [p.name for p in (tmp_path / "fresh").iterdir() if p.name.startswith(".")] == []


def test_a_damaged_live_index_is_left_out_and_rebuilt(app, catalog, fresh, tmp_path):
    backend = get_search().backend
    live = backend.root / "versions" / backend.live_version()
    backend.close()
    (live / "index.sqlite3").write_bytes(b"not an index, a disk that failed " * 200)
    for side_file in live.glob("index.sqlite3-*"):
        side_file.unlink()
    said = []
    with app.app_context():
        summary = create_backup(tmp_path / "a.tar.gz", report=said.append)
    assert summary.index_version is None and any(line.startswith("Warning: ") for line in said)
    restored = restore(fresh(), summary.path)
    assert restored.index_version is None and restored.reindex.startswith("Indexed 15 documents")
