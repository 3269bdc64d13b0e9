"""Further relevance levers on the dev splits, after the ones in ``levers.py`` (nDCG@10).

    python bench/levers.py             # first: computes and caches every retriever's lists
    python bench/levers_more.py

Each row changes one thing in the served fusion (language-aware weights,
lexical + MiniLM + USE v3 + e5, min-max linear fusion) and reports
naics-en / ksic-ko / ksic-xling:

- score normalization: z-score, reciprocal rank fusion, division by the top score;
- the best weights on a grid per set (an upper bound for any weight tuning);
- field boosts for BM25 (name and description), on the real embedded backend;
- e5 per-line vectors (max over name and description sentences), mixed with the whole-profile vector;
- pseudo-relevance feedback for every encoder (Rocchio: the query vector moved towards the
  fused top documents' vectors);
- a learned ranker (LightGBM LambdaMART over each retriever's normalized score, raw score,
  rank and gap to its top, 2-fold cross-validated on the dev queries), when ``lightgbm`` is installed.

Dev splits only; vectors come from the ``levers.py`` cache in ``bench/.scratch/``.
"""
from __future__ import annotations

import itertools
import json
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import levers  # noqa: E402
from relevance import load  # noqa: E402
from indexers.documents import embedding_text, request_text, schema, supplier_document  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.metrics import ndcg  # noqa: E402
from search.ranking import covers, text_for  # noqa: E402
from search.synonyms import Synonyms  # noqa: E402

SETS = {  # retrievers and the served weights of each set's query language group (default.toml)
    "naics-en": (["lexical", "minilm", "usem3", "e5"], [0.5, 2, 1, 0.5]),
    "ksic-ko": (["lexical", "usem3", "e5"], [1, 0.5, 1]),
    "ksic-xling": (["lexical", "minilm", "usem3", "e5"], [0.5, 2, 1, 0.5]),
}
GRID = (0, 0.25, 0.5, 1, 1.5, 2, 3)


def prepare(data, retrievers, norm="minmax"):
    """Per query: candidates, a (candidates x retrievers) matrix of normalized scores, the grades."""
    return [(p[0], p[1], p[5]) for p in levers.prepare(data, retrievers, norm)]


def mean_ndcg(prepared, weights) -> float:
    total = 0.0
    for candidates, matrix, grades in prepared:
        if candidates:
            scores = matrix @ np.asarray(weights, dtype=np.float32)
            order = np.lexsort((np.array(candidates), -scores))[:10]
            total += ndcg([candidates[i] for i in order], grades)
    return round(total / len(prepared), 4)


def fused(data, retrievers, weights, lists=None) -> float:
    return mean_ndcg(prepare(dict(data, lists=lists or data["lists"]), retrievers), weights)


def ranked_lists(scores, ids, mask=None):
    if mask is not None:
        scores = np.where(mask[None, :], scores, -np.inf)
    order = np.argsort(-scores, axis=1)[:, :levers.WINDOW]
    return [[(ids[j], float(scores[i, j])) for j in row if np.isfinite(scores[i, j])] for i, row in enumerate(order)]


def vectors(name, models):
    """Document and query vectors per encoder, the documents' ids, and which documents are Korean-only."""
    suppliers, requests, qrels = load(name, "dev", 1000)
    requests = [r for r in requests if r["external_id"] in qrels]
    texts = [embedding_text(s) for s in suppliers]
    queries = [request_text(r) for r in requests]
    out = {e: (m.docs([text_for(e, t) for t in texts]), m.queries(queries)) for e, m in models.items()}
    return out, [s["external_id"] for s in suppliers], np.array([not covers("minilm", t) for t in texts]), suppliers


def e5_lines(data, retrievers, weights, models, name):
    """e5 with a profile's lines: max over lines, and the mean of that max with the whole-profile cosine."""
    encoded, ids, _, suppliers = vectors(name, {"e5": models["e5"]})
    docs, queries = encoded["e5"]
    per = [levers.lines(s) for s in suppliers]
    owner = np.array([i for i, lines in enumerate(per) for _ in lines])
    line_vectors = models["e5"].docs([text_for("e5", line) for lines in per for line in lines])
    best = np.full((len(queries), len(ids)), -1.0, dtype=np.float32)
    np.maximum.at(best.T, owner, (queries @ line_vectors.T).T)
    whole = queries @ docs.T
    out = {}
    for label, scores in (("e5: max over lines and the whole profile", np.maximum(best, whole)),
                          ("e5: mean of whole-profile and best-line cosine", (whole + np.maximum(best, whole)) / 2)):
        out[label] = fused(data, retrievers, weights, dict(data["lists"], e5=ranked_lists(scores, ids)))
    return out


def feedback(data, retrievers, weights, models, name, k=3, beta=0.3) -> float:
    """Rocchio in vector space: each query vector moved towards the mean of the fused top ``k`` documents."""
    encoded, ids, korean, _ = vectors(name, {e: models[e] for e in retrievers if e != "lexical"})
    position = {d: i for i, d in enumerate(ids)}
    tops = []
    for candidates, matrix, _ in prepare(data, retrievers):
        order = np.lexsort((np.array(candidates), -(matrix @ np.asarray(weights, dtype=np.float32))))
        tops.append([position[candidates[i]] for i in order[:k]])
    lists = dict(data["lists"])
    for encoder, (docs, queries) in encoded.items():
        moved = queries + beta * np.stack([docs[t].mean(axis=0) for t in tops])
        moved /= np.linalg.norm(moved, axis=1, keepdims=True)
        lists[encoder] = ranked_lists(moved @ docs.T, ids, ~korean if encoder == "minilm" else None)
    return fused(data, retrievers, weights, lists)


def boosts(data, retrievers, weights, name, synonyms) -> dict[str, float]:
    """BM25 with other name and description boosts (the index's are name 3, description 1)."""
    suppliers, _, _ = load(name, "dev", 1000)
    queries = [request_text(r) for r in data["requests"]]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        backend = EmbeddedBackend(tmp, schema({}), synonyms=synonyms)
        version = backend.create_version()
        backend.bulk_index((supplier_document(s) for s in suppliers), version)
        backend.promote(version)
        for name_boost, description_boost in ((1, 1), (6, 1), (3, 0.5), (6, 2)):
            lexical = [backend.lexical(q, (), levers.WINDOW, boosts={"name": name_boost,
                                                                       "description": description_boost})[0]
                       for q in queries]
            out[f"BM25 boosts name {name_boost}, description {description_boost}"] = fused(
                data, retrievers, weights, dict(data["lists"], lexical=lexical))
        backend.close()
    return out


def learned(data, retrievers, weights) -> float | None:
    """LightGBM LambdaMART over per-retriever features, 2-fold cross-validated; None without lightgbm."""
    try:
        import lightgbm
    except ImportError:
        return None
    rows = []
    for qi, request in enumerate(data["requests"]):
        lists = {r: data["lists"][r][qi] for r in retrievers}
        candidates = sorted({d for ranked in lists.values() for d, _ in ranked})
        index = {d: i for i, d in enumerate(candidates)}
        features = np.zeros((len(candidates), 4 * len(retrievers) + 1), dtype=np.float32)
        for j, r in enumerate(retrievers):
            ranked = lists[r]
            if not ranked:
                continue
            values = np.array([s for _, s in ranked])
            low, high = values.min(), values.max()
            features[:, 4 * j + 2] = levers.WINDOW  # rank of a document the list missed
            for rank, (d, s) in enumerate(ranked):
                features[index[d], 4 * j:4 * j + 4] = ((s - low) / (high - low) if high > low else 1, s, rank,
                                                       s - values[0])
        features[:, -1] = features[:, 0::4][:, :len(retrievers)] @ np.asarray(weights, dtype=np.float32)
        grades = data["qrels"][request["external_id"]]
        rows.append((candidates, features, np.array([grades.get(d, 0) for d in candidates]), grades))
    fold = np.random.default_rng(0).integers(0, 2, len(rows))
    total = 0.0
    for held_out in (0, 1):
        train = [r for r, f in zip(rows, fold) if f != held_out]
        model = lightgbm.LGBMRanker(objective="lambdarank", n_estimators=300, learning_rate=0.05, num_leaves=15,
                                    min_child_samples=20, lambdarank_truncation_level=20, verbose=-1)
        model.fit(np.vstack([r[1] for r in train]), np.concatenate([r[2] for r in train]),
                  group=[len(r[0]) for r in train])
        for (candidates, features, _, grades), f in zip(rows, fold):
            if f == held_out and candidates:
                order = np.lexsort((np.array(candidates), -model.predict(features)))[:10]
                total += ndcg([candidates[i] for i in order], grades)
    return round(total / len(rows), 4)


def main():
    cached = levers.SCRATCH / "levers-data-1000.pkl"
    if not cached.exists():
        sys.exit("run `python bench/levers.py` first: it computes and caches the retrievers' lists")
    data = pickle.loads(cached.read_bytes())
    models = levers.encoders()
    synonyms = Synonyms.load()
    results: dict[str, dict[str, float | None]] = {}

    def put(label, name, value):
        results.setdefault(label, {})[name] = value

    for name, (retrievers, weights) in SETS.items():
        d = data[name]
        put("served fusion (min-max, language-aware weights)", name, fused(d, retrievers, weights))
        for norm, label in (("z", "z-score normalization"), ("rrf", "reciprocal rank fusion (k = 60)"),
                            ("top", "scores divided by each list's top score")):
            put(label, name, mean_ndcg(prepare(d, retrievers, norm), weights))
        if len(retrievers) == 3:  # a full grid over four retrievers is 2,400 fusions per set: Korean only
            grid = prepare(d, retrievers)
            put("best weights on a grid (upper bound of weight tuning)", name,
                max(mean_ndcg(grid, w) for w in itertools.product(GRID, repeat=3) if any(w)))
        for label, value in boosts(d, retrievers, weights, name, synonyms).items():
            put(label, name, value)
        for label, value in e5_lines(d, retrievers, weights, models, name).items():
            put(label, name, value)
        put("pseudo-relevance feedback for every encoder (Rocchio, top 3, beta 0.3)", name,
            feedback(d, retrievers, weights, models, name))
        put("learned ranker (LightGBM LambdaMART, 2-fold CV on dev queries)", name,
            learned(d, retrievers, weights))
        print(name, "done", file=sys.stderr)
    lines = ["# Further relevance levers (dev splits, nDCG@10, fusion without fit signals)", "",
             "| lever | " + " | ".join(SETS) + " |", "|---|" + "---|" * len(SETS)]
    for label, by_set in results.items():
        cells = [("—" if by_set.get(n) is None else f"{by_set[n]:.3f}") for n in SETS]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    markdown = "\n".join(lines) + "\n"
    levers.RESULTS.mkdir(parents=True, exist_ok=True)
    (levers.RESULTS / "levers-more.json").write_text(json.dumps(results, indent=2) + "\n")
    (levers.RESULTS / "levers-more.md").write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
