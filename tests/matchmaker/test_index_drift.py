"""The index never drifts silently: the outbox journal carries every change past a lost index, a reindex and
a rollback, and ``matchmaker check-index`` finds and repairs drift made behind the app's back."""
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

import indexers.build as build
import matchmaker.search_sync as sync
from indexers.documents import supplier_document
from matchmaker.models import Product, SearchOutboxEntry, Supplier
from matchmaker.models._columns import clock_at
from matchmaker.search_service import INDEX_FOLDER, get_search

LONG_AGO = datetime(2001, 1, 1, tzinfo=timezone.utc)  # a host clock far behind: timestamps would miss the change


def found(runner, query):
    result = runner.invoke(args=["search", query, "--mode", "lexical", "--json"])
    assert result.exit_code == 0, result.output
    return sorted(json.loads(line)["external_id"] for line in result.output.splitlines() if line.startswith("{"))


def reindex(runner, *args):
    result = runner.invoke(args=["reindex", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def pending(db):
    db.session.expire_all()
    return db.session.scalar(select(func.count(SearchOutboxEntry.id)).where(SearchOutboxEntry.applied_at.is_(None)))


@pytest.fixture
def indexed(runner, make_supplier):
    make_supplier(external_id="VALVE", name="밸브", name_en="Valve Works", description="valve bodies",
                  products=[{"name": "gate valve", "hs_code": "8481.80", "moq": 10}])
    make_supplier(external_id="PUMP", name="펌프", name_en="Pump Co", description="centrifugal pumps")
    reindex(runner)


def test_edits_while_the_index_folder_is_gone_are_kept_and_reach_the_rebuilt_index(app, runner, db, indexed,
                                                                                   make_supplier):
    with app.app_context():
        get_search().backend.close()
    shutil.rmtree(Path(app.instance_path) / INDEX_FOLDER)
    make_supplier(external_id="LOST1", description="zirconia ceramics")
    pump = db.session.scalar(select(Supplier).where(Supplier.external_id == "PUMP"))
    pump.description = "centrifugal pumps and zirconia seals"
    db.session.commit()
    assert db.session.scalar(select(func.count(Supplier.id))) == 3  # committed whatever the index's state
    assert pending(db) == 2  # and queued, not dropped
    reindex(runner)
    assert found(runner, "zirconia") == ["LOST1", "PUMP"] and pending(db) == 0


@pytest.mark.parametrize("mode", ["worker", "inline"])
def test_a_product_only_change_during_a_reindex_reaches_the_new_version(app, runner, db, indexed, monkeypatch, mode):
    app.config["SEARCH_SYNC"] = mode  # worker: nobody applies it live; inline: applied to the version replaced
    original = build._flush

    def flush_then_edit(backend, encoders, batch, version, *args):
        written = original(backend, encoders, batch, version, *args)
        if not getattr(flush_then_edit, "done", False):
            flush_then_edit.done = True  # every supplier has streamed past
            with clock_at(LONG_AGO):
                product = db.session.scalar(select(Product).where(Product.name == "gate valve"))
                product.name = "cryogenic ball valve"
                db.session.commit()
        return written
    monkeypatch.setattr(build, "_flush", flush_then_edit)
    summary = reindex(runner, "--full")
    assert summary["caught_up"] == 1
    app.config["SEARCH_SYNC"] = "inline"
    assert found(runner, "cryogenic") == ["VALVE"] and pending(db) == 0


def test_a_supplier_imported_after_the_build_counted_the_database_is_in_the_new_version(
        app, runner, db, indexed, monkeypatch, make_supplier):
    import matchmaker.reindex_job as job
    app.config["SEARCH_SYNC"] = "worker"
    original = job.iter_suppliers

    def import_then_read(**kwargs):  # an import commits between the count and the read (found by the load test)
        make_supplier(external_id="LATE", description="zirconia ceramics")
        yield from original(**kwargs)
    monkeypatch.setattr(job, "iter_suppliers", import_then_read)
    summary = reindex(runner, "--full")
    assert summary["documents"] == 3
    assert found(runner, "zirconia") == ["LATE"] and runner.invoke(args=["check-index"]).exit_code == 0


def test_a_new_supplier_deleted_while_an_incremental_build_reads_is_not_in_the_new_version(
        app, runner, db, indexed, monkeypatch, make_supplier):
    import matchmaker.reindex_job as job
    app.config["SEARCH_SYNC"] = "worker"  # BRIEF is not in the live version: the build adds it
    make_supplier(external_id="BRIEF", description="zirconia ceramics")
    original = job.records_of

    def delete_then_load(external_ids):  # the build listed BRIEF as added; it is gone before it is loaded
        db.session.delete(db.session.scalar(select(Supplier).where(Supplier.external_id == "BRIEF")))
        db.session.commit()
        yield from original(external_ids)
    monkeypatch.setattr(job, "records_of", delete_then_load)
    summary = reindex(runner)
    assert summary["incremental"] is True and summary["documents"] == 0
    assert found(runner, "zirconia") == [] and runner.invoke(args=["check-index"]).exit_code == 0


def test_an_incremental_run_takes_changes_from_the_journal_not_timestamps(app, runner, db, indexed):
    app.config["SEARCH_SYNC"] = "off"  # the nightly run alone
    with clock_at(LONG_AGO):
        pump = db.session.scalar(select(Supplier).where(Supplier.external_id == "PUMP"))
        pump.description = "peristaltic pumps"
        db.session.commit()
    assert pump.updated_at.year == 2001
    summary = reindex(runner)
    assert summary["incremental"] is True and summary["documents"] == 1
    assert found(runner, "peristaltic") == ["PUMP"]


def test_a_rollback_re_applies_what_changed_since_the_version_it_brings_back(app, runner, db, indexed):
    first = get_search().backend.live_version()
    app.config["SEARCH_SYNC"] = "off"
    pump = db.session.scalar(select(Supplier).where(Supplier.external_id == "PUMP"))
    pump.description = "vacuum pumps"
    db.session.commit()
    reindex(runner)  # the second version has the edit
    app.config["SEARCH_SYNC"] = "inline"
    valve = db.session.scalar(select(Supplier).where(Supplier.external_id == "VALVE"))
    db.session.delete(valve)
    db.session.commit()  # applied live to the second version
    rolled = reindex(runner, "--rollback")
    assert rolled["version"] == first and rolled["caught_up"] == 2
    assert found(runner, "vacuum") == ["PUMP"] and found(runner, "valve") == []
    assert runner.invoke(args=["check-index"]).exit_code == 0


def test_the_journal_keeps_what_kept_versions_need_and_no_more(app, runner, db, indexed):
    app.config["SEARCH_SYNC"] = "inline"
    for i in range(3):
        pump = db.session.scalar(select(Supplier).where(Supplier.external_id == "PUMP"))
        pump.description = f"pumps, edit {i}"
        db.session.commit()
    rows = lambda: db.session.scalar(select(func.count(SearchOutboxEntry.id)))  # noqa: E731
    db.session.expire_all()
    assert rows() == 3 and pending(db) == 0  # applied, kept as the journal
    reindex(runner, "--keep", "1")  # the kept previous version still needs the 3 rows
    db.session.expire_all()
    assert rows() == 3
    reindex(runner, "--keep", "0")  # no previous version kept: nothing needs them
    db.session.expire_all()
    assert rows() == 0
    make_supplier_id = db.session.scalar(select(func.max(SearchOutboxEntry.id)))
    assert make_supplier_id is None


def test_ids_never_repeat_after_pruning(app, runner, db, indexed, make_supplier):
    make_supplier(external_id="A1")
    reindex(runner, "--keep", "0")
    mark = int(get_search().backend.build_info(get_search().backend.live_version())["outbox_watermark"])
    make_supplier(external_id="A2")
    db.session.expire_all()
    assert db.session.scalar(select(SearchOutboxEntry.id)) > mark


# check-index ----------------------------------------------------------------------------------------------


def check(runner, *args):
    result = runner.invoke(args=["check-index", "--json", *args])
    return result.exit_code, json.loads(result.output.strip().splitlines()[-1])


def document(db, external_id):
    from matchmaker.dataio.exporter import index_record
    return index_record(db.session.scalar(select(Supplier).where(Supplier.external_id == external_id)))


def test_check_index_finds_each_kind_of_drift_and_fix_repairs_it(app, runner, db, indexed, make_supplier):
    make_supplier(external_id="GEAR", description="helical gears")
    backend = get_search().backend
    stale = document(db, "PUMP")
    stale["description"] = "an old description"
    backend.bulk_index([supplier_document(stale)])  # behind the app's back: no journal row
    backend.delete(["GEAR"])
    ghost = document(db, "VALVE")
    ghost["external_id"] = "GHOST"
    backend.bulk_index([supplier_document(ghost)])
    code, found_drift = check(runner)
    assert code == 1 and found_drift["in_step"] is False
    assert (found_drift["missing"], found_drift["extra"], found_drift["stale"]) == (["GEAR"], ["GHOST"], ["PUMP"])
    text = runner.invoke(args=["check-index"]).output
    assert "1 missing from the index: GEAR" in text and "check-index --fix" in text
    code, fixed = check(runner, "--fix")
    assert code == 0 and fixed["repaired"] == 3 and fixed["queued"] == 0
    assert check(runner) == (0, {**check(runner)[1], "missing": [], "extra": [], "stale": []})
    assert found(runner, "helical") == ["GEAR"] and found(runner, "old description") == []


def test_check_index_counts_queued_changes_apart(app, runner, db, indexed, make_supplier):
    app.config["SEARCH_SYNC"] = "worker"  # queued, not yet applied
    make_supplier(external_id="QUEUED", description="spur gears")
    code, body = check(runner)
    assert code == 0 and body["lagging"] == 1 and body["missing"] == []


def test_a_repair_the_backend_refuses_is_queued_not_lost(app, runner, db, indexed, monkeypatch):
    backend = get_search().backend
    backend.delete(["PUMP"])

    def down(*args, **kwargs):
        raise ConnectionError("cluster down")
    monkeypatch.setattr(sync, "apply_changes", down)
    code, body = check(runner, "--fix")
    assert code == 1 and body["queued"] == 1 and body["repaired"] == 0
    assert pending(db) == 1
    monkeypatch.undo()
    assert runner.invoke(args=["sync"]).exit_code == 0
    assert check(runner)[0] == 0


def test_check_index_without_an_index_says_how_to_build_one(runner, make_supplier):
    make_supplier(external_id="X")
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1 and "matchmaker reindex" in result.output
