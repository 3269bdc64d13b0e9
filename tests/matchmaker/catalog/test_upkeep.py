"""Supplier upkeep: create, update and delete by the data contract, audited, refusing stale changes."""
import pytest
from sqlalchemy import create_engine, func, select, text

from matchmaker.catalog import upkeep
from matchmaker.models import AuditEvent, Introduction, Match, Product, SavedSupplier, Supplier

RECORD = {
    "name": "한빛정밀", "name_en": "Hanbit Precision", "description": "Precision turned parts", "industry": "machinery",
    "region": "경남 창원", "capabilities": ["CNC turning", "anodizing"], "certifications": ["ISO 9001", "IATF 16949"],
    "smart_factory_level": 3, "employees": 85, "founded_year": 1998, "export_markets": ["US", "DE"],
    "languages": ["ko", "en"], "website": "https://hanbit.example.kr", "contact_email": "sales@hanbit.example.kr",
    "contact_phone": "+82-55-555-0100",
    "products": [{"name": "Brass fittings", "hs_code": "7412.20", "moq": 500, "unit": "pcs", "lead_time_days": 30,
                  "unit_price_usd": 1.25},
                 {"name": "Hydraulic nipples", "moq": 1000, "unit": "pcs"}],
}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_create_writes_every_field_and_audits_it(db, users):
    row = upkeep.create_supplier({**RECORD, "external_id": "HB-1"}, users["specialist"])
    db.session.expire_all()
    row = db.session.get(Supplier, row.id)
    assert (row.external_id, row.name_en, row.employees, row.founded_year) == ("HB-1", "Hanbit Precision", 85, 1998)
    assert row.export_markets == ["US", "DE"] and row.languages == ["ko", "en"]
    assert row.contact_email == "sales@hanbit.example.kr" and row.certification_ids  # canonical ids kept in step
    assert [(p.position, p.name, p.moq, p.unit_price_usd) for p in row.products] == [
        (0, "Brass fittings", 500, 1.25), (1, "Hydraulic nipples", 1000, None)]
    [event] = events(db, "supplier.create")
    assert event.entity_id == "HB-1" and event.actor_id == users["specialist"].id
    assert event.details["after"]["products"][0]["hs_code"] == "7412.20"


def test_create_makes_up_an_id_and_refuses_a_taken_one(db, users, make_supplier):
    make_supplier(external_id="TAKEN")
    row = upkeep.create_supplier({**RECORD, "external_id": "  "}, users["admin"])
    assert row.external_id.startswith("sup-") and len(row.external_id) == 16
    with pytest.raises(upkeep.InvalidSupplier) as caught:
        upkeep.create_supplier({**RECORD, "external_id": "TAKEN"}, users["admin"])
    assert [(e.field, "already used" in e.message) for e in caught.value.errors] == [("external_id", True)]
    assert count(db, Supplier) == 2


def test_an_invalid_record_writes_nothing(db, users):
    bad = {**RECORD, "industry": "weapons", "products": [{"name": "x", "moq": 0}]}
    with pytest.raises(upkeep.InvalidSupplier) as caught:
        upkeep.create_supplier(bad, users["specialist"])
    assert {e.field for e in caught.value.errors} == {"industry", "products[0].moq"}
    assert count(db, Supplier) == count(db, Product) == 0 and events(db, "supplier.create") == []


def test_update_writes_only_what_changed_and_audits_before_and_after(db, users):
    row = upkeep.create_supplier({**RECORD, "external_id": "HB-2"}, users["specialist"])
    first_product = row.products[0].id
    changed = upkeep.update_supplier(row, {**RECORD, "name_en": "Hanbit Fittings", "employees": 90},
                                     users["admin"], row.version)
    assert changed == ["name_en", "employees"]
    [event] = events(db, "supplier.update")
    assert event.details == {"before": {"name_en": "Hanbit Precision", "employees": 85},
                             "after": {"name_en": "Hanbit Fittings", "employees": 90}}
    assert row.products[0].id == first_product  # products are updated in place, by position


def test_a_product_only_change_moves_the_version(db, users):
    row = upkeep.create_supplier({**RECORD, "external_id": "HB-3"}, users["specialist"])
    version = row.version
    products = [{**RECORD["products"][0], "moq": 800}]
    assert upkeep.update_supplier(row, {**RECORD, "products": products}, users["admin"], version) == ["products"]
    assert row.version == version + 1 and count(db, Product) == 1


def test_no_change_writes_nothing(db, users):
    row = upkeep.create_supplier({**RECORD, "external_id": "HB-4"}, users["specialist"])
    version = row.version
    assert upkeep.update_supplier(row, dict(RECORD), users["admin"], str(version)) == []
    assert row.version == version and events(db, "supplier.update") == []


def test_the_external_id_is_kept(db, users):
    row = upkeep.create_supplier({**RECORD, "external_id": "HB-5"}, users["specialist"])
    upkeep.update_supplier(row, {**RECORD, "external_id": "OTHER", "name": "새이름"}, users["admin"], row.version)
    assert row.external_id == "HB-5" and row.name == "새이름"


@pytest.mark.parametrize("seen", [None, "", "x", 0])
def test_a_stale_or_missing_version_is_refused(db, users, seen):
    row = upkeep.create_supplier({**RECORD, "external_id": "HB-6"}, users["specialist"])
    with pytest.raises(upkeep.StaleSupplier):
        upkeep.update_supplier(row, {**RECORD, "name": "늦은 변경"}, users["admin"], seen)
    with pytest.raises(upkeep.StaleSupplier):
        upkeep.delete_supplier(row, users["admin"], seen)
    db.session.expire_all()
    assert db.session.get(Supplier, row.id).name == "한빛정밀"


def test_a_change_committed_meanwhile_is_refused_at_commit(app, db, users):
    row = upkeep.create_supplier({**RECORD, "external_id": "HB-7"}, users["specialist"])
    version = row.version
    assert row.name == "한빛정밀"  # loaded now; another process saves before we write
    with create_engine(app.config["SQLALCHEMY_DATABASE_URI"]).begin() as other:
        other.execute(text("UPDATE suppliers SET name = 'other', version = version + 1 WHERE id = :id"), {"id": row.id})
    with pytest.raises(upkeep.StaleSupplier):
        upkeep.update_supplier(row, {**RECORD, "name": "mine"}, users["admin"], version)
    db.session.expire_all()
    assert db.session.get(Supplier, row.id).name == "other" and events(db, "supplier.update") == []


def test_delete_takes_matches_introductions_and_saved_entries_along(db, users, make_supplier, make_request):
    keep, gone = make_supplier(), make_supplier(external_id="GONE")
    request = make_request(buyer_id=users["buyer"].id)
    db.session.add_all([Match(request_id=request.id, supplier_id=gone.id), Match(request_id=request.id,
                                                                                  supplier_id=keep.id),
                        Introduction(request_id=request.id, supplier_id=gone.id, message="please"),
                        SavedSupplier(user_id=users["buyer"].id, supplier_id=gone.id)])
    db.session.commit()
    expected = {"products": 1, "matches": 1, "introductions": 1, "saved": 1}
    assert upkeep.removal_summary(gone) == expected
    assert upkeep.delete_supplier(gone, users["admin"], gone.version) == expected
    assert count(db, Supplier) == count(db, Match) == count(db, Product) == 1
    assert count(db, Introduction) == count(db, SavedSupplier) == 0
    [event] = events(db, "supplier.delete")
    assert event.entity_id == "GONE" and event.details["before"]["matches"] == 1
