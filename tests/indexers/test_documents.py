"""Supplier records become search documents with the fields the filters and boosts need."""
from indexers.documents import embedding_text, request_text, schema, supplier_document

RECORD = {"external_id": "S1", "name": "대성정밀", "name_en": "Daesung Precision", "industry": "machinery",
          "description": "5축 CNC 가공", "region": "경남 창원", "capabilities": ["5-axis CNC machining", "CMM"],
          "certifications": ["ISO 9001"], "smart_factory_level": 3, "employees": 40, "founded_year": 1998,
          "export_markets": ["US"], "languages": ["ko", "en"],
          "products": [{"name": "CNC parts", "hs_code": "8487.90", "moq": 100, "lead_time_days": 20},
                       {"name": "jigs", "moq": 5, "lead_time_days": 30}]}


def test_document_fields():
    doc = supplier_document(RECORD)
    assert doc.id == "S1"
    assert doc.text["name"] == "대성정밀\nDaesung Precision"
    assert doc.text["products"] == "CNC parts\njigs" and doc.text["capabilities"] == "5-axis CNC machining\nCMM"
    assert doc.keywords["hs_codes"] == ["8487", "848790"] and doc.keywords["industry"] == ["machinery"]
    assert doc.numbers == {"smart_factory_level": 3, "employees": 40, "founded_year": 1998, "min_moq": 5,
                           "min_lead_time_days": 20}
    schema({"minilm": 384}).check(doc)


def test_embedding_text_leads_with_names_and_products():
    assert embedding_text(RECORD).startswith("Daesung Precision. CNC parts; jigs. 5-axis CNC machining, CMM\n")


def test_request_text_does_not_repeat_an_equal_description():
    assert request_text({"title": "Brake pads", "description": "Brake pads"}) == "Brake pads"
    assert request_text({"title": "Brake pads", "description": "10k sets"}) == "Brake pads\n10k sets"
