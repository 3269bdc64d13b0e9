"""Imports are all or nothing, upsert on external_id, and name every bad line and field."""
import json

import pytest
from sqlalchemy import func, select

from matchmaker.dataio.importer import ImportFailed, import_judgments, import_requests, import_suppliers
from matchmaker.dataio.limits import (DEPTH, DESCRIPTION_CHARS, LINE_BYTES, PRICE_USD_MAX, PRODUCTS,
                                      QUANTITY_MAX)
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


def _padded(size: int, i: int = 7) -> bytes:
    """A valid supplier line of exactly ``size`` bytes (an unknown field takes the slack)."""
    line = json.dumps(supplier(i, pad="")).encode()
    return json.dumps(supplier(i, pad="p" * (size - len(line)))).encode()


def _nested(levels: int, i: int = 7) -> bytes:
    """A valid supplier line nesting ``levels`` deep: the record, then lists in an unknown field."""
    return json.dumps(supplier(i)).encode()[:-1] + b', "deep": ' + b"[" * (levels - 1) + b"]" * (levels - 1) + b"}"


N = "\\u0000"  # a NUL character as JSON writes it
LIMIT_LINES = [
    (_padded(LINE_BYTES + 1), "", f"is {LINE_BYTES + 1:,} bytes long; at most {LINE_BYTES:,} allowed"),
    (_nested(DEPTH + 1), "", f"nests lists and objects {DEPTH + 1} levels deep; at most {DEPTH} allowed"),
    (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "", "nests lists and objects 100000 levels deep"),
    (b"[" * 1_000_000, "", "nests lists and objects 1000000 levels deep"),
    ('{"external_id": "S7", "name": "a", "name": "b", "description": "d", "industry": "food"}', "name",
     "is given more than once in the same object"),
    ('{"external_id": "S7", "name": "a", "description": "d", "industry": "food", "products": '
     '[{"name": "x", "moq": 1, "moq": 2}]}', "moq", "is given more than once"),
    ('{"external_id": "S7", "name": "a", "description": "d", "industry": "food", "products": '
     '[{"name": "x", "unit_price_usd": NaN}]}', "unit_price_usd", "NaN is not a JSON number: numbers must be finite"),
    ('{"external_id": "S7", "name": "a", "description": "d", "industry": "food", "employees": Infinity}',
     "employees", "Infinity is not a JSON number"),
    ('{"external_id": "S7", "name": "a", "description": "d", "industry": "food", "x": [-Infinity]}', "",
     "-Infinity is not a JSON number"),
    ('{"external_id": "S7", "name": "a", "description": "d", "industry": "food", "products": '
     '[{"name": "x", "unit_price_usd": 1e400}]}', "products[0].unit_price_usd", "must be a finite number, got inf"),
    (supplier(7, products=[{"name": "x", "moq": 10**30}]), "products[0].moq",
     "must be between 1 and 1000000000, got 1000000000000000000000000000000"),
    (supplier(7, products=[{"name": "x", "moq": 1e30}]), "products[0].moq", "must be an integer, got a number"),
    (supplier(7, products=[{"name": "x", "unit_price_usd": PRICE_USD_MAX * 10}]), "products[0].unit_price_usd",
     "must be between 0 and 1000000000"),
    (supplier(7, products=[{"name": "x", "lead_time_days": 3651}]), "products[0].lead_time_days",
     "must be between 0 and 3650"),
    (supplier(7, employees=10**9), "employees", "must be between 0 and 10000000"),
    (f'{{"external_id": "S7", "name": "a{N}", "description": "d", "industry": "food"}}', "name", "NUL"),
    (f'{{"external_id": "S7", "name": "a", "description": "d", "industry": "food", "capabilities": ["x{N}"]}}',
     "capabilities[0]", "NUL"),
    (f'{{"external_id": "S7", "name": "a", "description": "d", "industry": "food", "x{N}": 1}}', "",
     "has a key with a NUL character"),
    ('{"external_id": "S7", "name": "a\\ud800", "description": "d", "industry": "food"}', "name",
     "must not contain a lone surrogate"),
    ('{"external_id": "S7", "name": "a", "description": "d", "industry": "food", "products": '
     '[{"name": "\\udfff"}]}', "products[0].name", "lone surrogate"),
    (supplier(7, description="d" * (DESCRIPTION_CHARS + 1)), "description",
     f"is {DESCRIPTION_CHARS + 1} characters long; at most {DESCRIPTION_CHARS} allowed"),
    (supplier(7, name="n" * 201), "name", "at most 200 allowed"),
    (supplier(7, external_id="e" * 101), "external_id", "at most 100 allowed"),
    (supplier(7, products=[{"name": "x", "description": "d" * 1001}]), "products[0].description",
     "at most 1000 allowed"),
    (supplier(7, products=[{"name": f"p{i}"} for i in range(PRODUCTS + 1)]), "products",
     f"has {PRODUCTS + 1} items; at most {PRODUCTS} allowed"),
    (supplier(7, capabilities=["x"] * 10_000), "capabilities", "has 10000 items; at most 50 allowed"),
    (supplier(7, certifications=["ISO 9001"] * 31), "certifications", "at most 30 allowed"),
    (supplier(7, certifications=["c" * 201]), "certifications[0]", "at most 200 allowed"),
    (supplier(7, export_markets=["US"] * 250), "export_markets", "has 250 items; at most 249 allowed"),
    (supplier(7, industry="x" * 100_000), "industry", "got 'xxxxxxxx"),
]


@pytest.mark.parametrize("bad, field, fragment", LIMIT_LINES, ids=range(len(LIMIT_LINES)))
def test_every_limit_is_a_line_and_field_error_and_nothing_is_imported(db, bad, field, fragment):
    import_suppliers(lines(supplier(50, name="기존")))
    with pytest.raises(ImportFailed) as failure:
        import_suppliers(lines(supplier(1), bad, supplier(50, name="바뀜")))
    assert [(e.line, e.field) for e in failure.value.errors] == [(2, field)]
    assert fragment in str(failure.value.errors[0]) and "nothing was imported" in str(failure.value)
    assert len(str(failure.value)) < 500  # the report repeats no megabyte of input
    assert count(db, Supplier) == 1 and db.session.scalar(select(Supplier.name)) == "기존"


def test_values_at_the_limits_import(db):
    at_limits = [_padded(LINE_BYTES, 7), _nested(DEPTH, 8),
                 supplier(9, description="d" * DESCRIPTION_CHARS, capabilities=[f"c{i}" for i in range(50)],
                          products=[{"name": f"p{i}", "moq": QUANTITY_MAX, "unit_price_usd": PRICE_USD_MAX}
                                    for i in range(PRODUCTS)])]
    assert len(at_limits[0]) == LINE_BYTES
    assert import_suppliers(lines(*at_limits)).created == 3
    assert count(db, Product) == PRODUCTS + 2


@pytest.mark.parametrize("raw", [[], [b""], [b"", b"   ", b"\t"], [b"\xef\xbb\xbf"]])
@pytest.mark.parametrize("importer", [import_suppliers, import_requests, import_judgments])
@pytest.mark.parametrize("skip_invalid", [False, True])
def test_an_empty_file_says_it_has_no_records(db, raw, importer, skip_invalid):
    with pytest.raises(ImportFailed) as failure:
        importer(raw, skip_invalid=skip_invalid)
    assert "the file has no records" in str(failure.value) and "nothing was imported" in str(failure.value)


def test_a_surrogate_pair_is_one_character_and_imports(db):
    import_suppliers([b'{"external_id": "S1", "name": "a\\ud83d\\ude00", "description": "d", "industry": "food"}'])
    assert db.session.scalar(select(Supplier.name)) == "a\U0001F600"
