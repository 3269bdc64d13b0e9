"""Measuring a ranking against relevance judgments, as the app serves it: what ``matchmaker eval`` runs.

Modes:

* ``lexical``, ``vector`` and ``hybrid``: plain search of the request's text
  (BM25, every encoder fused, or both) with the profile's fusion;
* ``vector:<encoder>``: one encoder alone, the single methods the served
  ranking must not lose to;
* ``served``: the matching service exactly as buyers and specialists see it
  (structured needs feed the fit signals, the relevance floor puts what fits
  first).

Metrics (``search.metrics``): nDCG@k with gains 2^grade − 1, Recall@k and
Recall@50 of the best grade given, and MRR (reciprocal rank of the first
best-graded supplier in the ranked window).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from indexers.documents import request_text
from search.documents import SearchRequest
from search.metrics import ndcg, recall, reciprocal_rank

from .dataio import exporter
from .dataio.contract import JUDGMENT, REQUEST
from .dataio.importer import ImportFailed, parse
from .extensions import db
from .matching.needs import needs_from_request
from .matching.profile import RankingProfile
from .matching.service import rank_candidates
from .models import Supplier
from .search_service import get_search

PLAIN_MODES = ("lexical", "vector", "hybrid")
MODES = (*PLAIN_MODES, "served")
DEPTH = 50  # ranked suppliers kept per request (Recall@50)


@dataclass
class Judged:
    """Requests (contract records) and their graded suppliers: ``qrels[request_id][supplier_id] = grade``."""

    requests: list[dict]
    qrels: dict[str, dict[str, int]]
    source: str
    duplicates: int = 0  # judgments of a pair given again (the later grade counts, as in TREC qrels)

    def __post_init__(self):
        self.requests = [r for r in self.requests if self.qrels.get(r["external_id"])]


@dataclass
class ModeResult:
    """One mode's metrics over every judged request, and its run."""

    mode: str
    metrics: dict[str, float]
    per_request: dict[str, float]  # nDCG@k
    runs: dict[str, list[str]] = field(repr=False)


def read_judged(requests_lines: Iterable[bytes], judgments_lines: Iterable[bytes], source: str = "files") -> Judged:
    """Requests and judgments from JSON Lines (the data contract), checked like an import."""
    requests, errors = parse(requests_lines, REQUEST, key=lambda r: r["external_id"], key_name="external_id",
                             kind="requests")
    if errors:
        raise ImportFailed("requests", errors)
    # Each line is its own key: public qrels judge a pair twice at times (an exclusion phrase of a class
    # that is also its sibling); unlike an import, evaluation takes the later grade and counts them.
    judgments, errors = parse(judgments_lines, JUDGMENT, key=id, key_name="supplier_id", kind="judgments")
    if errors:
        raise ImportFailed("judgments", errors)
    qrels: dict[str, dict[str, int]] = {}
    duplicates = 0
    for _, judgment in judgments:
        grades = qrels.setdefault(judgment["request_id"], {})
        duplicates += judgment["supplier_id"] in grades
        grades[judgment["supplier_id"]] = judgment["grade"]
    return Judged([record for _, record in requests], qrels, source, duplicates)


def curated() -> Judged:
    """The buyer requests specialists have judged in the workspace, with those judgments."""
    qrels: dict[str, dict[str, int]] = {}
    for judgment in exporter.iter_judgments():
        qrels.setdefault(judgment["request_id"], {})[judgment["supplier_id"]] = judgment["grade"]
    requests = [record for record in exporter.iter_requests() if record["external_id"] in qrels]
    return Judged(requests, qrels, "curation")


def encoder_modes() -> list[str]:
    """``vector:<id>`` for each configured encoder."""
    return [f"vector:{name}" for name in get_search().encoders]


def ranked(record: dict, mode: str, profile: RankingProfile | None = None, depth: int = DEPTH) -> list[str]:
    """The supplier ids ``mode`` ranks for a request record, best first, at most ``depth``."""
    if mode == "served":
        matches, _, _ = rank_candidates(needs_from_request(record), profile=profile)
        return [m.supplier.external_id for m in matches[:depth]]
    service = get_search()
    text = request_text(record)
    engine = service.engine(text, profile)
    if mode.startswith("vector:"):
        only = mode.split(":", 1)[1]
        engine.ranking = replace(engine.ranking, weights={name: float(name == only) for name in engine.ranking.weights})
        mode = "vector"
    result = engine.rank(SearchRequest(text=text, mode=mode, k=depth))
    return [hit.id for hit in result.hits[:depth]]


def score_run(runs: dict[str, list[str]], qrels, k: int) -> tuple[dict[str, float], dict[str, float]]:
    per = {q: ndcg(runs[q], qrels[q], k) for q in runs}
    n = len(runs) or 1
    metrics = {f"ndcg@{k}": sum(per.values()) / n,
               f"recall@{k}": sum(recall(runs[q], qrels[q], k) for q in runs) / n,
               f"recall@{DEPTH}": sum(recall(runs[q], qrels[q], DEPTH) for q in runs) / n,
               "mrr": sum(reciprocal_rank(runs[q], qrels[q]) for q in runs) / n}
    return {name: round(value, 4) for name, value in metrics.items()}, per


def evaluate(judged: Judged, modes: Sequence[str], k: int = 10, profile: RankingProfile | None = None,
             progress=None) -> list[ModeResult]:
    """Each mode's metrics over ``judged``."""
    results = []
    for mode in modes:
        runs = {}
        for record in judged.requests:
            runs[record["external_id"]] = ranked(record, mode, profile)
            if progress:
                progress(1)
        metrics, per = score_run(runs, judged.qrels, k)
        results.append(ModeResult(mode, metrics, per, runs))
    return results


@dataclass
class Miss:
    """A request the ranking served badly: its relevant suppliers' ranks and what was ranked above them."""

    request_id: str
    title: str
    ndcg: float
    relevant: list[tuple[str, int, int | None]]  # (supplier id, grade, rank or None)
    above: list[tuple[str, str, int]]  # (supplier id, name, grade) ranked above the first relevant one


def worst(judged: Judged, result: ModeResult, n: int = 5, shown_above: int = 5) -> list[Miss]:
    """The ``n`` requests with the lowest nDCG in ``result``, explained."""
    titles = {r["external_id"]: r.get("title") or "" for r in judged.requests}
    misses = []
    for request_id, value in sorted(result.per_request.items(), key=lambda item: (item[1], item[0]))[:n]:
        grades = judged.qrels[request_id]
        run = result.runs[request_id]
        position = {supplier: i for i, supplier in enumerate(run, start=1)}
        best = max(grades.values())
        relevant = sorted(((s, g, position.get(s)) for s, g in grades.items() if g > 0),
                          key=lambda item: (-item[1], item[2] or 10**9, item[0]))
        first = min((position[s] for s, g in grades.items() if g == best and g > 0 and s in position), default=None)
        above_ids = run[:(first - 1) if first else shown_above][:shown_above]
        names = _names(above_ids)
        misses.append(Miss(request_id, titles.get(request_id, ""), round(value, 4), relevant,
                           [(s, names.get(s, ""), grades.get(s, 0)) for s in above_ids]))
    return misses


def _names(ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Supplier.external_id, Supplier.name, Supplier.name_en)
                              .where(Supplier.external_id.in_(ids)))
    return {external_id: name_en or name for external_id, name, name_en in rows}


def best_single(results: list[ModeResult], k: int = 10) -> ModeResult | None:
    """The best of the single methods (lexical and each encoder alone) in ``results``."""
    singles = [r for r in results if r.mode == "lexical" or r.mode.startswith("vector:")]
    return max(singles, key=lambda r: r.metrics[f"ndcg@{k}"], default=None)
