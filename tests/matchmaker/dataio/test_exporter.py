"""Exports speak the data contract: what was imported comes back out unchanged."""
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.dataio import exporter
from matchmaker.dataio.contract import JUDGMENT, REQUEST, SUPPLIER, validate
from matchmaker.dataio.importer import import_requests, import_suppliers
from matchmaker.dataio.jsonl import dumps
from matchmaker.models import Match, Product

DEMO = Path(__file__).resolve().parents[3] / "data" / "demo"


def head(path: Path, n: int) -> list[bytes]:
    return path.read_bytes().splitlines()[:n]


def exported(runner, tmp_path, kind):
    out = tmp_path / f"{kind}.jsonl"
    result = runner.invoke(args=["export", kind, str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_suppliers_round_trip(db, runner, tmp_path):
    source = head(DEMO / "suppliers.jsonl", 200)
    import_suppliers(source)
    records = exported(runner, tmp_path, "suppliers")
    assert records == [json.loads(line) for line in source]
    assert all(validate(SUPPLIER, r, 1)[1] == [] for r in records)


def test_requests_round_trip(db, runner, tmp_path):
    source = (DEMO / "requests.jsonl").read_bytes().splitlines()
    import_requests(source)
    records = exported(runner, tmp_path, "requests")
    assert records == [json.loads(line) for line in source]
    assert all(validate(REQUEST, r, 1)[1] == [] for r in records)


def test_judgments_come_from_grades_and_curation_decisions(db, runner, tmp_path, make_supplier, make_request):
    request = make_request(external_id="R1")
    suppliers = [make_supplier(external_id=f"S{i}") for i in range(4)]
    decisions = zip(suppliers, ("shortlisted", "rejected", "suggested", "won"), (None, None, None, 1))
    for supplier, status, grade in decisions:
        db.session.add(Match(request_id=request.id, supplier_id=supplier.id, status=status, grade=grade))
    db.session.commit()
    records = exported(runner, tmp_path, "judgments")
    assert records == [{"request_id": "R1", "supplier_id": "S0", "grade": 2, "decision": "shortlisted"},
                       {"request_id": "R1", "supplier_id": "S1", "grade": 0, "decision": "rejected"},
                       {"request_id": "R1", "supplier_id": "S3", "grade": 1}]
    assert all(validate(JUDGMENT, r, 1)[1] == [] for r in records)
    assert db.session.scalar(select(Match.status).where(Match.supplier_id == suppliers[2].id)) == "suggested"


def test_export_to_stdout(db, runner, make_supplier):
    make_supplier(external_id="S-OUT", name="표준출력")
    result = runner.invoke(args=["export", "suppliers", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["name"] == "표준출력"


def test_a_failed_export_leaves_no_partial_file(db, runner, tmp_path, monkeypatch, make_supplier):
    make_supplier()
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.jsonl"
    target.write_text("previous export\n")

    def broken():
        yield {"external_id": "x"}
        raise RuntimeError("database went away")
    monkeypatch.setitem(exporter.EXPORTERS, "suppliers", broken)
    result = runner.invoke(args=["export", "suppliers", str(target)])
    assert result.exit_code != 0
    assert target.read_text() == "previous export\n"
    assert [p.name for p in target.parent.iterdir()] == ["out.jsonl"]  # no temp file left behind


@pytest.mark.parametrize("value", [float("inf"), float("-inf")])  # SQLite stores NaN as NULL
def test_an_export_writes_only_json(db, runner, tmp_path, make_supplier, value):
    """A value JSON cannot hold (stored before the import checked it) stops the export, naming the record."""
    make_supplier(external_id="S-OK")
    make_supplier(external_id="S-BAD", products=[{"name": "bolts", "unit_price_usd": 1.0}])
    db.session.scalar(select(Product).where(Product.name == "bolts")).unit_price_usd = value
    db.session.commit()
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.jsonl"
    target.write_text("previous export\n")
    result = runner.invoke(args=["export", "suppliers", str(target)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "suppliers record 2 (S-BAD) cannot be exported: it holds NaN or an infinity" in result.output
    assert target.read_text() == "previous export\n" and [p.name for p in target.parent.iterdir()] == ["out.jsonl"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_dumps_refuses_what_json_cannot_hold(value):
    with pytest.raises(ValueError):
        dumps({"unit_price_usd": value})
