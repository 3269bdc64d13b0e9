"""A reindex streams suppliers from the database while the embedding cache commits.

Model-free (the hashing encoder goes through the same cache): this is about
the open read and the cache's writes, not about embeddings.
"""
import json
from pathlib import Path

from sqlalchemy import func, select

from matchmaker.dataio.exporter import BATCH
from matchmaker.models import EmbeddingCacheEntry


def test_streaming_more_suppliers_than_a_batch_while_the_cache_writes(runner, db, tmp_path):
    """More suppliers than one streamed batch: the open read must not block the cache's commits."""
    many = BATCH + 20
    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "suppliers.jsonl"
    path = tmp_path / "many.jsonl"
    path.write_bytes(b"\n".join(demo.read_bytes().splitlines()[:many]) + b"\n")
    assert runner.invoke(args=["import", "suppliers", str(path)]).exit_code == 0
    result = runner.invoke(args=["reindex", "--json", "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["documents"] == many and summary["embedded"] >= many
    stored = db.session.scalar(select(func.count()).select_from(EmbeddingCacheEntry))
    assert stored == summary["embedded"]  # every vector committed while the read was open
