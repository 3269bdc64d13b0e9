"""The embedding cache: another process storing the same text meanwhile is not an error."""
import numpy as np
from sqlalchemy import create_engine, event, insert

from indexers.cache import EmbeddingCache
from matchmaker.models import EmbeddingCacheEntry


def test_a_key_stored_by_another_process_between_read_and_write_is_kept_not_an_error(app, db):
    table = EmbeddingCacheEntry.__table__
    cache = EmbeddingCache(db.engine, table)
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])  # the worker, say, in its own process
    theirs = np.ones(4, dtype=np.float32)

    def store_first(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO embedding_cache") and not store_first.done:
            store_first.done = True  # the other writer commits just before ours
            with other.begin() as connection:
                connection.execute(insert(table), [{"encoder": "e", "text_sha256": "k1", "dimensions": 4,
                                                    "vector": theirs.tobytes()}])
    store_first.done = False
    event.listen(db.engine, "before_cursor_execute", store_first)
    try:
        cache.put_many("e", [("k1", np.zeros(4)), ("k2", np.full(4, 2.0))])
    finally:
        event.remove(db.engine, "before_cursor_execute", store_first)
        other.dispose()
    stored = cache.get_many("e", ["k1", "k2"])
    assert store_first.done and np.array_equal(stored["k1"], theirs) and np.array_equal(stored["k2"], np.full(4, 2.0))
