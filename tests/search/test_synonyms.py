"""Bilingual synonyms: the Solr parser, matching through the analyzer, expansion and the shipped file."""
import re

import pytest

from search.documents import Document, SearchRequest
from search.embedded import EmbeddedBackend
from search.embedded.version import match_expression
from search.engine import SearchEngine
from search.synonyms import DEFAULT_PATH, Synonyms, parse_line
from tests.search.conftest import SCHEMA

RULES = """\
# comment lines and blank lines are skipped

사출성형, 사출 성형, injection molding, injection moulding
금속사출성형, metal injection molding
스뎅 => 스뎅, 스테인리스, stainless steel
  다이캐스팅 ,  die   casting, diecasting
10\\,000 units, ten thousand units
"""


@pytest.fixture
def small():
    return Synonyms(RULES.splitlines())


def test_parse_equivalence_mapping_escapes_and_phrases():
    assert parse_line("a, b c, d") == (("a", "b c", "d"), ("a", "b c", "d"))
    assert parse_line("a, b => c, d") == (("a", "b"), ("c", "d"))
    assert parse_line(r"10\,000 units, ten thousand") == (("10,000 units", "ten thousand"),) * 2
    assert parse_line(r"a\=>b, c") == (("a=>b", "c"),) * 2
    assert parse_line("  x  y ,x y, z ") == (("x y", "z"),) * 2  # whitespace collapsed, duplicates dropped


def test_groups_and_rule_lines(small):
    assert small.groups == [
        ("사출성형", "사출 성형", "injection molding", "injection moulding"),
        ("금속사출성형", "metal injection molding"),
        ("스뎅", "스테인리스", "stainless steel"),
        ("다이캐스팅", "die casting", "diecasting"),
        ("10,000 units", "ten thousand units")]
    assert small.solr_lines(cross_lingual=False)[2] == "스뎅 => 스뎅, 스테인리스, stainless steel"
    assert len(small.solr_lines(cross_lingual=False)) == 5
    # What Elasticsearch gets: each phrase maps to itself and the other language's phrases only.
    lines = small.solr_lines()
    assert lines[0] == "사출성형 => 사출성형, injection molding, injection moulding"
    assert "injection molding => injection molding, 사출성형, 사출 성형" in lines
    assert "10\\,000 units => 10\\,000 units" not in lines  # a group in one script adds nothing
    assert all(parse_line(line) for line in lines)


@pytest.mark.parametrize("line", ["a =>", "=> b", "a => b => c", ", ,"])
def test_malformed_rules_name_their_line(line):
    with pytest.raises(ValueError, match=r"<text>:2: "):
        Synonyms(["# fine", line])


def test_korean_matches_with_and_without_spaces_inside_longer_words(small):
    assert [m.phrase for m in small.matches("사출성형기 제조")] == ["사출성형"]  # 사출 출성 성형 inside 사출성형기
    assert [m.phrase for m in small.matches("사출 성형 전문")] == ["사출 성형"]
    assert small.matches("사출 공정과 성형") == []  # the terms are there, but not contiguous


def test_english_matches_ignore_case_and_stop_words(small):
    assert [m.phrase for m in small.matches("INJECTION Molding of parts")] == ["injection molding"]
    assert small.expand("10,000 units per month", cross_lingual=False) == ["ten thousand units"]


def test_the_longer_match_wins(small):
    assert [m.phrase for m in small.matches("금속사출성형 부품")] == ["금속사출성형"]
    assert small.expand("금속사출성형") == ["metal injection molding"]


def test_expand_adds_the_other_languages_phrases_not_already_there(small):
    assert small.expand("injection molding and die casting") == ["사출성형", "사출 성형", "다이캐스팅"]
    assert small.expand("사출성형 사출 성형") == ["injection molding", "injection moulding"]
    assert small.expand("injection molding and die casting", cross_lingual=False) == [
        "사출성형", "사출 성형", "injection moulding", "다이캐스팅", "diecasting"]


def test_a_one_way_rule_expands_only_from_its_left_side(small):
    assert small.expand("스뎅 파이프") == ["stainless steel"]
    assert small.expand("스뎅 파이프", cross_lingual=False) == ["스테인리스", "stainless steel"]
    assert small.expand("stainless steel pipe") == []


def test_expand_query(small):
    assert small.expand_query("die casting") == "die casting 다이캐스팅"
    assert small.expand_query("die casting", cross_lingual=False) == "die casting 다이캐스팅 diecasting"
    assert small.expand_query("brake pads") == "brake pads"
    assert small.expand_query("") == ""


def test_english_terms_of_a_korean_only_profile():
    synonyms = Synonyms.load()
    text = "당사는 알루미늄 다이캐스팅과 CNC 가공 전문 기업으로 자동차 부품과 금형을 생산하며 ISO 9001 인증을 보유하고 있습니다."
    assert synonyms.english_terms(text) == ["aluminum die casting", "CNC machining", "auto parts", "mold"]
    assert synonyms.english_terms(text, limit=2) == ["aluminum die casting", "CNC machining"]
    assert synonyms.english_terms("aluminium die casting and CNC machining") == []  # matched in English only


def test_the_shipped_file_parses_and_is_large():
    synonyms = Synonyms.load()
    assert synonyms is Synonyms.load(DEFAULT_PATH)  # read once
    assert len(synonyms.solr_lines()) >= 400
    rules = [line for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert len(rules) == len(synonyms.groups)


def test_no_group_duplicates_another_and_every_group_is_bilingual():
    groups = Synonyms.load().groups
    assert len({frozenset(group) for group in groups}) == len(groups)
    for group in groups:
        assert any(re.search("[가-힣]", p) for p in group), group
        assert any(re.search("[A-Za-z]", p) and not re.search("[가-힣]", p) for p in group), group


def test_a_long_text_is_handled_in_one_pass():
    synonyms = Synonyms.load()
    text = ("사출성형 및 알루미늄 다이캐스팅, PCB assembly, 브레이크 패드. " * 300)[:12_000]
    assert len(synonyms.matches(text)) > 500
    assert "injection molding" in synonyms.expand(text)
    assert synonyms.english_terms(text) == ["injection molding", "aluminum die casting", "brake pad"]  # PCB: English


def test_expansions_are_fts5_phrases():
    assert match_expression("injection molding", ["사출성형", "injection moulding", "molding"]) == (
        '"injection" OR "molding" OR "사출 출성 성형" OR "injection moulding"')
    assert match_expression("", []) is None


@pytest.mark.parametrize("synonyms, found", [(None, []), (Synonyms.load(), ["kr"])])
def test_an_english_query_finds_a_korean_only_profile_only_with_synonyms(tmp_path, synonyms, found):
    backend = EmbeddedBackend(tmp_path, SCHEMA, synonyms=synonyms)
    version = backend.create_version()
    backend.bulk_index([Document("kr", {"name": "대성", "description": "사출성형 전문 기업"}),
                        Document("en", {"name": "Acme", "description": "kimchi and sauces"})], version)
    backend.promote(version)
    hits = SearchEngine(backend).search(SearchRequest(text="injection molding", mode="lexical")).hits
    assert [hit.id for hit in hits] == found
    # Documents are indexed as written: the Korean query finds it either way.
    assert [h.id for h in SearchEngine(backend).search(SearchRequest(text="사출성형", mode="lexical")).hits] == ["kr"]
    backend.close()
