"""The app's search service: the configured backend, encoders and ranking, built on first use.

Search returns ranked external ids; :func:`load_in_order` loads the supplier
rows from SQL in that order.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from indexers.cache import EmbeddingCache
from indexers.documents import schema
from search.backend import SearchBackend
from search.documents import Filter
from search.encoders import Encoder, make_encoder
from search.engine import RankingConfig, SearchEngine
from search.language import query_language
from search.ranking import retriever_weights
from search.synonyms import Synonyms

from . import certifications
from .extensions import db
from .matching.profile import DEFAULT as DEFAULT_PROFILE
from .matching.profile import RankingProfile, load_profile
from .models import EmbeddingCacheEntry, Supplier

EXTENSION = "matchmaker.search"
INDEX_FOLDER = "search-index"


@dataclass
class SearchService:
    """Everything a search needs, shared by the requests of one app."""

    backend: SearchBackend
    encoders: dict[str, Encoder]
    configured: RankingProfile  # served until a profile is activated (matching/registry.py)
    synonyms: Synonyms | None = None

    @property
    def profile(self) -> RankingProfile:
        """The served ranking profile: the newest activation's, else the configured one."""
        from .matching.registry import live_profile
        return live_profile()

    @property
    def ranking(self) -> RankingConfig:
        """The served profile's fusion settings for the configured retrievers."""
        return self.profile.ranking_config(["lexical", *self.encoders])

    def expand(self, text: str) -> str:
        """``text`` with its bilingual synonyms, when the profile uses them."""
        return self.synonyms.expand_query(text) if self.synonyms and text else text

    def engine(self, query: str = "", profile: RankingProfile | None = None) -> SearchEngine:
        """An engine ranking by ``profile`` (the served one by default) with the weights for ``query``'s language.

        Encoders that cannot read the query's language are left out.
        """
        language = query_language(query) if query.strip() else None
        ranking = (profile or self.profile).ranking_config(["lexical", *self.encoders], language)
        weights = retriever_weights(dict(ranking.weights), language)
        return SearchEngine(self.backend, self.encoders, replace(ranking, weights=weights))


def encoder_names(config) -> list[str]:
    """The configured encoders (comma-separated ``MATCHMAKER_EMBEDDING_MODEL``)."""
    return [name.strip() for name in config["EMBEDDING_MODEL"].split(",") if name.strip()]


def build_service(config, instance_path: str) -> SearchService:
    """Create the backend and (unloaded) encoders that ``config`` asks for, ranked by the served profile."""
    profile = load_profile(config.get("RANKING_PROFILE") or DEFAULT_PROFILE)
    synonyms = Synonyms.load() if profile.synonyms else None
    encoders = {encoder.id: encoder for encoder in (make_encoder(name) for name in encoder_names(config))}
    index_schema = schema({name: encoder.dimensions or _load_dimensions(encoder) for name, encoder in encoders.items()})
    if config["SEARCH_BACKEND"] == "null":
        from search.null import NullBackend
        backend = NullBackend(index_schema)
    elif config["SEARCH_BACKEND"] == "elasticsearch":
        from search.elastic import ElasticsearchBackend
        backend = ElasticsearchBackend(config["ELASTICSEARCH_URL"], index_schema, config["ELASTICSEARCH_INDEX"],
                                       synonyms=synonyms)
    else:
        from search.embedded import EmbeddedBackend
        backend = EmbeddedBackend(Path(instance_path) / INDEX_FOLDER, index_schema, synonyms=synonyms)
    return SearchService(backend, encoders, profile, synonyms)  # the configured profile


def _load_dimensions(encoder: Encoder) -> int:
    encoder.model  # a model given by path tells its size only once loaded
    return encoder.dimensions


def embedding_cache() -> EmbeddingCache:
    """The embedding cache in this app's database."""
    return EmbeddingCache(db.engine, EmbeddingCacheEntry.__table__)


def get_search() -> SearchService:
    """This app's search service, built on first use (never at start-up)."""
    service = current_app.extensions.get(EXTENSION)
    if service is None:
        service = current_app.extensions[EXTENSION] = build_service(current_app.config, current_app.instance_path)
    return service


class Failures:
    """Searches this process answered from SQL because the backend failed: how many, the last one and why.

    ``/health`` and the admin's Search page show it; the log has every one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.last_at: datetime | None = None
        self.last_error: str | None = None

    def note(self, where: str, exc: Exception) -> None:
        """Record (and log) one search that fell back."""
        current_app.logger.warning("%s: search unavailable, answered from SQL: %s", where, exc)
        with self._lock:
            self.count += 1
            self.last_at = datetime.now(timezone.utc)
            self.last_error = f"{type(exc).__name__}: {exc}"[:500]

    def as_dict(self) -> dict:
        """``{"fallbacks": n, "last_fallback_seconds": age or None}`` (the reason stays in the log)."""
        with self._lock:
            age = (datetime.now(timezone.utc) - self.last_at).total_seconds() if self.last_at else None
            return {"fallbacks": self.count, "last_fallback_seconds": round(age, 1) if age is not None else None}


def search_failures() -> Failures:
    """This app's record of searches that fell back to SQL."""
    return current_app.extensions.setdefault("matchmaker.search_failures", Failures())


def parse_filter(text: str) -> Filter:
    """``field=value``, ``field>=number`` or ``field<=number`` as a search filter."""
    for operator in (">=", "<="):
        if operator in text:
            field, value = text.split(operator, 1)
            try:
                number = float(value)
            except ValueError:
                raise ValueError(f"filter {text!r}: {value.strip()!r} is not a number") from None
            return Filter.range(field.strip(), gte=number if operator == ">=" else None,
                                lte=number if operator == "<=" else None)
    if "=" not in text:
        raise ValueError(f"filter {text!r} must look like field=value, field>=number or field<=number")
    field, value = text.split("=", 1)
    values = [v.strip() for v in value.split("|") if v.strip()]
    if field.strip() == "certifications":  # any spelling of a certification finds its canonical id
        values = [certifications.parse(v).id for v in values]
    if not values:
        raise ValueError(f"filter {text!r} has no value")
    return Filter.term(field.strip(), values[0]) if len(values) == 1 else Filter.terms(field.strip(), values)


def load_in_order(external_ids: list[str], with_products: bool = False) -> list[Supplier]:
    """Supplier rows for ``external_ids``, in that order (ids no longer in the database are skipped)."""
    if not external_ids:
        return []
    stmt = select(Supplier).where(Supplier.external_id.in_(external_ids))
    if with_products:
        stmt = stmt.options(selectinload(Supplier.products))
    rows = db.session.scalars(stmt).all()
    by_id = {row.external_id: row for row in rows}
    return [by_id[i] for i in external_ids if i in by_id]
