"""Backends under test: the embedded one always, Elasticsearch when a cluster is configured."""
import os
import uuid

import pytest

from search.documents import IndexSchema
from search.embedded import EmbeddedBackend

ES_URL = os.environ.get("MATCHMAKER_TEST_ELASTICSEARCH_URL", "")
SCHEMA = IndexSchema(text_fields={"name": 3.0, "products": 2.0, "description": 1.0},
                     keyword_fields=("industry", "certifications"),
                     numeric_fields=("smart_factory_level", "moq"),
                     vectors={"vec": 8})


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.skipif(
    not ES_URL, reason="MATCHMAKER_TEST_ELASTICSEARCH_URL is not set: no Elasticsearch cluster to test against"))])
def backend(request, tmp_path):
    """An empty backend with the test schema."""
    if request.param == "embedded":
        backend = EmbeddedBackend(tmp_path / "index", SCHEMA)
        yield backend
        backend.close()
    else:
        from search.elastic import ElasticsearchBackend
        backend = ElasticsearchBackend(ES_URL, SCHEMA, prefix=f"mm-test-{uuid.uuid4().hex[:8]}")
        yield backend
        backend.drop_everything()
        backend.close()
