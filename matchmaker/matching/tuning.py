"""Tuning the ranking profile from relevance judgments, by cross-validated nDCG@10: ``matchmaker tune``.

What is tuned: the fusion weight of each retriever per query language group,
the relevance floor (each encoder's cosine threshold, the share of key words),
the BM25 field boosts and the fit-signal weights. The search is coordinate
ascent from the live profile: one number at a time, over a few values, kept
only when the training requests' mean nDCG@10 rises.

Honesty comes from the folds: requests are split into ``folds`` groups; for
each, a profile is tuned on the others and scored on it. The mean of those
held-out scores is set against the live profile's score on the same requests,
and a profile that is not better there is refused. The profile that is
written is then tuned on every request (the usual practice: the folds measure
the procedure, the final fit uses all the data).

Each request is searched once per field-boost setting (:func:`..service.gather`);
every other setting re-ranks the same candidates (:func:`..service.rank_gathered`).
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from search.language import GROUPS
from search.metrics import ndcg

from ..evaluation import Judged
from .needs import needs_from_request
from .profile import FitWeights, RankingProfile
from .service import Candidates, gather, rank_gathered

WEIGHTS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0)
SCALES = (0.5, 0.8, 1.25, 2.0)  # tried multiples of a floor threshold, boost or fit weight
TERM_SHARES = (0.34, 0.5, 0.67, 0.8)
MIN_GAIN = 1e-4  # a change must lift training nDCG@10 by this much to be kept
WINDOW = 100  # candidates per retriever while tuning (nDCG@10 is decided well inside it)
MIN_REQUESTS = 10


class TuningError(ValueError):
    """Tuning cannot run (too few judgments, nothing to tune)."""


@dataclass
class TuneResult:
    """A tuned profile and the figures that judge it."""

    profile: RankingProfile
    live: RankingProfile
    k: int
    requests: int
    folds: list[dict]  # per fold: held-out requests, tuned and live nDCG
    cv_tuned: float
    cv_live: float
    fit_tuned: float  # on every request (in-sample)
    fit_live: float
    changes: list[str] = field(default_factory=list)

    @property
    def better(self) -> bool:
        """Whether the tuned profile beats the live one on held-out requests."""
        return self.cv_tuned > self.cv_live + MIN_GAIN

    def figures(self, source: str) -> dict:
        """What is stored with the profile (``ranking show`` prints it)."""
        return {"k": self.k, "judgments": source, "requests": self.requests,
                "cv": {"folds": len(self.folds), "tuned": round(self.cv_tuned, 4), "live": round(self.cv_live, 4),
                       "per_fold": self.folds},
                "all_requests": {"tuned": round(self.fit_tuned, 4), "live": round(self.fit_live, 4)},
                "tuned_from": self.live.name, "changes": self.changes}


class Tuner:
    """Scores profiles on judged requests, searching each request once per field-boost setting."""

    def __init__(self, judged: Judged, base: RankingProfile, k: int = 10, progress: Callable[[], None] | None = None):
        self.judged, self.base, self.k, self.progress = judged, base, k, progress
        self.records = {r["external_id"]: r for r in judged.requests}
        self._gathered: dict[tuple, dict[str, Candidates]] = {}
        # Retrieve with every retriever, whatever the weights being tried (0 just leaves a list out of fusion).
        retrievers = {*base.weights, *(name for w in base.language_weights.values() for name in w)}
        self.wide = replace(base, window=min(base.window, WINDOW), language_weights=MappingProxyType({}),
                            weights=MappingProxyType({name: 1.0 for name in retrievers | {"lexical"}}))

    def candidates(self, profile: RankingProfile, request_id: str) -> Candidates:
        key = tuple(sorted(profile.boosts.items()))
        cache = self._gathered.setdefault(key, {})
        if request_id not in cache:
            wide = replace(self.wide, boosts=profile.boosts)
            cache[request_id] = gather(needs_from_request(self.records[request_id]), profile=wide)
        return cache[request_id]

    def score(self, profile: RankingProfile, request_ids: Sequence[str]) -> float:
        """Mean nDCG@k of ``profile`` over ``request_ids``."""
        total = 0.0
        for request_id in request_ids:
            matches, _ = rank_gathered(self.candidates(profile, request_id), profile)
            total += ndcg([m.supplier.external_id for m in matches[:self.k]], self.judged.qrels[request_id], self.k)
        if self.progress:
            self.progress()
        return total / len(request_ids) if request_ids else 0.0

    def languages(self, request_ids: Sequence[str]) -> list[str]:
        """The query language groups among ``request_ids`` (whose weights can be tuned on them)."""
        found = {self.candidates(self.base, r).language for r in request_ids}
        return [group for group in GROUPS if group in found]

    def search(self, request_ids: Sequence[str]) -> tuple[RankingProfile, list[str]]:
        """Coordinate ascent from the base profile on ``request_ids``: the best profile found and what changed."""
        best, best_score = self.base, self.score(self.base, request_ids)
        changes: list[str] = []
        for label, variants in self._moves(request_ids):
            for candidate in variants(best):
                value = self.score(candidate, request_ids)
                if value > best_score + MIN_GAIN:
                    best, best_score = candidate, value
                    changes.append(f"{label}: {_describe(label, candidate)} (training nDCG@{self.k} {value:.4f})")
        return best, changes

    def _moves(self, request_ids):
        retrievers = sorted(self.wide.weights)
        for group in self.languages(request_ids):
            for name in retrievers:
                yield f"fusion.language_weights.{group}.{name}", _weight_variants(group, name)
        for encoder in sorted(self.base.min_cosine):
            yield f"floor.min_cosine.{encoder}", _cosine_variants(encoder)
        yield "floor.min_term_share", lambda p: [replace(p, min_term_share=v) for v in TERM_SHARES
                                                 if v != p.min_term_share]
        for name in sorted(self.base.boosts):
            yield f"lexical.boosts.{name}", _boost_variants(name)
        for name in FitWeights.__dataclass_fields__:
            yield f"fit.{name}", _fit_variants(name)


def _weight_variants(group: str, name: str):
    def variants(profile: RankingProfile):
        current = profile.weights_for(group)
        for value in WEIGHTS:
            if value == current.get(name, 1.0):
                continue
            weights = {**current, name: value}
            if not any(weights.values()):
                continue
            yield replace(profile, language_weights=MappingProxyType({**profile.language_weights,
                                                                      group: MappingProxyType(weights)}))
    return variants


def _cosine_variants(encoder: str):
    def variants(profile):
        value = profile.min_cosine[encoder]
        for scale in SCALES:
            yield replace(profile, min_cosine=MappingProxyType({**profile.min_cosine,
                                                                encoder: round(min(value * scale, 0.95), 3)}))
    return variants


def _boost_variants(name: str):
    def variants(profile):
        for scale in SCALES:
            yield replace(profile, boosts=MappingProxyType({**profile.boosts,
                                                            name: round(profile.boosts[name] * scale, 3)}))
    return variants


def _fit_variants(name: str):
    def variants(profile):
        value = getattr(profile.fit, name)
        for scale in (0.0, *SCALES):
            if value * scale != value:
                yield replace(profile, fit=replace(profile.fit, **{name: round(value * scale, 4)}))
    return variants


def _describe(label: str, profile: RankingProfile) -> str:
    section, *path = label.split(".")
    if section == "fusion":
        return f"{profile.weights_for(path[1]).get(path[2])}"
    if section == "floor":
        return f"{profile.min_cosine[path[1]]}" if path[0] == "min_cosine" else f"{profile.min_term_share}"
    if section == "lexical":
        return f"{profile.boosts[path[1]]}"
    return f"{getattr(profile.fit, path[0])}"


def folds_of(request_ids: list[str], folds: int, seed: int) -> list[list[str]]:
    """``request_ids`` shuffled (seeded) into ``folds`` groups of near-equal size."""
    shuffled = sorted(request_ids)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::folds] for i in range(folds)]


def tune(judged: Judged, live: RankingProfile, name: str, *, folds: int = 5, k: int = 10, seed: int = 7,
         progress: Callable[[], None] | None = None) -> TuneResult:
    """Tune a profile named ``name`` from ``live`` on ``judged``, with cross-validated figures."""
    ids = [r["external_id"] for r in judged.requests]
    if len(ids) < MIN_REQUESTS:
        raise TuningError(f"{len(ids)} judged request(s): tuning needs at least {MIN_REQUESTS}, "
                          "or the held-out figures mean nothing")
    folds = max(2, min(folds, len(ids)))
    tuner = Tuner(judged, replace(live, name=name), k, progress)
    per_fold, held_tuned, held_live = [], 0.0, 0.0
    for number, held_out in enumerate(folds_of(ids, folds, seed), start=1):
        training = [i for i in ids if i not in set(held_out)]
        tuned, _ = tuner.search(training)
        tuned_score, live_score = tuner.score(tuned, held_out), tuner.score(live, held_out)
        per_fold.append({"fold": number, "requests": len(held_out), "tuned": round(tuned_score, 4),
                         "live": round(live_score, 4)})
        held_tuned += tuned_score * len(held_out)
        held_live += live_score * len(held_out)
    final, changes = tuner.search(ids)
    return TuneResult(final, live, k, len(ids), per_fold, held_tuned / len(ids), held_live / len(ids),
                      tuner.score(final, ids), tuner.score(live, ids), changes)
