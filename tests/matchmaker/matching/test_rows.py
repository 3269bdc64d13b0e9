"""Light candidate rows: the same facts as the ORM rows, and the shown page swapped back to ORM rows."""
from types import SimpleNamespace

from matchmaker.matching.fit import facts_of
from matchmaker.matching.rows import ProductRow, SupplierRow, as_orm, load_rows
from matchmaker.models import Product, Supplier

PRODUCTS = [{"name": "밸브 바디", "description": "알루미늄", "hs_code": "8481.90", "moq": 500, "unit": "pcs",
             "lead_time_days": 30, "unit_price_usd": 4.5},
            {"name": "valve caps", "moq": None, "lead_time_days": 10}]


def test_light_rows_hold_what_ranking_reads_with_products_in_order(db, make_supplier):
    supplier = make_supplier(products=PRODUCTS, capabilities=["CNC 가공"], export_markets=["US", "VN"],
                             certifications=["ISO 9001", "ISO 14001 (in progress)"])
    make_supplier()  # another supplier's products stay with it
    rows = load_rows([supplier.external_id, "NO-SUCH-ID"])
    assert list(rows) == [supplier.external_id]  # ids no longer in the database are left out
    row = rows[supplier.external_id]
    assert isinstance(row, SupplierRow)
    assert (row.id, row.name, row.name_en, row.description, row.industry) == (
        supplier.id, supplier.name, supplier.name_en, supplier.description, supplier.industry)
    assert row.capabilities == ["CNC 가공"] and row.export_markets == ["US", "VN"]
    assert row.certification_ids == supplier.certification_ids
    assert facts_of(row) == facts_of(supplier)  # the fit signals read the same facts
    assert [p.name for p in row.products] == ["밸브 바디", "valve caps"]
    first = row.products[0]
    assert isinstance(first, ProductRow)
    assert (first.hs_code, first.moq, first.unit, first.lead_time_days, first.unit_price_usd) == (
        "8481.90", 500, "pcs", 30, 4.5)


def test_load_rows_reads_more_ids_than_one_in_list_holds(db, make_supplier):
    made = [make_supplier(products=[{"name": f"part {i}"}]) for i in range(3)]
    wanted = [m.external_id for m in made] + [f"MISSING-{i}" for i in range(1200)]
    rows = load_rows(wanted)
    assert sorted(rows) == sorted(m.external_id for m in made)
    assert all(len(row.products) == 1 for row in rows.values())


def test_the_shown_matches_become_orm_rows_and_keep_their_product(db, make_supplier):
    kept = make_supplier(products=PRODUCTS)
    gone = make_supplier()
    rows = load_rows([kept.external_id, gone.external_id])
    matches = [SimpleNamespace(supplier=rows[kept.external_id], product=rows[kept.external_id].products[1]),
               SimpleNamespace(supplier=rows[gone.external_id], product=None)]
    db.session.delete(gone)  # deleted between the ranking and the page
    db.session.commit()
    shown = as_orm(matches)
    assert len(shown) == 1
    assert isinstance(shown[0].supplier, Supplier) and shown[0].supplier.id == kept.id
    assert isinstance(shown[0].product, Product) and shown[0].product.name == "valve caps"
    assert shown[0].product in shown[0].supplier.products  # the same object the explanation's lines hold
