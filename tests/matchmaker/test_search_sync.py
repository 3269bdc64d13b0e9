"""Index sync: every supplier change queues an outbox row in its own transaction; inline mode applies it
after the commit, the worker (tests/matchmaker/test_sync_worker.py) otherwise; failures back off."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError

import matchmaker.search_sync as sync
from matchmaker.models import SearchOutboxEntry, Supplier
from matchmaker.models._columns import as_utc
from matchmaker.search_service import get_search


def found(runner, query):
    result = runner.invoke(args=["search", query, "--mode", "lexical", "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line)["external_id"] for line in result.output.splitlines() if line.startswith("{")]


@pytest.fixture
def indexed(runner, make_supplier):
    make_supplier(external_id="BASE", name="기준", name_en="Baseline", description="valve bodies")
    assert runner.invoke(args=["reindex"]).exit_code == 0


def test_create_edit_delete_reach_the_live_index(runner, db, indexed, make_supplier):
    supplier = make_supplier(external_id="NEW", name="신규", name_en="Newcomer", description="gochujang sauces")
    assert found(runner, "gochujang") == ["NEW"]
    supplier.description = "kimchi only"
    db.session.commit()
    assert found(runner, "gochujang") == [] and found(runner, "kimchi") == ["NEW"]
    db.session.delete(supplier)
    db.session.commit()
    assert found(runner, "kimchi") == []


def test_product_edits_count_as_supplier_changes(runner, db, indexed):
    supplier = db.session.scalar(select(Supplier).where(Supplier.external_id == "BASE"))
    supplier.products[0].name = "hydraulic manifolds"
    db.session.commit()
    assert found(runner, "manifolds") == ["BASE"]


def test_imports_are_synced(runner, indexed, tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"external_id": "IMP", "name": "수입", "description": "probe cards",
                                "industry": "semiconductor"}) + "\n")
    assert runner.invoke(args=["import", "suppliers", str(path)]).exit_code == 0
    assert found(runner, "probe") == ["IMP"]


def test_a_rolled_back_change_is_not_synced(runner, db, indexed):
    db.session.add(Supplier(external_id="GONE", name="x", description="ephemeral widgets", industry="other"))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert found(runner, "ephemeral") == []


def test_backend_outage_queues_changes_and_sync_applies_them(app, runner, db, indexed, make_supplier, monkeypatch):
    with app.app_context():
        backend = get_search().backend
    seen_committed = []

    def outage(docs, version=None, batch_size=500):
        # The row is already committed when search is called: visible from another connection.
        with create_engine(app.config["SQLALCHEMY_DATABASE_URI"]).connect() as other:
            seen_committed.append(other.execute(text("SELECT count(*) FROM suppliers WHERE external_id = 'OUT'"))
                                  .scalar())
        raise ConnectionError("search cluster down")
    monkeypatch.setattr(backend, "bulk_index", outage)
    make_supplier(external_id="OUT", name="장애", name_en="Outage Co", description="tungsten carbide inserts")
    assert seen_committed == [1]
    assert db.session.scalar(select(func.count(Supplier.id)).where(Supplier.external_id == "OUT")) == 1
    queued = db.session.scalars(select(SearchOutboxEntry).where(SearchOutboxEntry.applied_at.is_(None))).all()
    assert [(q.supplier_external_id, q.operation, q.attempts) for q in queued] == [("OUT", "upsert", 1)]
    assert "search cluster down" in queued[0].last_error
    assert as_utc(queued[0].next_attempt_at) > sync.wall_clock()  # backing off, not hammering the cluster
    still_down = runner.invoke(args=["sync"])
    assert still_down.exit_code == 1 and "still queued" in still_down.output
    monkeypatch.undo()
    assert runner.invoke(args=["sync"]).output.strip() == "Applied 1 queued change(s)."
    assert found(runner, "tungsten") == ["OUT"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(SearchOutboxEntry.id)).where(SearchOutboxEntry.applied_at.is_(None))) == 0


def test_the_nightly_reindex_drains_the_outbox(app, runner, db, indexed, make_supplier, monkeypatch):
    with app.app_context():
        backend = get_search().backend
    monkeypatch.setattr(backend, "bulk_index", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("down")))
    make_supplier(external_id="LATE", name="늦음", description="quartz rings")
    monkeypatch.undo()
    result = runner.invoke(args=["reindex", "--json"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(SearchOutboxEntry.id)).where(SearchOutboxEntry.applied_at.is_(None))) == 0
    assert found(runner, "quartz") == ["LATE"]


def test_before_the_first_build_changes_wait_and_the_build_takes_them(runner, db, make_supplier):
    """Without a live index (never built, or its folder lost) a change stays queued, never dropped;
    the build that makes an index live marks it applied."""
    make_supplier(external_id="EARLY", description="before any index")
    pending = select(SearchOutboxEntry.last_error).where(SearchOutboxEntry.applied_at.is_(None))
    assert ["not been built" in error for error in db.session.scalars(pending)] == [True]
    assert runner.invoke(args=["reindex"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalars(pending).all() == [] and found(runner, "before") == ["EARLY"]


def test_a_web_edit_is_searchable_right_after_saving(client, auth, users, runner, db, indexed):
    from tests.conftest import csrf_token
    supplier = db.session.scalar(select(Supplier).where(Supplier.external_id == "BASE"))
    auth.login("buyer@example.com")
    assert client.get(f"/suppliers/{supplier.id}/edit").status_code == 403
    auth.logout()
    auth.login("specialist@example.com")
    page = client.get(f"/suppliers/{supplier.id}/edit").get_data(as_text=True)
    response = client.post(f"/suppliers/{supplier.id}/edit", data={
        "csrf_token": csrf_token(page), "version": str(supplier.version),
        "name": "기준", "name_en": "Baseline", "industry": "machinery",
        "description": "Titanium forgings for aerospace", "capabilities": "forging, heat treatment",
        "certifications": "AS9100, AS9100", "smart_factory_level": "4"})
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Supplier, supplier.id)
    assert edited.certifications == ["AS9100"] and edited.smart_factory_level == 4
    assert found(runner, "titanium") == ["BASE"]
    html = client.get("/?q=titanium&mode=lexical").get_data(as_text=True)
    assert "<mark>Titanium</mark>" in html


def test_changes_made_while_a_reindex_streams_reach_the_new_version(app, runner, db, indexed, make_supplier,
                                                                    monkeypatch):
    """Live sync writes to the version being replaced; the job catches up after the swap."""
    doomed = make_supplier(external_id="DOOMED", name="삭제", description="obsolete gaskets")
    import indexers.build as build
    original = build._flush

    def flush_then_edit(backend, encoders, batch, version, *args):
        written = original(backend, encoders, batch, version, *args)
        if not getattr(flush_then_edit, "done", False):
            flush_then_edit.done = True  # after the first batch has streamed past every supplier
            db.session.delete(db.session.get(Supplier, doomed.id))
            db.session.add(Supplier(external_id="FRESH", name="신규", description="sapphire windows",
                                    industry="materials"))
            db.session.commit()
        return written
    monkeypatch.setattr(build, "_flush", flush_then_edit)
    result = runner.invoke(args=["reindex", "--json"])
    assert result.exit_code == 0, result.output
    assert found(runner, "gaskets") == [] and found(runner, "sapphire") == ["FRESH"]


def test_apply_or_enqueue_queues_on_failure(app, db, monkeypatch):
    """The reindex catch-up uses this: a backend failure queues the changes for the worker, never raises."""
    def down(changes):
        raise ConnectionError("search cluster down")
    monkeypatch.setattr(sync, "apply_changes", down)
    sync.apply_or_enqueue(["X1", "X2"])
    queued = db.session.execute(select(SearchOutboxEntry.supplier_external_id, SearchOutboxEntry.attempts)).all()
    assert sorted(queued) == [("X1", 1), ("X2", 1)]


@pytest.fixture
def worker_mode(app):
    app.config["SEARCH_SYNC"] = "worker"
    yield
    app.config["SEARCH_SYNC"] = "inline"


def outbox(db):
    db.session.expire_all()
    return sorted(db.session.execute(select(SearchOutboxEntry.supplier_external_id, SearchOutboxEntry.operation)
                                     .where(SearchOutboxEntry.applied_at.is_(None))))  # pending, not the journal


def test_in_worker_mode_a_commit_queues_its_change_and_leaves_the_index_alone(runner, db, indexed, worker_mode,
                                                                              make_supplier):
    supplier = make_supplier(external_id="Q1", name="큐", name_en="Queued Co", description="gochujang sauces")
    assert outbox(db) == [("Q1", "upsert")]
    assert found(runner, "gochujang") == []  # the worker has not run
    supplier.external_id = "Q2"
    db.session.commit()
    assert outbox(db) == [("Q1", "delete"), ("Q1", "upsert"), ("Q2", "upsert")]
    assert sync.process_outbox().applied == 2
    assert outbox(db) == [] and found(runner, "gochujang") == ["Q2"]


def test_the_outbox_row_is_part_of_the_transaction(db, indexed, worker_mode, make_supplier):
    """Written by the flush, so a rollback or a failed commit takes it away with the change."""
    db.session.add(Supplier(external_id="TX", name="x", description="ephemeral widgets", industry="other"))
    db.session.flush()
    assert db.session.scalar(select(func.count(SearchOutboxEntry.id)).where(SearchOutboxEntry.applied_at.is_(None))) == 1  # inside the transaction
    db.session.rollback()
    assert outbox(db) == []
    make_supplier(external_id="DUP")
    db.session.add(Supplier(external_id="DUP", name="y", description="dup", industry="other"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert outbox(db) == [("DUP", "upsert")]  # the first supplier's row only


def test_a_web_edit_in_worker_mode_never_embeds(app, client, auth, users, runner, db, indexed, worker_mode,
                                                monkeypatch):
    from tests.conftest import csrf_token
    with app.app_context():
        for encoder in get_search().encoders.values():
            monkeypatch.setattr(encoder, "encode", lambda *a, **k: pytest.fail("a web request embedded"))
    supplier = db.session.scalar(select(Supplier).where(Supplier.external_id == "BASE"))
    auth.login("specialist@example.com")
    page = client.get(f"/suppliers/{supplier.id}/edit").get_data(as_text=True)
    response = client.post(f"/suppliers/{supplier.id}/edit", data={
        "csrf_token": csrf_token(page), "version": str(supplier.version), "name": "기준", "name_en": "Baseline",
        "industry": "machinery", "description": "Titanium forgings", "certifications": "", "smart_factory_level": ""})
    assert response.status_code == 302
    assert outbox(db) == [("BASE", "upsert")]
    monkeypatch.undo()
    assert found(runner, "titanium") == []
    sync.process_outbox()
    assert found(runner, "titanium") == ["BASE"]


def test_off_mode_journals_but_applies_nothing(app, runner, db, indexed, make_supplier):
    """Off: nobody applies the row, but it is written all the same, so the nightly run finds the change."""
    app.config["SEARCH_SYNC"] = "off"
    make_supplier(external_id="QUIET", description="quiet bellows")
    assert outbox(db) == [("QUIET", "upsert")] and found(runner, "bellows") == []
    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert outbox(db) == [] and found(runner, "bellows") == ["QUIET"]


def test_backoff_doubles_up_to_five_minutes():
    assert [sync.backoff(n).total_seconds() for n in (1, 2, 3, 8, 9, 50)] == [2, 4, 8, 256, 300, 300]


def test_one_failing_supplier_does_not_hold_up_the_others(runner, db, indexed, worker_mode, make_supplier,
                                                          monkeypatch):
    for name in ("GOOD1", "BAD", "GOOD2"):
        make_supplier(external_id=name, description=f"{name.lower()} sprockets")
    original = sync.apply_changes

    def picky(ids):
        if "BAD" in list(ids):
            raise ValueError("cannot embed BAD")
        return original(ids)
    monkeypatch.setattr(sync, "apply_changes", picky)
    result = sync.process_outbox()
    assert (result.applied, result.failed) == (2, 1) and "cannot embed BAD" in result.error
    assert outbox(db) == [("BAD", "upsert")]
    assert sync.process_outbox().applied == 0  # BAD is backing off: not due yet
    row = db.session.scalar(select(SearchOutboxEntry).where(SearchOutboxEntry.applied_at.is_(None)))
    assert row.attempts == 1 and as_utc(row.next_attempt_at) - sync.wall_clock() <= timedelta(seconds=2)
    assert sync.retry_now() == 1
    monkeypatch.undo()
    assert sync.process_outbox().applied == 1 and outbox(db) == []
    assert sorted(found(runner, "sprockets")) == ["BAD", "GOOD1", "GOOD2"]


def test_a_backend_outage_stops_the_single_retries_early(db, indexed, worker_mode, make_supplier, monkeypatch):
    for i in range(8):
        make_supplier(external_id=f"D{i}")
    calls = []

    def down(ids):
        calls.append(list(ids))
        raise ConnectionError("cluster unreachable")
    monkeypatch.setattr(sync, "apply_changes", down)
    result = sync.process_outbox()
    assert (result.applied, result.failed) == (0, 8)
    assert len(calls) == 1 + sync.ISOLATION_GIVE_UP  # the batch, then three singles, not eight
    assert {row.attempts for row in db.session.scalars(select(SearchOutboxEntry).where(SearchOutboxEntry.applied_at.is_(None)))} == {1}


def test_outbox_status_counts_rows_suppliers_and_failures(db, indexed, worker_mode, make_supplier):
    supplier = make_supplier(external_id="ST")
    supplier.description = "again"
    db.session.commit()
    sync.enqueue(["ST2"], "ConnectionError: down")
    status = sync.outbox_status()
    assert (status["queued"], status["suppliers"], status["failing"]) == (3, 2, 1)
    assert 0 <= status["oldest_seconds"] < 60


def test_a_drain_takes_what_was_queued_when_it_began_not_a_stream_that_never_ends(db, indexed, worker_mode,
                                                                                  make_supplier, monkeypatch):
    """The nightly job drains the outbox; edits arriving all the while are the worker's, or it never returns."""
    make_supplier(external_id="FIRST")
    original, edits = sync.apply_rows, []

    def apply_while_edits_arrive(rows):
        edits.append(len(edits))
        make_supplier(external_id=f"LATER{len(edits)}")  # one more queued change per batch applied
        return original(rows)
    monkeypatch.setattr(sync, "apply_rows", apply_while_edits_arrive)
    applied, queued = sync.drain_outbox(batch_size=1)
    assert applied == 1 and len(edits) == 1 and queued == 1
    assert outbox(db) == [("LATER1", "upsert")]
