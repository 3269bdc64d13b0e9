"""The matching service on a small real catalog, with the real index and encoders."""
import pytest

from matchmaker.matching.service import match_request, match_text
from matchmaker.matching.suggestions import suggest
from matchmaker.models import Match

MOLDING_KO = {"name": "(주)한빛사출", "name_en": None, "industry": "electronics",
              "description": "플라스틱 사출성형 전문 기업으로 가전제품 외장 케이스와 정밀 사출 부품을 생산합니다.",
              "capabilities": ["사출성형", "금형 설계"], "certifications": ["ISO 9001"],
              "products": [{"name": "가전 외장 플라스틱 케이스", "hs_code": "3926.90", "moq": 3000, "unit": "pcs",
                            "lead_time_days": 25}]}
PCBA_MEDICAL = {"name": "메디보드", "name_en": "Mediboard", "industry": "electronics",
                "description": "PCBA assembly for medical devices: SMT lines, through-hole soldering and testing.",
                "certifications": ["ISO 13485:2016", "ISO 9001"],
                "products": [{"name": "PCBA assembly", "hs_code": "8534.00", "moq": 500, "unit": "pcs",
                              "lead_time_days": 30}]}
PCBA_PLAIN = {"name": "보드텍", "name_en": "Boardtech", "industry": "electronics",
              "description": "PCBA assembly for industrial controllers: SMT lines, through-hole soldering and testing.",
              "certifications": ["ISO 9001"],
              "products": [{"name": "PCBA assembly", "hs_code": "8534.00", "moq": 500, "unit": "pcs",
                            "lead_time_days": 30}]}
SYRINGES = {"name": "한국주사기", "name_en": "Korea Syringe", "industry": "bio-pharma",
            "description": "Disposable syringes and medical consumables, ISO 13485 certified.",
            "certifications": ["ISO 13485"], "products": [{"name": "disposable syringes", "moq": 100000}]}


@pytest.fixture
def catalog(make_supplier, runner):
    rows = {"molding": make_supplier(**MOLDING_KO), "pcba_medical": make_supplier(**PCBA_MEDICAL),
            "pcba_plain": make_supplier(**PCBA_PLAIN), "syringes": make_supplier(**SYRINGES)}
    for i in range(12):
        rows[f"cnc{i}"] = make_supplier(name=f"정밀가공 {i}", name_en=f"Precision Machining {i}", industry="machinery",
                                        description=f"CNC machining of aluminium valve bodies, series {i}",
                                        products=[{"name": f"aluminium valve bodies {i}", "moq": 100 * (i + 1)}])
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    return rows


def ids(page):
    return [m.supplier.external_id for m in page.items]


def test_an_english_request_finds_a_korean_only_supplier_with_a_reason(app, catalog):
    with app.app_context():
        page = match_text("plastic injection molding for appliance housings")
        top = page.items[0]
        assert top.supplier.external_id == catalog["molding"].external_id
        explanation = top.explanation
        assert explanation.matched is not None and explanation.matched.text
        assert explanation.summary.startswith(("Makes", "Offers", "Closest product", "Closest capability"))
        assert explanation.how in ("words", "meaning")
        assert "injection" in " ".join(explanation.english).lower() or explanation.how == "meaning"


def test_a_supplier_without_the_required_certification_ranks_below_one_with_it(app, catalog):
    with app.app_context():
        page = match_text("PCBA assembly medical ISO 13485")
        order = ids(page)
        medical, plain = catalog["pcba_medical"].external_id, catalog["pcba_plain"].external_id
        assert order[0] == medical
        assert order.index(medical) < order.index(plain)
        first = page.items[0].explanation
        assert first.certifications["met"] == ["ISO 13485"]
        plain_match = page.items[order.index(plain)]
        assert plain_match.explanation.certifications["missing"] == ["ISO 13485"]
        assert "13485" in plain_match.explanation.summary


def test_a_request_ranks_by_its_structured_needs(app, catalog, make_request):
    with app.app_context():
        request = make_request(title="PCBA assembly", description="PCBA assembly, SMT and through-hole",
                               required_certifications=["iso-13485"], quantity=1000, unit="pieces",
                               max_lead_time_days=20)
        page = match_request(request)
        assert ids(page)[0] == catalog["pcba_medical"].external_id
        signals = {s.name: s for s in page.items[0].signals}
        assert signals["moq"].status == "met" and signals["lead_time"].status == "missing"


def test_a_nonsense_query_says_nothing_fits_and_offers_partial_matches(app, catalog):
    with app.app_context():
        page = match_text("xqzv blorf")
        assert page.fits_nothing and page.total == 0 and page.items == []
        assert 0 < len(page.partial) <= 5
        assert all(not m.fits for m in page.partial)


def test_totals_are_stable_across_pages_and_pages_do_not_overlap(app, catalog):
    with app.app_context():
        pages = [match_text("CNC machining aluminium valve bodies", page=n, per_page=5) for n in (1, 2, 3)]
        totals = {page.total for page in pages}
        assert len(totals) == 1
        total = totals.pop()
        assert total >= 12
        seen = [i for page in pages for i in ids(page)]
        assert len(seen) == len(set(seen)) == min(total, 15)
        assert pages[0].pages == -(-total // 5)
        again = match_text("CNC machining aluminium valve bodies", page=2, per_page=5)
        assert ids(again) == ids(pages[1])


def test_filters_apply_before_ranking(app, catalog):
    from search.documents import Filter
    with app.app_context():
        page = match_text("PCBA assembly", (Filter.term("certifications", "ISO 13485"),))
        assert set(ids(page)) <= {catalog["pcba_medical"].external_id, catalog["syringes"].external_id}
        assert ids(page)[0] == catalog["pcba_medical"].external_id


def test_suggestions_are_stored_and_rematching_keeps_decisions(app, db, catalog, make_request):
    request = make_request(title="Aluminium valve bodies", description="CNC machined aluminium valve bodies")
    report = suggest([request])
    assert report.requests == 1 and report.suggested > 0
    rows = db.session.query(Match).filter_by(request_id=request.id).order_by(Match.rank).all()
    assert rows[0].rank == 1 and rows[0].explanation["summary"] and rows[0].score is not None
    assert rows[0].explanation["breakdown"]["relevance"] == pytest.approx(rows[0].relevance, abs=1e-4)
    decided = rows[0]
    decided.status, decided.notes = "rejected", "wrong alloy"
    db.session.commit()
    again = suggest([request])
    assert again.kept_decisions >= 1
    db.session.refresh(decided)
    assert decided.status == "rejected" and decided.notes == "wrong alloy" and decided.rank is not None
    count = db.session.query(Match).filter_by(request_id=request.id).count()
    assert count == len(rows)


def test_a_query_that_is_only_a_certificate_lists_its_holders(app, catalog):
    with app.app_context():
        for text in ("iso13485", "ISO 13485:2016"):
            page = match_text(text)
            assert set(ids(page)) == {catalog["pcba_medical"].external_id, catalog["syringes"].external_id}, text
            assert all(m.explanation.certifications["met"] == ["ISO 13485"] for m in page.items)


def test_numbers_in_a_query_do_not_make_suppliers_fit(app, catalog):
    with app.app_context():
        plain, with_number = match_text("syringes"), match_text("syringes 100")
        assert ids(with_number) == ids(plain) == [catalog["syringes"].external_id]
