"""search/ stands alone: no Flask, and a killed build never harms the live index."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from search.documents import Document, SearchRequest
from search.embedded import EmbeddedBackend
from search.engine import SearchEngine
from tests.search.conftest import SCHEMA

ROOT = Path(__file__).resolve().parents[2]


def test_search_package_imports_nothing_from_flask():
    code = ("import sys, search.analysis, search.engine, search.embedded, search.elastic, search.encoders, "
            "search.fusion, search.ranking, search.highlight, indexers.documents, indexers.build; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'matchmaker', 'werkzeug')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_sigkill_during_a_bulk_load_leaves_the_live_version_serving(tmp_path):
    backend = EmbeddedBackend(tmp_path, SCHEMA)
    live = backend.create_version()
    backend.bulk_index([Document("old", {"name": "brake pads maker"})], live)
    backend.promote(live)
    script = textwrap.dedent(f"""
        import itertools, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from search.documents import Document
        from search.embedded import EmbeddedBackend
        from tests.search.conftest import SCHEMA
        backend = EmbeddedBackend({str(tmp_path)!r}, SCHEMA)
        version = backend.create_version()
        def docs():
            for i in itertools.count():
                if i == 1000:
                    print("loading", flush=True)
                yield Document(f"new{{i}}", {{"name": "brake calipers"}})
        backend.bulk_index(docs(), version, batch_size=100)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "loading"
    time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    reopened = EmbeddedBackend(tmp_path, SCHEMA)
    assert reopened.live_version() == live and reopened.count() == 1
    hits = SearchEngine(reopened).search(SearchRequest(text="brake", mode="lexical")).hits
    assert [hit.id for hit in hits] == ["old"]
    # The half-built version is a separate folder: drop it and build again.
    for version in reopened.versions():
        if not version.live:
            reopened.drop_version(version.name)
    fresh = reopened.create_version()
    reopened.bulk_index([Document("new", {"name": "brake calipers"})], fresh)
    reopened.promote(fresh)
    assert [h.id for h in SearchEngine(reopened).search(SearchRequest(text="brake", mode="lexical")).hits] == ["new"]
