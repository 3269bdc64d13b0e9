"""The shared analyzer, its agreement with Elasticsearch's built-in ``cjk`` analyzer, and its linear work."""
import unicodedata

import pytest

from search.analysis import MAX_MARKS, analyze, has_long_mark_run, normalize, tokens
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


class RecordingUnicodedata:
    """``unicodedata`` that records every text handed to ``normalize``."""

    def __init__(self):
        self.texts: list[str] = []

    def normalize(self, form, text):
        self.texts.append(text)
        return unicodedata.normalize(form, text)

    def __getattr__(self, name):
        return getattr(unicodedata, name)


def longest_mark_run(text: str) -> int:
    longest = run = 0
    for char in unicodedata.normalize("NFKD", text):  # as NFKC's sort sees it
        run = run + 1 if unicodedata.combining(char) else 0
        longest = max(longest, run)
    return longest


@pytest.mark.parametrize("text", [
    "a" + "\u0316\u0301" * 100_000,  # two classes of marks, alternating: the worst case for the sort
    "brake pads " + "\u0301" * 50_000 + "\u0316" * 50_000 + " 스마트공장",
    "ﾞ\u0316" * 50_000,  # half-width voiced mark: not combining itself, but it decomposes to one that is
])
def test_nfkc_never_sorts_a_long_run_of_marks(monkeypatch, text):
    """CPython sorts each run of combining marks in quadratic time; the analyzer never hands it a long one."""
    recorder = RecordingUnicodedata()
    monkeypatch.setattr("search.analysis.unicodedata", recorder)
    found = tokens(text)
    assert max(map(longest_mark_run, recorder.texts)) <= 2 * MAX_MARKS
    assert all(text[token.start:token.end] for token in found)


def test_text_with_short_runs_of_marks_is_normalized_in_one_call(monkeypatch):
    """Only a run longer than any real text has takes the character-by-character path."""
    text = "ＡＢＣ Vie\u0302\u0323t " + "\u0301" * MAX_MARKS
    assert not has_long_mark_run(text) and has_long_mark_run(text + "\u0301")
    recorder = RecordingUnicodedata()
    monkeypatch.setattr("search.analysis.unicodedata", recorder)
    normalize(text)
    assert text in recorder.texts
