"""A damaged archive is refused, naming the fault, and the instance restored into keeps everything it had."""
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from matchmaker.backup import BackupError, CorruptArchive, create_backup, restore_backup
from matchmaker.backup.archive import MANIFEST

from .helpers import BRAKES, exported, fingerprint, let_go, source_instance


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """Two archives of the catalog, made once: ``tar`` (.tar.gz) and ``folder``."""
    folder = tmp_path_factory.mktemp("source")
    app = source_instance(folder)
    with app.app_context():
        archives = {"tar": create_backup(folder / "a.tar.gz").path, "folder": create_backup(folder / "folder").path}
    let_go(app)
    return archives


@pytest.fixture
def backed_up(pristine, tmp_path):
    """This test's own copies of the pristine archives, to damage."""
    return {"tar": Path(shutil.copy(pristine["tar"], tmp_path / "a.tar.gz")),
            "folder": Path(shutil.copytree(pristine["folder"], tmp_path / "folder"))}


@pytest.fixture
def occupied(fresh, make_supplier, tmp_path):
    """An instance with a supplier and an index of its own, and a way to tell it is exactly as it was."""
    target = fresh("occupied")
    with target.app_context():
        from matchmaker.extensions import db
        db.create_all()
        make_supplier(**{**BRAKES, "external_id": "KEEP-ME"})
        assert target.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    let_go(target)
    instance = tmp_path / "occupied" / "instance"

    def state():
        return fingerprint(instance), exported(target), sorted(p.name for p in (tmp_path / "occupied").iterdir())
    target.state, target.before = state, state()
    return target


def refused(target, archive, match):
    """Restore ``archive`` with --force and expect a refusal that leaves ``target`` as it was."""
    with target.app_context(), pytest.raises(BackupError, match=match) as caught:
        restore_backup(archive, force=True)
    let_go(target)
    assert target.state() == target.before
    return caught.value


def flip_byte(path, at):
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_flipped_byte_in_a_folder_archive(backed_up, occupied):
    flip_byte(backed_up["folder"] / "database.sqlite3", 5000)
    error = refused(occupied, backed_up["folder"], "database.sqlite3 does not match its checksum")
    assert isinstance(error, CorruptArchive) and "nothing was restored" in str(error)


def test_a_flipped_byte_in_a_tarball(backed_up, occupied):
    flip_byte(backed_up["tar"], backed_up["tar"].stat().st_size // 2)
    assert isinstance(refused(occupied, backed_up["tar"], "corrupt"), CorruptArchive)


def test_a_truncated_tarball(backed_up, occupied):
    os.truncate(backed_up["tar"], backed_up["tar"].stat().st_size * 2 // 3)
    refused(occupied, backed_up["tar"], "truncated")


def test_a_missing_file(backed_up, occupied):
    victim = next((backed_up["folder"] / "index").rglob("vectors-*.f32.npy"))
    victim.unlink()
    refused(occupied, backed_up["folder"], f"incomplete: index/.*/{victim.name} is missing")


def test_a_manifest_naming_files_outside_the_archive(backed_up, occupied):
    manifest = json.loads((backed_up["folder"] / MANIFEST).read_text())
    manifest["files"]["../../secret_key"] = manifest["files"]["database.sqlite3"]
    (backed_up["folder"] / MANIFEST).write_text(json.dumps(manifest))
    refused(occupied, backed_up["folder"], "lists '../../secret_key' unsafely")


def test_a_newer_format_and_something_else_entirely(backed_up, occupied, tmp_path):
    manifest = json.loads((backed_up["folder"] / MANIFEST).read_text())
    (backed_up["folder"] / MANIFEST).write_text(json.dumps({**manifest, "format_version": 99}))
    refused(occupied, backed_up["folder"], "format 99, made by a newer Matchmaker")
    (tmp_path / "notes.txt").write_text("hello")
    refused(occupied, tmp_path / "notes.txt", "truncated or corrupt")


def test_archives_are_readable_by_their_owner_only(app, backed_up):
    with app.app_context():
        default = create_backup().path  # backups/ in the instance
    assert stat.S_IMODE(default.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(default.stat().st_mode) == stat.S_IMODE(backed_up["tar"].stat().st_mode) == 0o600
    assert stat.S_IMODE(backed_up["folder"].stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in backed_up["folder"].rglob("*") if p.is_file()} == {0o600}
    assert not list(default.parent.glob(".backup-*"))  # the work folder is gone
    with app.app_context(), pytest.raises(BackupError, match="exists already"):
        create_backup(backed_up["tar"])
