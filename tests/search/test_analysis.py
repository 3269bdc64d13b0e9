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


def test_fts5_finds_exactly_the_analyzed_tokens():
    """The embedded index's postings count our tokens while FTS5 re-tokenizes them (phrases, lengths): they must
    agree. Every code point of the Latin, Greek, Hangul, kana and CJK blocks, alone and inside words."""
    import sqlite3

    from search.embedded.version import TOKENIZE

    ranges = [(0x20, 0x250), (0x370, 0x400), (0x1100, 0x1200), (0x3000, 0x3100), (0x3130, 0x3190),
              (0x31F0, 0x3200), (0x4E00, 0x4E10), (0x9FF0, 0xA000), (0xAC00, 0xAC10), (0xD7A0, 0xD7B0),
              (0xF900, 0xF910), (0xFA60, 0xFB00), (0xFF00, 0xFFF0)]
    # Greek final and lunate sigma: FTS5 folds them to σ, Lucene's lower-casing (and so ours) does not.
    known = {0x3C2, 0x3F2}
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE VIRTUAL TABLE f USING fts5(t, tokenize="{TOKENIZE}")')
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, instance)")
    expected = {}
    for low, high in ranges:
        for code in range(low, high):
            expected[code] = analyze(f"가{chr(code)}나 a{chr(code)}b {chr(code)}")
            db.execute("INSERT INTO f (rowid, t) VALUES (?, ?)", (code, " ".join(expected[code])))
    found: dict[int, list[str]] = {}
    for term, doc in db.execute("SELECT term, doc FROM v ORDER BY doc, offset"):
        found.setdefault(doc, []).append(term)
    differ = {code for code, terms in expected.items() if found.get(code, []) != terms}
    assert differ == known, sorted(hex(code) for code in differ - known)
