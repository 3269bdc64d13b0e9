"""The shared analyzer, and its agreement with Elasticsearch's built-in ``cjk`` analyzer."""
import pytest

from search.analysis import analyze, normalize, tokens
from tests.search.conftest import ES_URL

# Tokens Lucene's CJKAnalyzer (Elasticsearch's "cjk") gives for each sample.
SAMPLES = {
    "스마트공장을 운영합니다": ["스마", "마트", "트공", "공장", "장을", "운영", "영합", "합니", "니다"],
    "The 5-axis CNC machining": ["5", "axis", "cnc", "machining"],
    "ISO 9001 certified": ["iso", "9001", "certified"],
    "HS 8708.99, 10,000 pcs": ["hs", "8708.99", "10,000", "pcs"],
    "U.S.A. buyer's order": ["u.s.a", "buyer's", "order"],
    "ＡＢＣ ｶﾀｶﾅ": ["abc", "カタ", "タカ", "カナ"],
    "多層プリント基板": ["多層", "層プ", "プリ", "リン", "ント", "ト基", "基板"],
    "김 and 김치": ["김", "김치"],
    "브레이크 패드 brake pads": ["브레", "레이", "이크", "패드", "brake", "pads"],
    "Bảng mạch in nhiều lớp": ["bảng", "mạch", "nhiều", "lớp"],
    "Leiterplattenbestückung für Kabelbäume": ["leiterplattenbestückung", "für", "kabelbäume"],
}


@pytest.mark.parametrize("text, expected", SAMPLES.items())
def test_analyzer_matches_the_cjk_analyzer(text, expected):
    assert analyze(text) == expected


@pytest.mark.skipif(not ES_URL, reason="MATCHMAKER_TEST_ELASTICSEARCH_URL is not set: no cluster to compare with")
@pytest.mark.parametrize("text, expected", SAMPLES.items())
def test_elasticsearch_cjk_analyzer_agrees(text, expected):
    from elasticsearch import Elasticsearch
    client = Elasticsearch(ES_URL)
    response = client.indices.analyze(analyzer="cjk", text=text)
    assert [token["token"] for token in response["tokens"]] == expected == analyze(text)


def test_a_korean_word_matches_inside_a_longer_word():
    assert set(analyze("공장")) <= set(analyze("스마트공장을"))


def test_offsets_point_into_the_original_text():
    text = "ＡＢＣ 스마트공장"
    for token in tokens(text):
        assert normalize(text[token.start:token.end])[0] == token.term


def test_empty_and_symbol_only_text():
    assert analyze("") == [] and analyze("-- ** !!") == []
