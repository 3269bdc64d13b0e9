"""Model behaviour that the database and the app rely on."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from matchmaker.models import Match, Product, Supplier, User


def test_deleting_a_supplier_deletes_its_products(db, make_supplier):
    supplier = make_supplier(products=[{"name": "a"}, {"name": "b"}])
    db.session.delete(supplier)
    db.session.commit()
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_products_keep_their_profile_order(db, make_supplier):
    supplier = make_supplier(products=[{"name": "first"}, {"name": "second"}, {"name": "third"}])
    db.session.expire_all()
    assert [p.name for p in db.session.get(Supplier, supplier.id).products] == ["first", "second", "third"]


def test_smart_factory_level_is_checked_by_the_database(db, make_supplier):
    with pytest.raises(IntegrityError):
        make_supplier(smart_factory_level=9)
    db.session.rollback()


def test_external_ids_are_unique(db, make_supplier):
    make_supplier(external_id="DUP-1")
    with pytest.raises(IntegrityError):
        make_supplier(external_id="DUP-1")
    db.session.rollback()


def test_korean_text_and_lists_round_trip(db, make_supplier):
    supplier = make_supplier(name="(주)대성정밀", capabilities=["5축 CNC 가공", "사출성형"], export_markets=["US", "VN"])
    db.session.expire_all()
    again = db.session.get(Supplier, supplier.id)
    assert again.name == "(주)대성정밀" and again.capabilities == ["5축 CNC 가공", "사출성형"]
    assert again.created_at is not None and again.updated_at is not None


def test_display_name(make_supplier):
    assert make_supplier(name="대성", name_en="Daesung").display_name == "Daesung (대성)"
    assert make_supplier(name="대성", name_en=None).display_name == "대성"


@pytest.mark.parametrize("status, grade, expected", [
    ("suggested", None, None), ("shortlisted", None, 2), ("introduced", None, 2), ("won", None, 3),
    ("rejected", None, 0), ("lost", None, 1), ("rejected", 3, 3)])
def test_match_judgment_follows_curation_unless_graded(status, grade, expected):
    assert Match(status=status, grade=grade).judgment == expected


def test_passwords_are_stored_as_slow_salted_hashes(db):
    user = User(email="x@example.com")
    user.set_password("a long password")
    assert user.password_hash.startswith("scrypt:")
    assert "a long password" not in user.password_hash
    assert user.check_password("a long password") and not user.check_password("A long password")


def test_certification_ids_follow_the_written_certifications(db, make_supplier):
    supplier = make_supplier(certifications=["ISO9001:2015", "해썹", "IATF 16949 (in progress)", "Best Maker Award"])
    assert supplier.certifications == ["ISO9001:2015", "해썹", "IATF 16949 (in progress)", "Best Maker Award"]
    assert supplier.certification_ids == ["ISO 9001", "HACCP", "BEST MAKER AWARD"]
    supplier.certifications = ["iso 14001"]
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Supplier, supplier.id).certification_ids == ["ISO 14001"]
