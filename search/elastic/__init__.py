"""The Elasticsearch search backend."""
from .backend import ElasticsearchBackend

__all__ = ["ElasticsearchBackend"]
