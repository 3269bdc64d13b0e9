"""Each fit signal on its own: what it says, and how far it moves a supplier (weights from the profile)."""
from types import SimpleNamespace

import pytest

from matchmaker.certifications import canonical_list
from matchmaker.matching.fit import (MET, MISSING, PARTIAL, UNKNOWN, SupplierFacts, certification_signal,
                                     export_signal, facts_of, fit_signals, industry_signal, lead_time_signal,
                                     moq_signal, smart_factory_signal)
from matchmaker.matching.needs import Needs
from matchmaker.matching.profile import FitWeights

W = FitWeights()


def facts(certs=(), pending=(), markets=(), level=None, industry="machinery"):
    return SupplierFacts(frozenset(certs), frozenset(pending), tuple(markets), level, industry)


def product(moq=None, unit="pcs", lead=None):
    return SimpleNamespace(moq=moq, unit=unit, lead_time_days=lead)


def test_facts_read_held_and_pending_certifications_in_any_spelling():
    written = ["ISO9001:2015", "IATF 16949 (in progress)", "해썹"]
    row = SimpleNamespace(certifications=written, certification_ids=canonical_list(written),
                          export_markets=["US"], smart_factory_level=3, industry="food")
    found = facts_of(row)
    assert found.certifications == {"ISO 9001", "HACCP"}
    assert found.pending == {"IATF 16949"}


def test_required_certification_missing_is_a_strong_demotion():
    needs = Needs(certifications=("ISO 13485",))
    has = certification_signal(needs, facts(["ISO 13485", "ISO 9001"]), W)
    lacks = certification_signal(needs, facts(["ISO 9001"]), W)
    assert has.status == MET and has.effect == 0
    assert has.detail.startswith("has ") and "13485" in has.detail
    assert lacks.status == MISSING and lacks.effect == pytest.approx(W.missing_certification)
    assert lacks.data["missing"] == ["ISO 13485"]
    assert "no " in lacks.detail and "13485" in lacks.detail


def test_pending_certification_is_a_smaller_demotion_and_partial_counts_share():
    needs = Needs(certifications=("ISO 13485", "ISO 9001"))
    pending = certification_signal(needs, facts(["ISO 9001"], pending=["ISO 13485"]), W)
    assert pending.status == PARTIAL
    assert pending.effect == pytest.approx(W.pending_certification / 2)
    half = certification_signal(needs, facts(["ISO 9001"]), W)
    assert half.effect == pytest.approx(W.missing_certification / 2)
    assert half.data == {"met": ["ISO 9001"], "pending": [], "missing": ["ISO 13485"]}


def test_a_certification_only_named_in_a_search_weighs_less():
    needs = Needs(named_certifications=("ISO 13485",))
    effect = certification_signal(needs, facts(), W).effect
    assert effect == pytest.approx(W.missing_certification * W.named_certification)
    assert W.missing_certification < effect < 0
    assert certification_signal(Needs(), facts(), W) is None


def test_moq_above_quantity_in_the_same_unit_is_demoted():
    needs = Needs(quantity=1000, unit="pcs")
    above = moq_signal(needs, product(moq=5000, unit="pieces"), W)
    assert above.status == MISSING and above.effect == W.moq_above_quantity
    assert "5,000" in above.detail and "1,000" in above.detail
    fits = moq_signal(needs, product(moq=500, unit="EA"), W)
    assert fits.status == MET and fits.effect == 0


def test_moq_in_another_unit_is_not_compared_and_says_so():
    signal = moq_signal(Needs(quantity=1000, unit="pcs"), product(moq=5000, unit="kg"), W)
    assert signal.status == UNKNOWN and signal.effect == 0
    assert "different units" in signal.detail


def test_moq_signal_needs_a_quantity_and_a_moq():
    assert moq_signal(Needs(), product(moq=10), W) is None
    assert moq_signal(Needs(quantity=5), product(moq=None), W) is None
    assert moq_signal(Needs(quantity=5), None, W) is None


def test_lead_time_over_the_limit_is_demoted():
    needs = Needs(max_lead_time_days=30)
    slow = lead_time_signal(needs, product(lead=45), W)
    assert slow.status == MISSING and slow.effect == W.lead_time_over and "45 days" in slow.detail
    quick = lead_time_signal(needs, product(lead=30), W)
    assert quick.status == MET and quick.effect == 0
    assert lead_time_signal(Needs(), product(lead=45), W) is None


def test_export_experience_in_the_buyers_country_counts_most():
    there = export_signal(Needs(country="DE"), facts(markets=["US", "DE"]), W)
    assert there.status == MET and there.effect == W.exports_to_country and "Germany" in there.detail
    elsewhere = export_signal(Needs(country="DE"), facts(markets=["US", "VN", "JP", "CN"]), W)
    assert elsewhere.status == PARTIAL and elsewhere.effect == W.exports_elsewhere
    assert "no exports to Germany yet" in elsewhere.detail and "1 more" in elsewhere.detail
    assert export_signal(Needs(country="DE"), facts(), W) is None


def test_smart_factory_level_is_a_small_preference():
    assert smart_factory_signal(facts(level=5), W).effect == pytest.approx(5 * W.smart_factory_per_level)
    assert smart_factory_signal(facts(level=0), W) is None
    assert smart_factory_signal(facts(level=None), W) is None


def test_industry_named_by_the_request_prefers_that_industry():
    assert industry_signal(Needs(industry="food"), facts(industry="food"), W) is None
    other = industry_signal(Needs(industry="food"), facts(industry="machinery"), W)
    assert other.effect == W.industry_mismatch


def test_fit_signals_use_the_weights_given():
    heavy = FitWeights(missing_certification=-2.0, lead_time_over=-1.0)
    signals = fit_signals(Needs(certifications=("HACCP",), max_lead_time_days=10), facts(), product(lead=20), heavy)
    assert {s.name: s.effect for s in signals} == {"certifications": -2.0, "lead_time": -1.0}
    named = fit_signals(Needs(), facts(), product(), heavy, product_share=0.5)
    assert [(s.name, s.effect, s.status) for s in named] == [("product", 0.1, PARTIAL)]
    assert fit_signals(Needs(), facts(), product(), heavy, product_share=1.0)[0].status == MET
