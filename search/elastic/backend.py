"""The Elasticsearch backend, on the official client (8.x client: talks to 8.x and 9.x servers).

Versions are indices named ``PREFIX-v<time>-<random>``; the live one is the
index behind the alias ``PREFIX``, swapped with one atomic ``_aliases`` call.
A new version loads with replicas 0 and refresh off, then gets its serving
settings back before the swap (as warehouse's reindex does). Synonyms are
part of an index's settings: a version built with them keeps them, so
changing the synonym file takes effect with the next version (a reindex).
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from functools import wraps

import elasticsearch
from elasticsearch import Elasticsearch, helpers

from ..backend import NOT_BUILT, BackendError, VersionInfo
from ..documents import Document, Filter, IndexSchema
from ..synonyms import Synonyms
from . import bodies


def _reachable(method):
    """Turn transport failures into a BackendError that says which cluster could not be reached."""
    @wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout) as exc:
            raise BackendError(f"cannot reach Elasticsearch at {self.url}: {exc}") from exc
        except elasticsearch.ApiError as exc:
            raise BackendError(f"Elasticsearch refused {method.__name__}: {exc}") from exc
    return wrapper


class ElasticsearchBackend:
    """Search backend on an Elasticsearch cluster."""

    name = "elasticsearch"

    def __init__(self, url: str, schema: IndexSchema, prefix: str = "matchmaker-suppliers", *,
                 replicas: int = 0, timeout: float = 10.0, client: Elasticsearch | None = None,
                 synonyms: Synonyms | None = None):
        self.url = url
        self.schema = schema
        self.synonyms = synonyms
        self.alias = prefix
        self.replicas = replicas
        self.client = client or Elasticsearch(url, request_timeout=timeout, max_retries=2, retry_on_timeout=True)

    def _index(self, version: str | None) -> str:
        return version or self.alias

    # versions -----------------------------------------------------------------------------------

    @_reachable
    def create_version(self) -> str:
        """Create an empty index for a new version, set up for bulk loading."""
        name = f"{self.alias}-v" + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f-") + secrets.token_hex(3)
        rules = self.synonyms.solr_lines() if self.synonyms else None
        self.client.indices.create(
            index=name, settings=bodies.build_settings(synonyms=rules),
            mappings=bodies.mapping(self.schema, search_analyzer=bodies.SEARCH_ANALYZER if rules else None))
        return name

    @_reachable
    def versions(self) -> list[VersionInfo]:
        """Every version index, oldest first, marking the live one."""
        found = self.client.indices.get(index=f"{self.alias}-v*", allow_no_indices=True, expand_wildcards="open")
        live = self.live_version()
        return [VersionInfo(name, name == live, self.client.count(index=name)["count"],
                            bool(found[name].get("mappings", {}).get("_meta", {}).get("promoted")))
                for name in sorted(found)]

    @_reachable
    def live_version(self) -> str | None:
        """The index behind the alias, or None before the first promote."""
        try:
            found = self.client.indices.get_alias(name=self.alias)
        except elasticsearch.NotFoundError:
            return None
        return next(iter(sorted(found)), None)

    @_reachable
    def promote(self, version: str) -> None:
        """Give ``version`` serving settings, then move the alias to it in one atomic call."""
        self.client.indices.put_settings(index=version, settings=bodies.serving_settings(self.replicas))
        self._put_meta(version, promoted=True)  # fit for rollback
        self.client.indices.refresh(index=version)
        self.client.indices.update_aliases(actions=bodies.alias_actions(self.alias, self.live_version(), version))

    def _meta(self, version: str) -> dict:
        found = self.client.indices.get_mapping(index=version)
        return dict(found[version].get("mappings", {}).get("_meta", {}))

    def _put_meta(self, version: str, **values) -> None:
        # A mapping's _meta is replaced whole on every update: merge into what is there.
        self.client.indices.put_mapping(index=version, meta={**self._meta(version), **values})

    @_reachable
    def copy_version(self, source: str) -> str:
        """A new, unpromoted index holding ``source``'s documents, copied inside the cluster by ``_reindex``."""
        name = self.create_version()
        try:
            self.client.reindex(source={"index": source}, dest={"index": name}, wait_for_completion=True,
                                refresh=True)
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        return name

    @_reachable
    def build_info(self, version: str) -> dict:
        """What the build of ``version`` recorded (kept in the index mapping's ``_meta``)."""
        return dict(self._meta(version).get("build", {}))

    @_reachable
    def set_build_info(self, version: str, info: Mapping[str, str]) -> None:
        """Record how ``version`` was built, in its mapping's ``_meta``."""
        self._put_meta(version, build=dict(info))

    @_reachable
    def doc_ids(self, version: str | None = None) -> set[str]:
        """The id of every document in ``version`` (scrolled, ids only)."""
        index = self._require_live(version)
        return {hit["_id"] for hit in helpers.scan(self.client, index=index, query={"query": {"match_all": {}}},
                                                   _source=False, size=5000)}

    @_reachable
    def digests(self, version: str | None = None) -> dict[str, str]:
        """Every document's content digest by id, from its stored ``_source`` (scrolled, vectors left out)."""
        index = self._require_live(version)
        fields = [*self.schema.text_fields, *self.schema.keyword_fields, *self.schema.numeric_fields]
        return {hit["_id"]: bodies.source_digest(hit.get("_source", {}), self.schema)
                for hit in helpers.scan(self.client, index=index, query={"query": {"match_all": {}}},
                                        _source=fields, size=2000)}

    @_reachable
    def drop_version(self, version: str) -> None:
        """Delete a version index that is not live."""
        if version == self.live_version():
            raise BackendError(f"{version} is live; promote another version before dropping it")
        self.client.indices.delete(index=version, ignore_unavailable=True)

    @_reachable
    def drop_everything(self) -> None:
        """Delete every version index of this prefix (tests and uninstalls)."""
        self.client.indices.delete(index=f"{self.alias}-v*", allow_no_indices=True, ignore_unavailable=True)

    # documents ----------------------------------------------------------------------------------

    @_reachable
    def bulk_index(self, docs: Iterable[Document], version: str | None = None, batch_size: int = 500) -> int:
        """Index documents with ``streaming_bulk``, retrying 429s with backoff; refresh at the end."""
        index = self._index(version)

        def actions():
            for doc in docs:
                self.schema.check(doc)
                yield bodies.index_action(index, doc)
        written, failures = 0, []
        for ok, item in helpers.streaming_bulk(self.client, actions(), chunk_size=batch_size, max_retries=5,
                                               initial_backoff=1, max_backoff=30, raise_on_error=False):
            if ok:
                written += 1
            else:
                failures.append(item)
        self.client.indices.refresh(index=index)
        if failures:
            raise BackendError(f"{len(failures)} document(s) failed to index; first: {failures[0]}")
        return written

    @_reachable
    def delete(self, ids: Iterable[str], version: str | None = None) -> int:
        """Delete documents by id; return how many existed."""
        index = self._index(version)
        removed = 0
        for ok, item in helpers.streaming_bulk(
                self.client, ({"_op_type": "delete", "_index": index, "_id": doc_id} for doc_id in ids),
                raise_on_error=False, max_retries=5, initial_backoff=1):
            removed += ok and item["delete"].get("result") == "deleted"
        self.client.indices.refresh(index=index)
        return removed

    @_reachable
    def count(self, version: str | None = None) -> int:
        """How many documents ``version`` (the live one by default) holds."""
        return self.client.count(index=self._require_live(version))["count"]

    def health(self) -> dict:
        """Cluster status and what the live version holds; unreachable clusters raise BackendError."""
        try:
            cluster = self.client.cluster.health()
        except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout) as exc:
            raise BackendError(f"cannot reach Elasticsearch at {self.url}: {exc}") from exc
        live = self.live_version()
        return {"backend": self.name, "status": "ok" if live else "empty", "cluster": cluster["status"],
                "live": live, "documents": self.count(live) if live else 0}

    # retrieval ----------------------------------------------------------------------------------

    def _require_live(self, version: str | None) -> str:
        if version is None and self.live_version() is None:
            raise BackendError(NOT_BUILT)
        return self._index(version)

    @_reachable
    def lexical(self, text: str, filters: Sequence[Filter], n: int, version: str | None = None,
                boosts: Mapping[str, float] | None = None):
        """BM25 top ``n`` as (id, score) pairs, and the number of matching documents (``boosts`` per field)."""
        index = self._require_live(version)
        response = self.client.search(index=index, body=bodies.lexical_body(text, filters, n, self.schema, boosts))
        hits = response["hits"]
        return [(hit["_id"], float(hit["sort"][0])) for hit in hits["hits"]], hits["total"]["value"]

    @_reachable
    def knn(self, field: str, vector, filters: Sequence[Filter], n: int, version: str | None = None):
        """kNN top ``n`` as (id, cosine) pairs, filters applied inside the kNN search."""
        if field not in self.schema.vectors:
            raise ValueError(f"no vector field {field!r} in this index")
        index = self._require_live(version)
        response = self.client.search(index=index, body=bodies.knn_body(field, vector, filters, n, self.schema))
        ranked = [(hit["_id"], bodies.cosine(hit["_score"])) for hit in response["hits"]["hits"]]
        return sorted(ranked, key=lambda pair: (-pair[1], pair[0]))

    @_reachable
    def covered(self, field: str, ids: Sequence[str], version: str | None = None) -> set[str]:
        """Which of ``ids`` have a vector in ``field``."""
        if not ids:
            return set()
        response = self.client.search(index=self._require_live(version),
                                      body=bodies.covered_body(field, ids))
        return {hit["_id"] for hit in response["hits"]["hits"]}

    @_reachable
    def sources(self, ids: Sequence[str], version: str | None = None) -> dict[str, dict[str, str]]:
        """Stored text fields by id, for highlighting."""
        if not ids:
            return {}
        response = self.client.mget(index=self._require_live(version), ids=list(ids),
                                    source_includes=list(self.schema.text_fields))
        return {doc["_id"]: doc.get("_source", {}) for doc in response["docs"] if doc.get("found")}

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()
