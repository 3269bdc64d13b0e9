"""The served ranking on every benchmark, measured through ``matchmaker eval`` (``make bench-relevance``).

For each public benchmark (test split) and the demo dev set (whole), a
scratch instance is made under ``bench/.scratch/instances/<set>/``: database
upgraded, suppliers imported with ``matchmaker import``, index built with
``matchmaker reindex`` (the embedding cache makes a second run fast). Then
``matchmaker eval --mode all --json`` ranks every request exactly as the app
does. Peers measured in the same run, outside the app: bm25s over the same
analyzed tokens, and each encoder alone by exact search over every profile.

    python bench/served.py [--limit 2000] [--sets naics-en,ksic-ko,ksic-xling,demo-dev] [--fresh]

Writes ``bench/results/served.{json,md}``. Nothing here tunes anything.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from relevance import DATA, DEMO, bm25s_peer, read_jsonl  # noqa: E402

SCRATCH = ROOT / "bench" / ".scratch" / "instances"
RESULTS = ROOT / "bench" / "results"
SETS = ("naics-en", "ksic-ko", "ksic-xling", "demo-dev")
TARGETS = {"naics-en": 0.70, "ksic-ko": 0.62, "ksic-xling": 0.70}  # issue 10, nDCG@10 of the served ranking
MATCHMAKER = str(Path(sys.executable).parent / "matchmaker")


def files(name: str, limit: int | None, split: str = "test", seed: int = 7) -> tuple[Path, list[dict], Path, Path]:
    """The set's suppliers file, its requests (sampled to ``limit``) and judgments, written for eval."""
    if name == "demo-dev":
        suppliers, requests, judgments = DEMO / "suppliers.jsonl", DEMO / "dev" / "requests.jsonl", \
            DEMO / "dev" / "judgments.jsonl"
    else:
        folder = DATA / name
        suppliers, requests, judgments = (folder / "suppliers.jsonl", folder / f"requests.{split}.jsonl",
                                          folder / f"judgments.{split}.jsonl")
    records = read_jsonl(requests)
    if limit and len(records) > limit:
        records = random.Random(seed).sample(records, limit)
    return suppliers, records, requests, judgments


def run(args: list[str], instance: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "MATCHMAKER_INSTANCE_PATH": str(instance), "MATCHMAKER_SEARCH_SYNC": "0",
           "MATCHMAKER_DATABASE_URL": f"sqlite:///{instance / 'matchmaker.sqlite3'}"}
    env.pop("MATCHMAKER_RANKING_PROFILE", None)
    result = subprocess.run([MATCHMAKER, *args], env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"matchmaker {' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}")
    return result


def instance_for(name: str, suppliers: Path, fresh: bool) -> tuple[Path, dict]:
    """A scratch instance with ``suppliers`` imported and indexed (reused when it holds the same file)."""
    instance = SCRATCH / name
    stamp = instance / "suppliers.stamp"
    key = f"{suppliers}:{suppliers.stat().st_size}:{os.environ.get('MATCHMAKER_EMBEDDING_MODEL', '')}"
    timings = {}
    if fresh or not stamp.exists() or stamp.read_text() != key:
        shutil.rmtree(instance, ignore_errors=True)
        instance.mkdir(parents=True)
        run(["db", "upgrade"], instance)
        started = time.perf_counter()
        run(["import", "suppliers", str(suppliers)], instance)
        timings["import_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        run(["reindex"], instance)
        timings["reindex_s"] = round(time.perf_counter() - started, 1)
        stamp.write_text(key)
    return instance, timings


def peers(suppliers_path: Path, requests: list[dict], qrels, encoders: list[str]) -> dict[str, dict]:
    """bm25s and each English-only encoder alone over every profile, scored like eval.

    A multilingual encoder alone over every profile is eval's ``vector:<id>``
    already (it embeds every profile; the search is exact), so only encoders
    the index keeps off some profiles (MiniLM) get a peer of their own.
    """
    from indexers.documents import embedding_text, request_text
    from search.encoders import make_encoder
    from search.ranking import ENGLISH_ONLY
    suppliers = read_jsonl(suppliers_path)
    out = {"peer: bm25s": _metrics(bm25s_peer(suppliers, requests, depth=50), qrels)}
    texts = [embedding_text(s) for s in suppliers]
    for name in encoders:
        encoder = make_encoder(name)
        if encoder.id not in ENGLISH_ONLY:
            continue
        docs = encoder.encode(texts)
        queries = encoder.encode_queries([request_text(r) for r in requests])
        order = (-(queries @ docs.T)).argsort(axis=1)[:, :50]
        runs = {r["external_id"]: [suppliers[j]["external_id"] for j in order[i]] for i, r in enumerate(requests)}
        out[f"peer: {encoder.id} alone, every profile"] = _metrics(runs, qrels)
    return out


def _metrics(runs, qrels) -> dict:
    """The peers' runs scored by the same code as ``matchmaker eval`` (judged requests only)."""
    from matchmaker.evaluation import score_run
    return score_run({q: run for q, run in runs.items() if q in qrels}, qrels, 10)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=2000, help="requests per set at most (seeded sample)")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--fresh", action="store_true", help="rebuild the scratch instances")
    parser.add_argument("--split", choices=("test", "dev"), default="test",
                        help="public benchmarks' split (dev while developing; the report is on test)")
    args = parser.parse_args()
    from matchmaker.config import DEFAULT_ENCODERS
    encoders = [e.strip() for e in os.environ.get("MATCHMAKER_EMBEDDING_MODEL", DEFAULT_ENCODERS).split(",")]
    report = {"encoders": encoders, "split": args.split, "sets": {}}
    for name in [s for s in args.sets.split(",") if s]:
        suppliers, requests, requests_path, judgments_path = files(name, args.limit, args.split)
        instance, timings = instance_for(name, suppliers, args.fresh)
        sample = instance / "requests.eval.jsonl"
        sample.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests), encoding="utf-8")
        started = time.perf_counter()
        result = run(["eval", str(sample), str(judgments_path), "--mode", "all", "--json"], instance)
        timings["eval_s"] = round(time.perf_counter() - started, 1)
        evaluation = json.loads(result.stdout)
        qrels: dict[str, dict[str, int]] = {}
        for j in read_jsonl(judgments_path):
            qrels.setdefault(j["request_id"], {})[j["supplier_id"]] = j["grade"]
        modes = {**evaluation["modes"], **peers(suppliers, requests, qrels, encoders)}
        singles = {m: v["ndcg@10"] for m, v in modes.items()
                   if m == "lexical" or m.startswith(("vector:", "peer:"))}
        best = max(singles, key=singles.get)
        report["sets"][name] = {"requests": evaluation["requests"], "profile": evaluation["profile"],
                                "modes": modes, "best_single": best, "timings": timings,
                                "served_minus_best_single": round(modes["served"]["ndcg@10"] - singles[best], 4),
                                "target": TARGETS.get(name)}
        print(name, json.dumps(report["sets"][name]["modes"]["served"]), f"best single {best} {singles[best]}",
              file=sys.stderr, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "served" if args.split == "test" else "served-dev"
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"{stem}.md").write_text(markdown(report))
    print(markdown(report))


def markdown(report) -> str:
    sets = report["sets"]
    lines = ["# The served ranking through `matchmaker eval` (nDCG@10 / Recall@10 / Recall@50 / MRR)", "",
             f"Encoders: {', '.join(report['encoders'])}. The {report['split']} splits of the public benchmarks, "
             "the demo dev set whole; peers in the same run.", "",
             "| mode | " + " | ".join(f"{n} ({s['requests']})" for n, s in sets.items()) + " |",
             "|---|" + "---|" * len(sets)]
    modes = []
    for s in sets.values():
        modes += [m for m in s["modes"] if m not in modes]
    for mode in modes:
        cells = []
        for s in sets.values():
            m = s["modes"].get(mode)
            cell = "–" if m is None else f"{m['ndcg@10']:.3f} / {m['recall@10']:.3f} / {m['recall@50']:.3f} / {m['mrr']:.3f}"
            cells.append(f"**{cell}**" if mode == "served" else cell)
        lines.append(f"| {mode} | " + " | ".join(cells) + " |")
    lines += ["", "| set | served nDCG@10 | best single method | served − best single | target |", "|---|---|---|---|---|"]
    for name, s in sets.items():
        target = f"≥ {s['target']:.2f} ({'met' if s['modes']['served']['ndcg@10'] >= s['target'] else 'missed'})" \
            if s["target"] else "≥ best single"
        lines.append(f"| {name} | {s['modes']['served']['ndcg@10']:.3f} | {s['best_single']} "
                     f"({s['modes'][s['best_single']]['ndcg@10']:.3f}) | {s['served_minus_best_single']:+.3f} | {target} |")
    lines += ["", "Timings (s): " + "; ".join(f"{n} {json.dumps(s['timings'])}" for n, s in sets.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
