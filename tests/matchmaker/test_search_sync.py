"""Live sync: supplier changes reach the index after commit; backend failures go to the outbox."""
import json

import pytest
from sqlalchemy import create_engine, func, select, text

from matchmaker.models import SearchOutboxEntry, Supplier
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
    queued = db.session.scalars(select(SearchOutboxEntry)).all()
    assert [(q.supplier_external_id, q.operation) for q in queued] == [("OUT", "upsert")]
    assert "search cluster down" in queued[0].last_error
    still_down = runner.invoke(args=["sync"])
    assert still_down.exit_code == 1 and "still queued" in still_down.output
    monkeypatch.undo()
    assert runner.invoke(args=["sync"]).output.strip() == "Applied 1 queued change(s)."
    assert found(runner, "tungsten") == ["OUT"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(SearchOutboxEntry.id))) == 0


def test_the_nightly_reindex_drains_the_outbox(app, runner, db, indexed, make_supplier, monkeypatch):
    with app.app_context():
        backend = get_search().backend
    monkeypatch.setattr(backend, "bulk_index", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("down")))
    make_supplier(external_id="LATE", name="늦음", description="quartz rings")
    monkeypatch.undo()
    result = runner.invoke(args=["reindex", "--json"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(SearchOutboxEntry.id))) == 0
    assert found(runner, "quartz") == ["LATE"]


def test_nothing_to_sync_before_the_first_build(runner, db, make_supplier):
    make_supplier(external_id="EARLY", description="before any index")
    assert db.session.scalar(select(func.count(SearchOutboxEntry.id))) == 0


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
    """Live sync and the reindex catch-up share this: a backend failure queues, never raises."""
    import matchmaker.search_sync as sync

    def down(changes):
        raise ConnectionError("search cluster down")
    monkeypatch.setattr(sync, "apply_changes", down)
    sync.apply_or_enqueue({"X1": "upsert", "X2": "delete"})
    queued = db.session.execute(select(SearchOutboxEntry.supplier_external_id, SearchOutboxEntry.operation)).all()
    assert sorted(queued) == [("X1", "upsert"), ("X2", "delete")]
