"""Regions in English: provinces by their usual spellings, units dropped, industrial complexes translated."""
import pytest

from matchmaker.demo.vocabulary import REGIONS
from matchmaker.display.regions import region_en


@pytest.mark.parametrize("region, expected", [
    ("경북 구미", "Gyeongbuk Gumi"),
    ("경기 화성시", "Gyeonggi Hwaseong"),
    ("충북 음성군", "Chungbuk Eumseong"),
    ("인천 중구", "Incheon Jung-gu"),
    ("서울특별시 강남구", "Seoul Gangnam-gu"),
    ("경상북도 포항시 남구", "Gyeongbuk Pohang Nam-gu"),
    ("강원특별자치도 원주시", "Gangwon Wonju"),
    ("제주도", "Jeju"),
    ("울산", "Ulsan"),
])
def test_provinces_and_administrative_units(region, expected):
    assert region_en(region) == expected


@pytest.mark.parametrize("region, expected", [
    ("반월·시화 국가산단", "Banwol-Sihwa National Industrial Complex"),
    ("대구 성서산단", "Daegu Seongseo Industrial Complex"),
    ("인천 남동산업단지", "Incheon Namdong Industrial Complex"),
])
def test_industrial_complexes_are_translated(region, expected):
    assert region_en(region) == expected


@pytest.mark.parametrize("region", ["Gyeongbuk Gumi", "Banwol-Sihwa", "daegu", ""])
def test_regions_without_hangul_are_kept_as_written(region):
    assert region_en(region) == region


def test_no_region_gives_an_empty_string():
    assert region_en(None) == ""


def test_every_demo_region_reads_like_its_english_version():
    for regions in REGIONS.values():
        for english, korean, _ in regions:
            assert region_en(korean).startswith(english)
