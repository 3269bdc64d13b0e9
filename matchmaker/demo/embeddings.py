"""The demo catalog's multilingual-e5 vectors, shipped so that ``make run`` need not compute them.

multilingual-e5 takes about 0.15 s a profile on two cores: eight minutes for
the 3,200 demo profiles, on every fresh clone. The vectors are in
``data/demo/embeddings-<encoder>.npz`` (float16, keyed by the SHA-256 of the
exact text the encoder reads, as the embedding cache keys them); ``demo
load`` copies them into the embedding cache before the index is built, and
the reindex embeds only what they do not cover (a profile edited since).
``matchmaker demo embed`` writes the file again after ``demo generate``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from indexers.cache import EmbeddingCache, text_key
from indexers.documents import embedding_text
from indexers.embedding import encoder_text
from search.encoders import Encoder

from .. import PROJECT_ROOT

DEMO_DIR = PROJECT_ROOT / "data" / "demo"

SHIPPED = ("e5",)  # the encoders too slow to run on every fresh clone


def seed_path(encoder_id: str, data_dir: Path = DEMO_DIR) -> Path:
    return data_dir / f"embeddings-{encoder_id}.npz"


def texts_for(encoder_id: str, records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Text key -> text, for what ``encoder_id`` embeds of each record (the reindex job's texts)."""
    texts = (encoder_text(encoder_id, embedding_text(record)) for record in records)
    return {text_key(text): text for text in texts if text is not None}


def write_seed(encoder: Encoder, records: Iterable[Mapping[str, Any]], data_dir: Path = DEMO_DIR) -> int:
    """Embed ``records`` with ``encoder`` and write its seed file; return how many vectors."""
    wanted = texts_for(encoder.id, records)
    keys = sorted(wanted)
    vectors = np.vstack([encoder.encode([wanted[k] for k in keys[i:i + 64]]) for i in range(0, len(keys), 64)])
    np.savez_compressed(seed_path(encoder.id, data_dir), keys=np.array(keys, dtype="S64"),
                        vectors=vectors.astype(np.float16))
    return len(keys)


def seed_cache(encoders: Mapping[str, Encoder], cache: EmbeddingCache, data_dir: Path = DEMO_DIR) -> int:
    """Copy the shipped vectors of the configured encoders into the embedding cache; return how many were new."""
    added = 0
    for encoder_id, encoder in encoders.items():
        path = seed_path(encoder_id, data_dir)
        if encoder_id not in SHIPPED or not path.exists():
            continue
        with np.load(path) as seed:
            keys, vectors = [k.decode() for k in seed["keys"]], seed["vectors"].astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)  # float16 rounding
        for start in range(0, len(keys), 1000):
            added += cache.put_many(encoder.cache_key, zip(keys[start:start + 1000], vectors[start:start + 1000]))
    return added
