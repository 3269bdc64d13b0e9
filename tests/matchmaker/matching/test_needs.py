"""Needs from requests and searches: canonical certifications, units, the words that must match."""
from types import SimpleNamespace

from matchmaker.matching.needs import needs_from_request, needs_from_text, normalize_unit


def test_units_have_one_spelling():
    assert normalize_unit("Pieces") == normalize_unit("ea") == normalize_unit("PCS") == "pcs"
    assert normalize_unit("tonnes") == normalize_unit("MT") == "t"
    assert normalize_unit(" square metres ") == "m2"
    assert normalize_unit("barrels") == "barrels"
    assert normalize_unit("") is None and normalize_unit(None) is None


def test_needs_from_a_contract_record():
    needs = needs_from_request({"title": "Brake pads", "description": "Ceramic brake pads, IATF 16949 needed",
                                "quantity": 5000, "unit": "pieces", "required_certifications": ["ISO9001:2015"],
                                "max_lead_time_days": 40, "buyer_country": "DE", "industry": "auto-parts"})
    assert needs.certifications == ("ISO 9001",)
    assert needs.named_certifications == ("IATF 16949",)
    assert needs.unit == "pcs" and needs.quantity == 5000 and needs.country == "DE"
    assert needs.key_text == "Brake pads" and needs.text == "Brake pads\nCeramic brake pads, needed"


def test_needs_from_a_row_with_equal_title_and_description():
    row = SimpleNamespace(title="Kimchi", description="Kimchi", required_certifications=[], quantity=None,
                          unit=None, max_lead_time_days=None, buyer_country=None, industry=None)
    assert needs_from_request(row).text == "Kimchi"


def test_needs_from_a_search_box():
    needs = needs_from_text("PCBA assembly medical ISO 13485", certification="iso-9001")
    assert needs.certifications == ("ISO 9001",)
    assert needs.named_certifications == ("ISO 13485",)
    assert needs.all_certifications == ("ISO 9001", "ISO 13485")
    assert needs.text == needs.key_text == "PCBA assembly medical"
    assert needs_from_text("ISO 13485").text == "ISO 13485"  # nothing else to search for
