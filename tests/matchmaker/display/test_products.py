"""A product's trade facts for cards."""
from types import SimpleNamespace

from matchmaker.display import product_facts


def test_product_facts_name_what_is_known():
    full = SimpleNamespace(hs_code="8708.30", moq=12000, unit="sets", lead_time_days=31)
    facts = product_facts(full)
    assert facts[0].startswith("HS 8708.30 (") and "brakes" in facts[0].lower()
    assert facts[1:] == ["MOQ 12,000 sets", "31 days lead time"]
    assert product_facts(SimpleNamespace(hs_code="0000.01", moq=None, unit=None, lead_time_days=0)) == [
        "HS 0000.01", "0 days lead time"]
    assert product_facts(SimpleNamespace(hs_code=None, moq=5, unit=None, lead_time_days=None)) == ["MOQ 5"]
