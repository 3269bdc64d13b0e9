"""Incremental nightly runs: a copy of the live version plus only what changed; anything else rebuilds in full."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from matchmaker.models import Product
from matchmaker.models._columns import clock_at
from matchmaker.search_service import get_search
from search.documents import SearchRequest

YESTERDAY = datetime.now(timezone.utc) - timedelta(days=1)


def reindex(runner, *args):
    result = runner.invoke(args=["reindex", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def found(app, text):
    with app.app_context():
        return [hit.id for hit in get_search().engine().search(SearchRequest(text=text, mode="lexical")).hits]


@pytest.fixture
def built(app, runner, make_supplier):
    """Three suppliers last changed yesterday, indexed in full; then the nightly job alone keeps the index."""
    with clock_at(YESTERDAY):
        rows = [make_supplier(description=f"Die casting of gearbox housings, line {i}") for i in range(3)]
    first = reindex(runner)
    assert first["incremental"] is False and first["documents"] == 3
    app.config["SEARCH_SYNC"] = "off"  # edits reach the index only through the next run
    return rows, first


def test_an_incremental_run_applies_only_the_changed_added_and_deleted_suppliers(app, runner, db, make_supplier, built):
    (edited, kept, removed), first = built
    edited.description = "Anodized aluminium heat sinks"
    added = make_supplier(description="Ceramic capacitors for inverters")
    db.session.delete(removed)
    db.session.commit()
    summary = reindex(runner)
    assert summary["incremental"] is True and summary["version"] != first["version"]
    assert (summary["documents"], summary["deleted"]) == (2, 1)  # the edited and the added supplier
    assert summary["message"].startswith("Indexed incrementally: 2 changed or added, 1 deleted")
    assert found(app, "heat sinks") == [edited.external_id]
    assert found(app, "ceramic capacitors") == [added.external_id]
    assert removed.external_id not in found(app, "gearbox housings") == [kept.external_id]
    with app.app_context():
        backend = get_search().backend
        assert backend.count() == 3
        assert backend.build_info(backend.live_version())["since"] > backend.build_info(first["version"])["since"]


def test_a_product_only_change_counts_as_a_change_of_its_supplier(app, runner, db, built):
    (supplier, *_), _ = built
    supplier.products.append(Product(position=5, name="titanium bone screws"))
    db.session.commit()
    assert supplier.updated_at.replace(tzinfo=timezone.utc) > YESTERDAY + timedelta(hours=1)
    summary = reindex(runner)
    assert summary["incremental"] is True and summary["documents"] == 1
    assert found(app, "titanium bone screws") == [supplier.external_id]


def test_nothing_changed_still_makes_a_new_verified_version(runner, built):
    _, first = built
    summary = reindex(runner)
    assert summary["incremental"] is True and summary["documents"] == 0 and summary["deleted"] == 0
    assert summary["version"] != first["version"]


def test_full_and_a_changed_fingerprint_rebuild_everything(app, runner, built):
    assert reindex(runner, "--full")["incremental"] is False
    with app.app_context():
        backend = get_search().backend
        live = backend.live_version()
        backend.set_build_info(live, {**backend.build_info(live), "fingerprint": "built-by-older-code"})
    summary = reindex(runner)
    assert summary["incremental"] is False and summary["documents"] == 3
    assert reindex(runner)["incremental"] is True  # the new version carries today's fingerprint


def test_a_failed_incremental_run_leaves_the_live_version_and_drops_its_copy(app, runner, monkeypatch, built):
    _, first = built

    def broken(*_args):
        raise RuntimeError("database went away")
    monkeypatch.setattr("matchmaker.reindex_job.changes_since", broken)
    result = runner.invoke(args=["reindex"])
    assert result.exit_code != 0
    with app.app_context():
        backend = get_search().backend
        assert backend.live_version() == first["version"]
        assert [v.name for v in backend.versions()] == [first["version"]]
