"""The matching service against plain search on the demo dev set (nDCG@10, Recall@10, MRR), and its floor.

    python bench/matching.py                 # builds a scratch instance once, then reuses it
    python bench/matching.py --fresh         # rebuild the scratch instance

Three rankings of the same 40 structured dev requests, in the same run, on the
same index:
- ``match_request``: the served matching service (text retrieval, relevance
  floor, fit signals from quantity, certifications, lead time, country);
- ``plain hybrid``: the search engine alone on the request's text (what the
  catalog did before the matching service);
- ``USE alone``: the multilingual encoder's nearest neighbours of the text.

It also reports how the relevance floor splits judged suppliers: the share of
relevant (grade >= 2) candidates kept, the share of grade-0 ones cut, and the
floor verdict for queries that fit nothing.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.relevance import DEMO, RESULTS, ndcg, read_jsonl, recall  # noqa: E402

SCRATCH = ROOT / "bench" / ".scratch" / "matching"
NONSENSE = ["xqzv blorf", "qwpz mmkt zzv", "asdf jkl qwer", "blorptastic frobnicator", "ㅁㄴㅇㄹ ㅋㅋㅋ"]


def mrr(ranked: list[str], grades: dict[str, int]) -> float:
    best = max(grades.values(), default=0)
    for i, doc in enumerate(ranked[:10], start=1):
        if best and grades.get(doc, 0) == best:
            return 1 / i
    return 0.0


def make_app(fresh: bool, profile: str = "default"):
    from matchmaker import create_app
    from matchmaker.extensions import db

    if fresh and SCRATCH.exists():
        shutil.rmtree(SCRATCH)
    built = (SCRATCH / "search-index" / "LIVE").exists()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    app = create_app({"INSTANCE_PATH": str(SCRATCH), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{SCRATCH / 'db.sqlite3'}",
                      "ENV_NAME": "development", "SEARCH_SYNC": False, "RANKING_PROFILE": profile})
    if not built:
        from matchmaker.dataio.importer import import_suppliers
        from matchmaker.reindex_job import run_reindex
        with app.app_context():
            db.create_all()
            import_suppliers((DEMO / "suppliers.jsonl").read_bytes().splitlines())
            print(run_reindex()["message"], file=sys.stderr)
    return app


def evaluate(app) -> dict:
    from matchmaker.matching.service import match_request, match_text, rank_candidates
    from matchmaker.matching.needs import needs_from_request
    from matchmaker.search_service import get_search
    from search.documents import SearchRequest
    from search.engine import RankingConfig, SearchEngine

    requests = read_jsonl(DEMO / "dev" / "requests.jsonl")
    qrels: dict[str, dict[str, int]] = {}
    for j in read_jsonl(DEMO / "dev" / "judgments.jsonl"):
        qrels.setdefault(j["request_id"], {})[j["supplier_id"]] = j["grade"]
    runs = {"match_request (served)": {}, "plain hybrid (text only)": {}, "USE alone": {}}
    floor = {"relevant_kept": [], "zero_cut": [], "ms": []}
    with app.app_context():
        service = get_search()
        use_alone = SearchEngine(service.backend, {"usem3": service.encoders["usem3"]},
                                 RankingConfig(weights={"usem3": 1.0}))
        for request in requests:
            rid = request["external_id"]
            started = time.perf_counter()
            page = match_request(request, per_page=10)
            floor["ms"].append((time.perf_counter() - started) * 1000)
            runs["match_request (served)"][rid] = [m.supplier.external_id for m in page.items or page.partial]
            needs = needs_from_request(request)
            hybrid = service.engine(needs.text).search(SearchRequest(text=needs.text, k=10))
            runs["plain hybrid (text only)"][rid] = [hit.id for hit in hybrid.hits]
            runs["USE alone"][rid] = [hit.id for hit in use_alone.search(
                SearchRequest(text=needs.text, mode="vector", k=10)).hits]
            matches, _, _ = rank_candidates(needs)
            grades = qrels[rid]
            relevant = [m for m in matches if grades.get(m.supplier.external_id, 0) >= 2]
            zeros = [m for m in matches if m.supplier.external_id in grades and grades[m.supplier.external_id] == 0]
            if relevant:
                floor["relevant_kept"].append(sum(m.fits for m in relevant) / len(relevant))
            if zeros:
                floor["zero_cut"].append(sum(not m.fits for m in zeros) / len(zeros))
        nonsense = {text: match_text(text).total for text in NONSENSE}
    table = {}
    for name, run in runs.items():
        ids = [rid for rid in run if rid in qrels]
        table[name] = {"ndcg@10": round(statistics.mean(ndcg(run[r], qrels[r]) for r in ids), 4),
                       "recall@10": round(statistics.mean(recall(run[r], qrels[r]) for r in ids), 4),
                       "mrr@10": round(statistics.mean(mrr(run[r], qrels[r]) for r in ids), 4), "queries": len(ids)}
    ms = sorted(floor["ms"])
    return {"modes": table, "floor": {
        "relevant_kept": round(statistics.mean(floor["relevant_kept"]), 4),
        "zero_cut": round(statistics.mean(floor["zero_cut"]), 4),
        "nonsense_totals": nonsense},
        "match_request_ms": {"median": round(statistics.median(ms), 1), "p95": round(ms[int(0.95 * (len(ms) - 1))], 1)}}


def markdown(report: dict) -> str:
    lines = ["# Matching service on the demo dev set (40 structured requests)", "",
             "| ranking | nDCG@10 | Recall@10 | MRR@10 |", "|---|---|---|---|"]
    for name, row in report["modes"].items():
        lines.append(f"| {name} | {row['ndcg@10']:.3f} | {row['recall@10']:.3f} | {row['mrr@10']:.3f} |")
    f = report["floor"]
    lines += ["", f"Relevance floor: keeps {f['relevant_kept']:.1%} of relevant (grade >= 2) candidates, "
              f"cuts {f['zero_cut']:.1%} of judged grade-0 candidates; suppliers fitting nonsense queries: "
              + ", ".join(f"`{q}` {n}" for q, n in f["nonsense_totals"].items()) + ".",
              "", f"match_request latency (warm, includes explanations): median {report['match_request_ms']['median']} ms, "
              f"p95 {report['match_request_ms']['p95']} ms."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fresh", action="store_true", help="rebuild the scratch instance and index")
    parser.add_argument("--profile", default="default", help="ranking profile name or .toml path")
    args = parser.parse_args()
    report = evaluate(make_app(args.fresh, args.profile))
    report["profile"] = args.profile
    name = "matching-demo-dev" + ("" if args.profile == "default" else "-" + Path(args.profile).stem)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
