"""Company names: Korean legal forms in English, Hangul romanized, Latin kept as written."""
import pytest

from matchmaker.display.names import display_name, name_pair, romanized_name


@pytest.mark.parametrize("name, expected", [
    ("(주)대한정밀", "Daehanjeongmil Co., Ltd."),
    ("㈜대한정밀", "Daehanjeongmil Co., Ltd."),
    ("（주）대한정밀", "Daehanjeongmil Co., Ltd."),
    ("대한정밀(주)", "Daehanjeongmil Co., Ltd."),
    ("(주) 대한정밀", "Daehanjeongmil Co., Ltd."),
    ("주식회사 별엔지니어링", "Byeorenjinieoring Co., Ltd."),
    ("대한정밀 주식회사", "Daehanjeongmil Co., Ltd."),
    ("(유)한빛", "Hanbit Ltd."),
    ("한빛 유한회사", "Hanbit Ltd."),
    ("한빛 유한책임회사", "Hanbit LLC"),
    ("(합)한빛", "Hanbit Limited Partnership"),
    ("한빛합자회사", "Hanbit Limited Partnership"),
    ("한빛합명회사", "Hanbit General Partnership"),
])
def test_korean_legal_forms_become_english_at_the_end(name, expected):
    assert romanized_name(name) == expected


@pytest.mark.parametrize("name, expected", [
    ("KR테크(주)", "KR Tekeu Co., Ltd."),
    ("(주)에스엠티코리아", "Eseuemtikoria Co., Ltd."),
    ("3D프린팅", "3D Peurinting"),
    ("대한정밀(DH)", "Daehanjeongmil (DH)"),
    ("㈜LG", "LG Co., Ltd."),
    ("(주)KR테크 Co., Ltd.", "KR Tekeu Co., Ltd."),
])
def test_latin_parts_are_kept_as_written_and_set_apart(name, expected):
    assert romanized_name(name) == expected


def test_each_word_is_romanized_separately_and_capitalised():
    assert romanized_name("한국 정밀") == "Hanguk Jeongmil"
    assert romanized_name("한빛포장") == "Hanbitpojang"


@pytest.mark.parametrize("name", ["Samsung Precision Co., Ltd.", "", "(주)"])
def test_names_without_anything_to_romanize_are_returned_unchanged(name):
    assert romanized_name(name) == name


def test_display_name_prefers_the_english_name_then_the_romanized_one():
    assert display_name("(주)대한정밀", "Daehan Precision Co., Ltd.") == "Daehan Precision Co., Ltd."
    assert display_name("(주)대한정밀", None) == "Daehanjeongmil Co., Ltd."
    assert display_name("(주)대한정밀", "  ") == "Daehanjeongmil Co., Ltd."
    assert display_name("Acme Tools") == "Acme Tools"


def test_name_pair_shows_the_korean_original_beside_the_english_name():
    assert name_pair("(주)대한정밀", "Daehan Precision Co., Ltd.") == ("Daehan Precision Co., Ltd.", "(주)대한정밀")
    assert name_pair("(주)대한정밀") == ("Daehanjeongmil Co., Ltd.", "(주)대한정밀")


def test_name_pair_has_no_original_when_there_is_no_hangul():
    assert name_pair("Acme Tools", "Acme Tools Inc.") == ("Acme Tools Inc.", None)
    assert name_pair("Acme Tools") == ("Acme Tools", None)
