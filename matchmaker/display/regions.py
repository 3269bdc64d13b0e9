"""Regions in English: "경북 구미" as "Gyeongbuk Gumi", "대구 성서산단" as "Daegu Seongseo Industrial Complex"."""
import re

from .hangul import has_hangul, romanize

# Provinces and metropolitan cities, by the short names that Korean addresses use, in their usual
# English spellings (the romanizer's sound rules do not always give these).
PROVINCES: dict[str, str] = {
    "서울": "Seoul", "부산": "Busan", "대구": "Daegu", "인천": "Incheon", "광주": "Gwangju",
    "대전": "Daejeon", "울산": "Ulsan", "세종": "Sejong", "경기": "Gyeonggi", "강원": "Gangwon",
    "충북": "Chungbuk", "충남": "Chungnam", "전북": "Jeonbuk", "전남": "Jeonnam",
    "경북": "Gyeongbuk", "경남": "Gyeongnam", "제주": "Jeju",
}
# Full province names whose short form is not a prefix of them.
_FULL_NAMES: dict[str, str] = {
    "충청북도": "충북", "충청남도": "충남", "전라북도": "전북", "전라남도": "전남",
    "경상북도": "경북", "경상남도": "경남",
}
_PROVINCE_SUFFIXES = ("특별자치도", "특별자치시", "특별시", "광역시", "시", "도")
# Industrial estates are part of how a buyer finds a site, so they are translated, not dropped.
_ESTATES: tuple[tuple[str, str], ...] = (
    ("국가산업단지", "National Industrial Complex"), ("국가산단", "National Industrial Complex"),
    ("일반산업단지", "Industrial Complex"), ("일반산단", "Industrial Complex"),
    ("농공단지", "Agro-Industrial Complex"), ("산업단지", "Industrial Complex"),
    ("산단", "Industrial Complex"), ("공단", "Industrial Complex"),
)
# English usage names a city or county without its unit ("Hwaseong", not "Hwaseong-si"); a district
# keeps it, as in official addresses ("Namdong-gu"), because many district names are one syllable.
_DROPPED_UNITS = ("시", "군")
_HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]+$")


def _province(word: str) -> str | None:
    """The English name of a province or metropolitan city written in Korean, if ``word`` is one."""
    word = _FULL_NAMES.get(word, word)
    if word in PROVINCES:
        return PROVINCES[word]
    for suffix in _PROVINCE_SUFFIXES:
        if word.endswith(suffix) and word[:-len(suffix)] in PROVINCES:
            return PROVINCES[word[:-len(suffix)]]
    return None


def _word_en(word: str) -> str:
    """One space-separated word of a region in English."""
    if not _HANGUL_WORD.match(word):
        return romanize(word.replace("·", "-"))  # 반월·시화 as Banwol-Sihwa
    if (province := _province(word)) is not None:
        return province
    for korean, english in _ESTATES:
        if word.endswith(korean):
            stem = word[:-len(korean)]
            return f"{_word_en(stem)} {english}" if stem else english
    if len(word) > 2 and word.endswith(_DROPPED_UNITS):
        return romanize(word[:-1])
    if len(word) > 1 and word.endswith("구"):
        return romanize(word[:-1]) + "-gu"
    return romanize(word)


def region_en(region: str | None) -> str:
    """A free-text region in English; text without Hangul is returned as written."""
    region = (region or "").strip()
    if not has_hangul(region):
        return region
    return " ".join(_word_en(word) for word in region.split())


def province_en(region: str | None) -> str | None:
    """The province or metropolitan city a region lies in, in English ("경북 구미" → "Gyeongbuk"); None if unknown."""
    words = (region or "").strip().split()
    if not words:
        return None
    first = words[0]
    if has_hangul(first):
        return _province(first)
    known = {english.lower(): english for english in PROVINCES.values()}
    return known.get(first.lower().removesuffix("-do"))
