"""The ranking profile: fusion, relevance floor and fit-signal weights, read from one TOML file.

Everything that ranks (the matching service, catalog search, ``matchmaker
search``, the benchmarks) takes its numbers from the profile, so a weight is
decided in exactly one place (``profiles/<name>.toml``).
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomli_w

from indexers.documents import TEXT_WEIGHTS
from search.engine import RankingConfig
from search.language import GROUPS

PROFILES = Path(__file__).resolve().parent / "profiles"
DEFAULT = "default"


class ProfileError(ValueError):
    """A ranking profile is missing or malformed."""


@dataclass(frozen=True)
class FitWeights:
    """How much each fit signal moves a candidate (relevance is on a 0..1 scale)."""

    product_match: float = 0.2
    missing_certification: float = -0.5
    pending_certification: float = -0.25
    named_certification: float = 0.1  # share of those effects for a certification only named in a search
    moq_above_quantity: float = -0.15
    lead_time_over: float = -0.2
    exports_to_country: float = 0.05
    exports_elsewhere: float = 0.02
    smart_factory_per_level: float = 0.01
    industry_mismatch: float = -0.05


@dataclass(frozen=True)
class RankingProfile:
    """One complete, named way of ranking suppliers."""

    name: str
    fusion: str = "linear"
    rrf_k: int = 60
    window: int = 200
    weights: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # Per query language group (search.language.GROUPS): weights that replace ``weights`` for those queries.
    language_weights: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    boosts: MappingProxyType = field(default_factory=lambda: MappingProxyType(dict(TEXT_WEIGHTS)))  # BM25 fields
    synonyms: bool = True
    min_cosine: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # by encoder id
    min_term_share: float = 0.5
    fit: FitWeights = field(default_factory=FitWeights)
    suggestions: int = 20

    def weights_for(self, language: str | None = None) -> dict[str, float]:
        """Fusion weights for a query in ``language`` (a group of :mod:`search.language`), or the defaults."""
        return {**self.weights, **self.language_weights.get(language or "", {})}

    def ranking_config(self, retrievers, language: str | None = None) -> RankingConfig:
        """The search engine's fusion settings for these retrievers (lexical and encoder ids)."""
        chosen = self.weights_for(language)
        weights = {name: float(chosen.get(name, 1.0)) for name in retrievers}
        return RankingConfig(fusion=self.fusion, rrf_k=self.rrf_k, weights=weights, window=self.window,
                             max_results=self.window, boosts=dict(self.boosts))

    def as_dict(self) -> dict[str, Any]:
        """The profile as the TOML file's tables (what :func:`parse_profile` reads)."""
        fusion: dict[str, Any] = {"method": self.fusion, "rrf_k": self.rrf_k, "window": self.window,
                                  "weights": dict(self.weights)}
        if self.language_weights:
            fusion["language_weights"] = {group: dict(w) for group, w in self.language_weights.items()}
        return {"name": self.name, "fusion": fusion,
                "lexical": {"synonyms": self.synonyms, "boosts": dict(self.boosts)},
                "floor": {"min_term_share": self.min_term_share, "min_cosine": dict(self.min_cosine)},
                "fit": {name: getattr(self.fit, name) for name in FitWeights.__dataclass_fields__},
                "matches": {"suggestions": self.suggestions}}


def profile_toml(profile: RankingProfile) -> str:
    """``profile`` as TOML text (tomli-w writes it; :func:`parse_profile` reads it back the same)."""
    return tomli_w.dumps(profile.as_dict())


def _section(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ProfileError(f"[{name}] must be a table")
    return value


def _numbers(table: Any, name: str, where: str) -> dict[str, float]:
    if not isinstance(table, dict):
        raise ProfileError(f"profile {name}: [{where}] must be a table")
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 for v in table.values()):
        raise ProfileError(f"profile {name}: {where} must be numbers >= 0")
    return {key: float(value) for key, value in table.items()}


def parse_profile(data: dict[str, Any], name: str) -> RankingProfile:
    """A profile from decoded TOML; unknown keys are errors, so a typo cannot be ignored silently."""
    fusion, floor = _section(data, "fusion"), _section(data, "floor")
    fit = _section(data, "fit")
    known_fit = set(FitWeights.__dataclass_fields__)
    if unknown := set(fit) - known_fit:
        raise ProfileError(f"profile {name}: unknown fit signal(s) {sorted(unknown)}")
    weights = _numbers(fusion.get("weights", {}), name, "fusion.weights")
    if fusion.get("method", "linear") not in ("linear", "rrf"):
        raise ProfileError(f"profile {name}: fusion.method must be linear or rrf")
    by_language = _section(fusion, "language_weights")
    if unknown := set(by_language) - set(GROUPS):
        raise ProfileError(f"profile {name}: fusion.language_weights: unknown language group(s) {sorted(unknown)}"
                           f" (use {', '.join(GROUPS)})")
    language_weights = {group: MappingProxyType(_numbers(value, name, f"fusion.language_weights.{group}"))
                        for group, value in by_language.items()}
    lexical = _section(data, "lexical")
    boosts = _numbers(lexical.get("boosts", {}), name, "lexical.boosts")
    if unknown := set(boosts) - set(TEXT_WEIGHTS):
        raise ProfileError(f"profile {name}: lexical.boosts: unknown field(s) {sorted(unknown)}")
    return RankingProfile(
        name=data.get("name", name), fusion=fusion.get("method", "linear"), rrf_k=int(fusion.get("rrf_k", 60)),
        window=int(fusion.get("window", 200)), weights=MappingProxyType(weights),
        language_weights=MappingProxyType(language_weights),
        boosts=MappingProxyType({**TEXT_WEIGHTS, **boosts}),
        synonyms=bool(lexical.get("synonyms", True)),
        min_cosine=MappingProxyType({name: float(v) for name, v in _section(floor, "min_cosine").items()}),
        min_term_share=float(floor.get("min_term_share", 0.5)),
        fit=FitWeights(**{key: float(value) for key, value in fit.items()}),
        suggestions=int(_section(data, "matches").get("suggestions", 20)))


@functools.cache
def load_profile(name: str = DEFAULT) -> RankingProfile:
    """The profile ``profiles/<name>.toml``, or a ``.toml`` file by path (read once per process)."""
    path = Path(name) if name.endswith(".toml") else PROFILES / f"{name}.toml"
    if not path.exists():
        raise ProfileError(f"no ranking profile {name!r} (looked for {path})")
    with path.open("rb") as handle:
        return parse_profile(tomllib.load(handle), name)
