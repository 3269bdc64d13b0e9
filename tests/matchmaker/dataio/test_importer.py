"""Imports are all or nothing, upsert on external_id, and name every bad line and field."""
import json

import pytest
from sqlalchemy import func, select

from matchmaker.dataio.importer import ImportFailed, import_judgments, import_requests, import_suppliers
from matchmaker.models import BuyerRequest, Match, Product, Supplier


def supplier(i, **extra):
    record = {"external_id": f"S{i}", "name": f"대성정밀 {i}", "description": "정밀 CNC 가공",
              "industry": "machinery", "products": [{"name": "CNC parts", "hs_code": "8487.90", "moq": 100}]}
    record.update(extra)
    return record


def lines(*records):
    return [(r if isinstance(r, (bytes, str)) else json.dumps(r, ensure_ascii=False)).encode()
            if not isinstance(r, bytes) else r for r in records]


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_suppliers_with_products(db):
    report = import_suppliers(lines(supplier(1), supplier(2, name_en="Daesung", capabilities=["5축 가공"])))
    assert (report.created, report.updated) == (2, 0)
    row = db.session.scalar(select(Supplier).where(Supplier.external_id == "S2"))
    assert row.name_en == "Daesung" and row.capabilities == ["5축 가공"]
    assert [(p.name, p.hs_code, p.moq) for p in row.products] == [("CNC parts", "8487.90", 100)]


def test_import_upserts_on_external_id_and_replaces_products(db):
    import_suppliers(lines(supplier(1)))
    report = import_suppliers(lines(supplier(1, name="새 이름", products=[{"name": "A"}, {"name": "B"}])))
    assert (report.created, report.updated) == (0, 1)
    assert count(db, Supplier) == 1 and count(db, Product) == 2
    assert db.session.scalar(select(Supplier.name)) == "새 이름"


BAD_LINES = [
    ("{not json", 2, "", "not valid JSON"),
    (b"\xff\xfe broken", 2, "", "not valid UTF-8"),
    ('["a list"]', 2, "", "expected a JSON object"),
    (supplier(9, industry="toys"), 2, "industry", "must be"),
    (supplier(9, smart_factory_level="high"), 2, "smart_factory_level", "must be an integer"),
    (supplier(9, smart_factory_level=7), 2, "smart_factory_level", "between 0 and 5"),
    (supplier(9, employees=1.5), 2, "employees", "must be an integer"),
    (supplier(9, products=[{"name": "x", "lead_time_days": -3}]), 2, "products[0].lead_time_days", "between 0"),
    (supplier(9, description=None), 2, "description", "is required"),
    (supplier(1), 2, "external_id", "duplicate 'S1', first given on line 1"),
]


@pytest.mark.parametrize("bad, line, field, fragment", BAD_LINES)
def test_any_bad_line_imports_nothing(db, bad, line, field, fragment):
    import_suppliers(lines(supplier(50, name="기존")))  # existing data must survive untouched
    with pytest.raises(ImportFailed) as failure:
        import_suppliers(lines(supplier(1), bad, supplier(2), supplier(50, name="바뀜")))
    problems = [(e.line, e.field) for e in failure.value.errors]
    assert (line, field) in problems
    assert fragment in str(failure.value) and "nothing was imported" in str(failure.value)
    assert count(db, Supplier) == 1
    assert db.session.scalar(select(Supplier.name)) == "기존"


def test_every_bad_line_is_reported_not_just_the_first(db):
    with pytest.raises(ImportFailed) as failure:
        import_suppliers(lines(supplier(1, industry="x"), supplier(2), "{", supplier(3, smart_factory_level=-1)))
    assert [e.line for e in failure.value.errors] == [1, 3, 4]
    assert str(failure.value.errors[0]).startswith("line 1, field 'industry':")


def test_skip_invalid_imports_the_good_lines_and_reports_the_rest(db):
    report = import_suppliers(lines(supplier(1), "{", supplier(2, industry="x"), supplier(3), supplier(1)),
                              skip_invalid=True)
    assert report.created == 2 and report.skipped_lines == 3
    assert [e.line for e in report.skipped] == [2, 3, 5]
    assert sorted(db.session.scalars(select(Supplier.external_id))) == ["S1", "S3"]


def test_blank_lines_and_a_byte_order_mark_are_fine(db):
    raw = b"\xef\xbb\xbf" + json.dumps(supplier(1)).encode()
    report = import_suppliers([raw, b"", b"   ", json.dumps(supplier(2)).encode()])
    assert report.created == 2


def test_a_database_error_rolls_the_whole_import_back(db, monkeypatch):
    calls = []

    def boom(n):
        calls.append(n)
        if len(calls) == 2:
            raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        import_suppliers(lines(supplier(1), supplier(2), supplier(3)), progress=boom)
    assert count(db, Supplier) == 0


def test_requests_import_and_upsert(db):
    good = {"external_id": "R1", "title": "Brake pads", "description": "10k sets", "deadline": "2027-03-01",
            "required_certifications": ["IATF 16949"], "quantity": 10000, "buyer_country": "DE"}
    assert import_requests(lines(good)).created == 1
    assert import_requests(lines({**good, "title": "Brake discs"})).updated == 1
    row = db.session.scalar(select(BuyerRequest))
    assert row.title == "Brake discs" and row.deadline.isoformat() == "2027-03-01"
    assert row.required_certifications == ["IATF 16949"]
    with pytest.raises(ImportFailed, match="line 1, field 'deadline'"):
        import_requests(lines({**good, "deadline": "next week"}))


def test_judgments_become_graded_matches(db):
    import_suppliers(lines(supplier(1), supplier(2)))
    import_requests(lines({"external_id": "R1", "title": "t", "description": "d"}))
    report = import_judgments(lines({"request_id": "R1", "supplier_id": "S1", "grade": 3},
                                    {"request_id": "R1", "supplier_id": "S2", "grade": 0}))
    assert report.created == 2
    assert sorted(db.session.scalars(select(Match.grade))) == [0, 3]
    assert import_judgments(lines({"request_id": "R1", "supplier_id": "S1", "grade": 2})).updated == 1


def test_judgments_for_unknown_records_import_nothing(db):
    import_suppliers(lines(supplier(1)))
    import_requests(lines({"external_id": "R1", "title": "t", "description": "d"}))
    with pytest.raises(ImportFailed) as failure:
        import_judgments(lines({"request_id": "R1", "supplier_id": "S1", "grade": 3},
                               {"request_id": "R9", "supplier_id": "S1", "grade": 1},
                               {"request_id": "R1", "supplier_id": "S7", "grade": 5}))
    found = {(e.line, e.field) for e in failure.value.errors}
    assert found == {(2, "request_id"), (3, "grade")}
    assert count(db, Match) == 0


REQUEST = {"external_id": "R1", "title": "Brake pads", "description": "10k sets"}


@pytest.mark.parametrize("bad, field, fragment", [
    ('{"external_id": "R2", "title": ', "", "not valid JSON"),
    ({**REQUEST, "external_id": "R2", "industry": "toys"}, "industry", "must be"),
    ({**REQUEST, "external_id": "R2", "quantity": "lots"}, "quantity", "must be an integer"),
    ({**REQUEST, "external_id": "R2", "max_lead_time_days": 0}, "max_lead_time_days", "between 1 and 3650"),
    ({**REQUEST, "external_id": "R2", "required_certifications": "ISO 9001"}, "required_certifications",
     "must be a list"),
    ({**REQUEST, "external_id": "R2", "title": None}, "title", "is required"),
    (REQUEST, "external_id", "duplicate 'R1', first given on line 1"),
])
def test_any_bad_request_line_imports_nothing(db, bad, field, fragment):
    with pytest.raises(ImportFailed) as failure:
        import_requests(lines(REQUEST, bad))
    assert [(e.line, e.field) for e in failure.value.errors] == [(2, field)]
    assert fragment in str(failure.value)
    assert count(db, BuyerRequest) == 0


def test_a_huge_integer_is_a_line_error_not_a_crash(db):
    import pytest
    from matchmaker.dataio.importer import ImportFailed, import_suppliers
    with pytest.raises(ImportFailed) as failed:
        import_suppliers([b'{"external_id": "X", "employees": ' + b"9" * 5000 + b"}"])
    assert "line 1" in str(failed.value) and "not valid JSON" in str(failed.value)
