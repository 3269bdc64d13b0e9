"""The demo catalog is deterministic, committed up to date, realistic and valid."""
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from matchmaker.dataio.contract import JUDGMENT, REQUEST, SUPPLIER, validate
from matchmaker.demo import generator
from matchmaker.demo.texts import has_final_consonant, josa
from matchmaker.domain import INDUSTRIES

DEMO = Path(__file__).resolve().parents[3] / "data" / "demo"
HANGUL = re.compile(r"[가-힣]")


def load(name):
    return [json.loads(line) for line in (DEMO / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def suppliers():
    return load("suppliers.jsonl")


def test_committed_files_are_exactly_what_the_generator_writes(tmp_path):
    counts = generator.write(tmp_path)
    for name in counts:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), \
            f"data/demo/{name} is stale: run 'matchmaker demo generate'"


def test_another_seed_gives_another_catalog():
    assert generator.generate(1)["suppliers.jsonl"][:5] != generator.generate(2)["suppliers.jsonl"][:5]


def test_every_record_follows_the_data_contract(suppliers):
    for spec, records in ((SUPPLIER, suppliers), (REQUEST, load("requests.jsonl")),
                          (REQUEST, load("dev/requests.jsonl")), (JUDGMENT, load("dev/judgments.jsonl"))):
        for i, record in enumerate(records, 1):
            assert validate(spec, record, i)[1] == [], record


def test_catalog_size_industries_and_regions(suppliers):
    assert len(suppliers) >= 3000
    assert len({s["external_id"] for s in suppliers}) == len(suppliers)
    industries = Counter(s["industry"] for s in suppliers)
    assert set(industries) == set(INDUSTRIES)
    regions = {s.get("region") for s in suppliers}
    for place in ("Gyeongbuk Gumi", "경북 구미", "Banwol-Sihwa", "Chungbuk Osong", "Chungbuk Ochang", "Daegu"):
        assert place in regions


def test_about_forty_percent_are_korean_only(suppliers):
    korean_only = [s for s in suppliers if "name_en" not in s]
    assert 0.35 <= len(korean_only) / len(suppliers) <= 0.45
    for s in korean_only:
        # No English prose: only certificate names and acronyms (ISO, CNC, PCB) stay in Latin letters.
        text = s["description"]
        for cert in s.get("certifications", []):
            text = text.replace(cert, "")
        assert HANGUL.search(text) and not re.search(r"[A-Za-z]+ [a-z]{3,}", text)
        assert all(HANGUL.search(p["name"]) for p in s["products"])
    english = [s for s in suppliers if not HANGUL.search(s["description"])]
    bilingual = [s for s in suppliers if HANGUL.search(s["description"]) and "name_en" in s]
    assert len(english) > 300 and len(bilingual) > 300


def test_profiles_carry_the_fields_buyers_filter_on(suppliers):
    assert all(s["products"] and all(p.get("hs_code") for p in s["products"]) for s in suppliers)
    assert Counter(s["smart_factory_level"] for s in suppliers).keys() == set(range(6))
    assert sum(bool(s.get("certifications")) for s in suppliers) > len(suppliers) * 0.6
    assert all(p["moq"] >= 1 and p["lead_time_days"] > 0 for s in suppliers for p in s["products"])


def test_requests_in_several_languages():
    requests = load("requests.jsonl")
    assert len(requests) >= 60
    countries = Counter(r["buyer_country"] for r in requests + load("dev/requests.jsonl"))
    assert {"JP", "VN"} & set(countries) and {"DE", "AT", "CH"} & set(countries)
    assert any(re.search(r"[\u3040-\u30ff]", r["title"]) for r in requests + load("dev/requests.jsonl"))


def test_dev_set_has_graded_judgments_for_each_request():
    dev = load("dev/requests.jsonl")
    judgments = load("dev/judgments.jsonl")
    assert len(dev) >= 30
    by_request = {}
    for j in judgments:
        by_request.setdefault(j["request_id"], Counter())[j["grade"]] += 1
    assert set(by_request) == {r["external_id"] for r in dev}
    for grades in by_request.values():
        assert grades[3] > 0 and grades[0] > 0
    supplier_ids = {json.loads(line)["external_id"] for line in (DEMO / "suppliers.jsonl").open(encoding="utf-8")}
    assert {j["supplier_id"] for j in judgments} <= supplier_ids


def test_grades_follow_from_the_need():
    family = next(f for f in generator.FAMILIES if f.key == "brake")
    need = generator.Need(family, "IATF 16949", 30)
    fits = {"certifications": ["IATF 16949"], "products": [{"lead_time_days": 25}]}
    assert generator.grade(need, fits, ["brake"]) == 3
    assert generator.grade(need, {**fits, "certifications": []}, ["brake"]) == 2
    assert generator.grade(need, {**fits, "products": [{"lead_time_days": 40}]}, ["brake"]) == 2
    assert generator.grade(need, fits, ["hub_bearing"]) == 1  # same group: chassis
    assert generator.grade(need, fits, ["kimchi"]) == 0


@pytest.mark.parametrize("word, particle", [("김치", "를"), ("부직포", "를"), ("원료의약품(API)", "을"),
                                            ("고추장·된장 등 장류", "를"), ("LED 조명 모듈", "을")])
def test_korean_particles_agree_with_the_word(word, particle):
    assert josa(word, "을", "를") == word + particle


def test_final_consonant():
    assert has_final_consonant("공장") and not has_final_consonant("기계")


def test_the_shipped_e5_vectors_cover_every_demo_profile_text(suppliers):
    import numpy as np

    from matchmaker.demo.embeddings import seed_path, texts_for
    with np.load(seed_path("e5")) as seed:
        keys = {key.decode() for key in seed["keys"]}
        assert seed["vectors"].shape == (len(keys), 384)
    assert keys == set(texts_for("e5", suppliers)), \
        "data/demo/embeddings-e5.npz is stale: run 'matchmaker demo load' then 'matchmaker demo embed'"
