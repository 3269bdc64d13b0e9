"""What the bilingual synonym file adds to LEXICAL search: nDCG@10 and Recall@10 with and without it.

    nice .venv/bin/python bench/synonyms.py

Each corpus is indexed once with the embedded backend, lexical only (no
encoders, no vectors), and every query is run three ways:

- without synonyms (today's BM25);
- loose terms: ``Synonyms.expand_query`` sent to the plain backend, so each
  expansion adds its analyzed terms to the OR query;
- phrases, every variant: each expansion (same-language variants too) as one
  FTS5 phrase (see ``search/embedded/version.py``);
- served: phrases, only the other language's (``Synonyms.expand`` default).

Dev splits only (naics-en, ksic-ko, ksic-xling: at most 1,000 queries each,
sampled with relevance.py's seed) and the demo dev set. Test splits are never
read here.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from relevance import BENCHMARKS, K, RESULTS, load, score  # noqa: E402

from indexers.documents import request_text, schema, supplier_document  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.synonyms import Synonyms  # noqa: E402

SETS = [(name, 1000) for name in BENCHMARKS] + [("demo-dev", None)]
VARIANTS = ("without synonyms", "with synonyms, loose terms", "with synonyms, phrases, every variant",
            "with synonyms, phrases, other language only (served)")


class EveryVariant:
    """The synonyms expanding into same-language variants too (the alternative to the served way)."""

    def __init__(self, synonyms: Synonyms):
        self.synonyms = synonyms

    def expand(self, text: str) -> list[str]:
        return self.synonyms.expand(text, cross_lingual=False)


def evaluate(name: str, limit: int | None, synonyms: Synonyms) -> dict:
    """Index one dev set lexically and score each variant over its queries."""
    suppliers, requests, qrels = load(name, "dev", limit)
    runs: dict[str, dict[str, list[str]]] = {variant: {} for variant in VARIANTS}
    seconds = dict.fromkeys(VARIANTS, 0.0)
    expanded = 0
    with tempfile.TemporaryDirectory() as tmp:
        plain = EmbeddedBackend(tmp, schema({}))
        version = plain.create_version()
        plain.bulk_index((supplier_document(s) for s in suppliers), version)
        plain.promote(version)
        every = EmbeddedBackend(tmp, schema({}), synonyms=EveryVariant(synonyms))
        served = EmbeddedBackend(tmp, schema({}), synonyms=synonyms)
        for request in requests:
            query = request_text(request)
            expanded += bool(synonyms.expand(query))
            for variant, backend, text in ((VARIANTS[0], plain, query),
                                           (VARIANTS[1], plain, synonyms.expand_query(query, False)),
                                           (VARIANTS[2], every, query), (VARIANTS[3], served, query)):
                started = time.perf_counter()
                hits, _ = backend.lexical(text, (), K)
                seconds[variant] += time.perf_counter() - started
                runs[variant][request["external_id"]] = [doc_id for doc_id, _ in hits]
        for backend in (plain, every, served):
            backend.close()
    return {"documents": len(suppliers), "queries": len(requests),
            "queries_expanded": round(expanded / max(len(requests), 1), 3),
            "modes": {variant: {**score(runs[variant], qrels),
                                "ms_per_query": round(1000 * seconds[variant] / max(len(requests), 1), 2)}
                      for variant in VARIANTS}}


def markdown(report: dict) -> str:
    """The report as a table: one row per variant, one column per dev set."""
    sets = report["sets"]
    lines = ["# Synonyms in lexical search, dev splits (nDCG@10 / Recall@10)", "",
             f"Embedded backend, BM25 only (no vectors). {report['rules']} synonym rules from "
             "`search/data/synonyms_ko_en.txt`.", "",
             "| lexical | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    for variant in VARIANTS:
        cells = [f"{s['modes'][variant]['ndcg@10']:.3f} / {s['modes'][variant]['recall@10']:.3f}"
                 for s in sets.values()]
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    served, base = VARIANTS[3], VARIANTS[0]
    lines.append("| Δ nDCG@10, served − without | " + " | ".join(
        f"{s['modes'][served]['ndcg@10'] - s['modes'][base]['ndcg@10']:+.3f}" for s in sets.values()) + " |")
    lines += ["", "| | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets),
              "| queries | " + " | ".join(str(s["queries"]) for s in sets.values()) + " |",
              "| documents | " + " | ".join(str(s["documents"]) for s in sets.values()) + " |",
              "| share of queries expanded | " + " | ".join(f"{s['queries_expanded']:.0%}" for s in sets.values())
              + " |"]
    for variant in VARIANTS:
        lines.append(f"| ms/query, {variant} | " + " | ".join(
            f"{s['modes'][variant]['ms_per_query']:.2f}" for s in sets.values()) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    synonyms = Synonyms.load()
    report = {"split": "dev", "k": K, "rules": len(synonyms.solr_lines(cross_lingual=False)), "sets": {}}
    for name, limit in SETS:
        report["sets"][name] = evaluate(name, limit, synonyms)
        print(name, json.dumps(report["sets"][name]["modes"]), file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "synonyms.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "synonyms.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
