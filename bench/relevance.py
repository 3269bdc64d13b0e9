"""Relevance of each search mode on the public benchmarks: nDCG@10 and Recall@10.

    python bench/relevance.py --split dev --tune   # choose fusion weights on dev
    python bench/relevance.py --split test         # report test with the served configuration

The corpora are indexed with the real embedded backend and encoders. Peers
measured in the same run: bm25s over the same analyzed tokens, and each
encoder alone. Tune on dev only; test queries never reach the code or config.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexers.documents import embedding_text, request_text, schema, supplier_document  # noqa: E402
from search.analysis import analyze  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.encoders import SentenceTransformerEncoder, UseEncoder  # noqa: E402
from search.fusion import linear, rrf  # noqa: E402
from search.metrics import K, ndcg, recall  # noqa: E402
from search.synonyms import Synonyms  # noqa: E402
from search.language import query_language  # noqa: E402
from search.ranking import covers, retriever_weights, text_for  # noqa: E402
from matchmaker.matching.profile import load_profile  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "benchmarks"
RESULTS = ROOT / "bench" / "results"
BENCHMARKS = ("naics-en", "ksic-ko", "ksic-xling")
DEMO = ROOT / "data" / "demo"  # our own mixed-language catalog; its labels are synthetic, dev only
WINDOW = 100
PROFILE = load_profile()  # the served ranking profile
DEFAULT_RANKING = {"fusion": PROFILE.fusion, "weights": dict(PROFILE.weights)}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load(name: str, split: str, limit: int | None, seed: int = 7):
    if name == "demo-dev":
        suppliers = read_jsonl(DEMO / "suppliers.jsonl")
        requests = read_jsonl(DEMO / "dev" / "requests.jsonl")
        judgments = read_jsonl(DEMO / "dev" / "judgments.jsonl")
    else:
        folder = DATA / name
        suppliers = read_jsonl(folder / "suppliers.jsonl")
        requests = read_jsonl(folder / f"requests.{split}.jsonl")
        judgments = read_jsonl(folder / f"judgments.{split}.jsonl")
    if limit and len(requests) > limit:
        requests = random.Random(seed).sample(requests, limit)
    qrels: dict[str, dict[str, int]] = {}
    for j in judgments:
        qrels.setdefault(j["request_id"], {})[j["supplier_id"]] = j["grade"]
    return suppliers, requests, qrels


def score(runs: dict[str, list[str]], qrels) -> dict[str, float]:
    ids = [q for q in runs if q in qrels]
    return {"ndcg@10": round(sum(ndcg(runs[q], qrels[q]) for q in ids) / len(ids), 4),
            "recall@10": round(sum(recall(runs[q], qrels[q]) for q in ids) / len(ids), 4), "queries": len(ids)}


def retrieve(suppliers, requests, encoders, synonyms=None) -> tuple[dict, dict]:
    """Every retriever's top-WINDOW list per query, using the real embedded backend."""
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        backend = EmbeddedBackend(tmp, schema({e.id: e.dimensions for e in encoders}), synonyms=synonyms)
        version = backend.create_version()
        texts = [embedding_text(s) for s in suppliers]
        vectors = {}
        for encoder in encoders:
            started = time.perf_counter()
            vectors[encoder.id] = encoder.encode([text_for(encoder.id, text) for text in texts])
            timings[f"embed_docs_{encoder.id}_s"] = round(time.perf_counter() - started, 2)
        backend.bulk_index((supplier_document(s, {e: vectors[e][i] for e in vectors if covers(e, texts[i])})
                            for i, s in enumerate(suppliers)), version)
        coverage = {e: {s["external_id"] for s, text in zip(suppliers, texts) if covers(e, text)} for e in vectors}
        backend.promote(version)
        queries = [request_text(r) for r in requests]
        lists: dict[str, dict[str, list]] = {"lexical": {}, "coverage": coverage}
        for request, query in zip(requests, queries):
            lists["lexical"][request["external_id"]] = backend.lexical(query, (), WINDOW)[0]
        for encoder in encoders:
            started = time.perf_counter()
            matrix = encoder.encode(queries)
            timings[f"embed_queries_{encoder.id}_s"] = round(time.perf_counter() - started, 2)
            lists[encoder.id] = {r["external_id"]: backend.knn(encoder.id, matrix[i], (), WINDOW)
                                 for i, r in enumerate(requests)}
        backend.close()
    return lists, timings


def bm25s_peer(suppliers, requests, depth: int = K) -> dict[str, list[str]]:
    """The bm25s library over the same analyzed tokens of all text fields joined (no field boosts)."""
    import bm25s
    corpus = [analyze(" ".join(supplier_document(s).text.values())) for s in suppliers]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    runs = {}
    for request in requests:
        tokens = [t for t in analyze(request_text(request)) if t in retriever.vocab_dict]
        if not tokens:
            runs[request["external_id"]] = []
            continue
        docs, _ = retriever.retrieve([tokens], k=min(depth, len(suppliers)), show_progress=False)
        runs[request["external_id"]] = [suppliers[int(i)]["external_id"] for i in docs[0]]
    return runs


def plain_encoder_peer(suppliers, requests, encoder) -> dict[str, list[str]]:
    """An encoder alone over every profile (numpy exact search), whatever their language."""
    docs = encoder.encode([embedding_text(s) for s in suppliers])
    queries = encoder.encode([request_text(r) for r in requests])
    order = (-(queries @ docs.T)).argsort(axis=1)[:, :K]
    return {r["external_id"]: [suppliers[j]["external_id"] for j in order[i]] for i, r in enumerate(requests)}


def fuse(lists, query_id, fusion: str, weights: dict[str, float]) -> list[str]:
    """The served engine's fusion (search.engine), over the lists retrieved once per query."""
    chosen = {name: lists[name][query_id] for name in lists
              if name != "coverage" and weights.get(name, 0) > 0 and lists[name][query_id]}
    if not chosen:
        return []
    if len(chosen) == 1:
        return [doc_id for doc_id, _ in next(iter(chosen.values()))]
    coverage = {name: lists["coverage"][name] for name in chosen if name in lists["coverage"]}
    fused = linear(chosen, weights, coverage) if fusion == "linear" else rrf(chosen, 60, weights)
    return [doc_id for doc_id, _ in fused]


def runs_for(lists, requests, fusion, weights, hangul_aware=False):
    runs = {}
    for request in requests:
        w = retriever_weights(weights, query_language(request_text(request))) if hangul_aware else weights
        runs[request["external_id"]] = fuse(lists, request["external_id"], fusion, w)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--tune", action="store_true", help="grid-search fusion weights (dev only)")
    parser.add_argument("--limit", type=int, default=2000, help="queries per benchmark at most (sampled, seeded)")
    parser.add_argument("--synonyms", choices=("profile", "on", "off"), default="profile",
                        help="expand lexical queries with the bilingual synonyms (default: as the profile says)")
    args = parser.parse_args()
    if args.tune and args.split != "dev":
        parser.error("--tune only on the dev split")
    encoders = [SentenceTransformerEncoder(), UseEncoder()]
    use_synonyms = PROFILE.synonyms if args.synonyms == "profile" else args.synonyms == "on"
    synonyms = Synonyms.load() if use_synonyms else None
    report = {"split": args.split, "k": K, "window": WINDOW, "served": DEFAULT_RANKING, "synonyms": use_synonyms,
              "benchmarks": {}}
    all_lists = {}
    for name in BENCHMARKS + (("demo-dev",) if args.split == "dev" else ()):
        suppliers, requests, qrels = load(name, args.split, args.limit)
        lists, timings = retrieve(suppliers, requests, encoders, synonyms)
        plain_minilm = plain_encoder_peer(suppliers, requests, encoders[0])
        all_lists[name] = (lists, requests, qrels)
        modes = {
            "bm25s (peer)": score(bm25s_peer(suppliers, requests), qrels),
            "lexical": score(runs_for(lists, requests, "rrf", {"lexical": 1}), qrels),
            "vector minilm (plain, every profile)": score(plain_minilm, qrels),
            "vector minilm": score(runs_for(lists, requests, "rrf", {"minilm": 1}), qrels),
            "vector usem3": score(runs_for(lists, requests, "rrf", {"usem3": 1}), qrels),
            "naive rrf (all three, equal)": score(runs_for(lists, requests, "rrf",
                                                           {"lexical": 1, "minilm": 1, "usem3": 1}), qrels),
            "hybrid (served)": score(runs_for(lists, requests, DEFAULT_RANKING["fusion"],
                                              DEFAULT_RANKING["weights"], True), qrels),
        }
        report["benchmarks"][name] = {"modes": modes, "timings": timings,
                                      "documents": len(suppliers), "queries": len(requests)}
        print(name, json.dumps(modes), file=sys.stderr)
    if args.tune:
        report["tuning"] = tune(all_lists)
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.synonyms == "profile" else f"-synonyms-{args.synonyms}"
    out = RESULTS / f"relevance-{args.split}{suffix}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"relevance-{args.split}{suffix}.md").write_text(markdown(report))
    print(markdown(report))


def tune(all_lists) -> list[dict]:
    """Every weight combination and fusion, ranked by the mean dev nDCG@10 over the benchmarks."""
    grid = [0, 0.5, 1, 2]
    rows = []
    for fusion, aware in (("rrf", False), ("rrf", True), ("linear", False), ("linear", True)):
        for wl, wm, wu in itertools.product(grid, grid, grid):
            if wl == wm == wu == 0:
                continue
            weights = {"lexical": wl, "minilm": wm, "usem3": wu}
            per = {name: score(runs_for(lists, requests, fusion, weights, aware), qrels)["ndcg@10"]
                   for name, (lists, requests, qrels) in all_lists.items()}
            public = [per[name] for name in BENCHMARKS]
            rows.append({"fusion": fusion, "hangul_aware": aware, "weights": weights, "ndcg@10": per,
                         "mean": round(sum(public) / len(public), 4)})
    rows.sort(key=lambda row: -row["mean"])
    # The rule: within 0.01 nDCG of the best mean over the three public benchmarks, take the setting
    # that ranks our mixed-language catalog best (the public corpora are each in one language).
    best = rows[0]["mean"]
    chosen = max((row for row in rows if row["mean"] >= best - 0.01),
                 key=lambda row: (row["ndcg@10"].get("demo-dev", 0), row["mean"]))
    chosen["chosen"] = True
    return rows[:40]


def markdown(report) -> str:
    lines = [f"# Relevance on the {report['split']} splits (nDCG@10 / Recall@10)", "",
             f"Served hybrid: `{json.dumps(report['served'])}`", "",
             "| mode | " + " | ".join(report["benchmarks"]) + " |", "|---|" + "---|" * len(report["benchmarks"])]
    modes = next(iter(report["benchmarks"].values()))["modes"]
    for mode in modes:
        cells = [f"{b['modes'][mode]['ndcg@10']:.3f} / {b['modes'][mode]['recall@10']:.3f}"
                 for b in report["benchmarks"].values()]
        lines.append(f"| {mode} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Queries: " + ", ".join(f"{n} {b['queries']}" for n, b in report["benchmarks"].items()))
    if "tuning" in report:
        lines += ["", "## Best fusion settings on dev (mean nDCG@10)", "",
                  "| fusion | hangul-aware | weights (lexical, minilm, usem3) | naics-en | ksic-ko | ksic-xling "
                  "| mean of the three | demo-dev (synthetic) |",
                  "|---|---|---|---|---|---|---|---|"]
        for row in report["tuning"]:
            if not row.get("chosen") and report["tuning"].index(row) >= 15:
                continue
            w = row["weights"]
            n = row["ndcg@10"]
            lines.append(f"| {'**' + row['fusion'] + '** (chosen)' if row.get('chosen') else row['fusion']} "
                         f"| {row['hangul_aware']} | {w['lexical']}, {w['minilm']}, {w['usem3']} | "
                         f"{n['naics-en']:.3f} | {n['ksic-ko']:.3f} | {n['ksic-xling']:.3f} | {row['mean']:.3f} "
                         f"| {n.get('demo-dev', float('nan')):.3f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
