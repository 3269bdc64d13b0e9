"""Country and language names from ISO codes, from Babel's locale data."""
import pytest

from matchmaker.display.codes import country_name, language_name


@pytest.mark.parametrize("code, english, korean", [
    ("US", "United States", "미국"),
    ("de", "Germany", "독일"),
    ("KR", "South Korea", "대한민국"),
    ("VN", "Vietnam", "베트남"),
])
def test_country_names_in_english_and_korean(code, english, korean):
    assert country_name(code) == english
    assert country_name(code, "ko") == korean


@pytest.mark.parametrize("code", ["QQ", "ZZ", "001", "USA", ""])
def test_unknown_country_codes_are_returned_as_given(code):
    assert country_name(code) == code


@pytest.mark.parametrize("code, english, korean", [
    ("ko", "Korean", "한국어"),
    ("EN", "English", "영어"),
    ("zh", "Chinese", "중국어"),
    ("vi", "Vietnamese", "베트남어"),
])
def test_language_names_in_english_and_korean(code, english, korean):
    assert language_name(code) == english
    assert language_name(code, "ko") == korean


@pytest.mark.parametrize("code", ["xx", "und", ""])
def test_unknown_language_codes_are_returned_as_given(code):
    assert language_name(code) == code


def test_no_code_gives_an_empty_string():
    assert country_name(None) == "" and language_name(None) == ""
