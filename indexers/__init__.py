"""Embedding pipeline, nightly reindex job and live index sync (lands with the indexers issue)."""
