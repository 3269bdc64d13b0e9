"""Embedding supplier records with every encoder that can read them, through the embedding cache."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from search.encoders import Encoder
from search.ranking import covers, text_for

from .cache import EmbeddingCache, text_key
from .documents import embedding_text

ENCODE_BATCH = 64  # texts per encoder call; sorted by length so a batch pads little


@dataclass
class EmbedCounts:
    """How many texts were embedded now and how many came from the cache."""

    embedded: int = 0
    from_cache: int = 0

    def add(self, other: EmbedCounts) -> None:
        self.embedded += other.embedded
        self.from_cache += other.from_cache


def encoder_text(encoder_id: str, text: str) -> str | None:
    """What ``encoder_id`` embeds of a record's embedding text (None: it cannot read it)."""
    return text_for(encoder_id, text) if covers(encoder_id, text) else None


def embed_records(records: Sequence[Mapping[str, Any]], encoders: Mapping[str, Encoder],
                  cache: EmbeddingCache | None = None, *, use_cache: bool = True) -> tuple[list[dict], EmbedCounts]:
    """One ``{encoder id: vector}`` per record, embedding only what the cache does not hold.

    New vectors go into the cache batch by batch, committed at once, so a run
    killed half-way leaves its work for the next run. ``use_cache=False``
    re-embeds everything (and refreshes nothing already cached).
    """
    texts = [embedding_text(record) for record in records]
    vectors: list[dict] = [{} for _ in records]
    counts = EmbedCounts()
    for name, encoder in encoders.items():
        wanted = {i: text for i in range(len(texts)) if (text := encoder_text(name, texts[i])) is not None}
        keys = {i: text_key(text) for i, text in wanted.items()}
        cached = cache.get_many(encoder.cache_key, list(keys.values())) if cache and use_cache else {}
        missing = sorted({keys[i]: text for i, text in wanted.items() if keys[i] not in cached}.items(),
                         key=lambda item: len(item[1]))
        fresh: dict[str, np.ndarray] = {}
        for start in range(0, len(missing), ENCODE_BATCH):
            batch = missing[start:start + ENCODE_BATCH]
            matrix = encoder.encode([text for _, text in batch])
            made = {key: matrix[row] for row, (key, _) in enumerate(batch)}
            if cache:
                cache.put_many(encoder.cache_key, made.items())
            fresh.update(made)
        counts.embedded += len(missing)
        counts.from_cache += sum(1 for i in wanted if keys[i] in cached)
        for i in wanted:
            vectors[i][name] = cached[keys[i]] if keys[i] in cached else fresh[keys[i]]
    return vectors, counts
