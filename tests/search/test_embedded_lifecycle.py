"""The embedded backend in a long-lived process: old versions are closed, connections are not leaked."""
import os
import threading

import numpy as np
import pytest

from search.documents import Document
from search.embedded import EmbeddedBackend

from .conftest import SCHEMA


def _doc(i: int, word: str = "valve") -> Document:
    vector = np.zeros(8, dtype=np.float32)
    vector[i % 8] = 1.0
    return Document(id=f"s{i}", text={"name": f"{word} maker {i}", "products": "", "description": ""},
                    keywords={"industry": ["machinery"]}, numbers={"smart_factory_level": 2},
                    vectors={"vec": vector})


def _build(backend: EmbeddedBackend, n: int = 30) -> str:
    version = backend.create_version()
    backend.bulk_index((_doc(i) for i in range(n)), version)
    backend.promote(version)
    return version


def _search(backend: EmbeddedBackend) -> None:
    hits, total = backend.lexical("valve", (), 10)
    assert total > 0 and hits
    assert backend.knn("vec", np.ones(8), (), 5)


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def backend(tmp_path):
    backend = EmbeddedBackend(tmp_path / "index", SCHEMA)
    yield backend
    backend.close()


def test_a_new_live_version_closes_the_old_one_on_the_next_call(backend):
    first = _build(backend)
    _search(backend)
    assert backend.open_versions() == [first]
    second = _build(backend)
    _search(backend)
    assert backend.open_versions() == [second]


def test_a_version_still_in_use_is_closed_when_its_last_call_ends(backend):
    first = _build(backend)
    with backend._using(first) as opened:  # a search that started before the swap and is still running
        _build(backend)
        _search(backend)
        assert first in backend.open_versions()
        assert opened.lexical("valve", (), 5, ())[0]  # its connection still works
    assert first not in backend.open_versions()


def test_connections_of_finished_threads_are_closed(backend):
    _build(backend)
    _search(backend)
    for _ in range(3):  # a development server starts a thread per request
        threads = [threading.Thread(target=_search, args=(backend,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with backend._using() as live:
        # The main thread's connection, plus at most the last batch's (closed when a new thread connects).
        assert live.connections() <= 9
    worker = threading.Thread(target=_search, args=(backend,))
    worker.start()
    worker.join()
    with backend._using() as live:
        assert live.connections() == 2  # the main thread and the last worker; the eight before were closed


def test_a_thread_reuses_its_connection(backend):
    _build(backend)
    with backend._using() as live:
        assert live.db is live.db
    _search(backend)
    with backend._using() as live:
        assert live.connections() == 1


def test_ten_swaps_leave_open_files_and_memory_flat(backend):
    _build(backend, n=200)
    for _ in range(2):
        _search(backend)
    files = _open_files()
    versions = []
    for _ in range(10):
        old = backend.live_version()
        versions.append(_build(backend, n=200))
        threads = [threading.Thread(target=_search, args=(backend,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        _search(backend)
        backend.drop_version(old)  # what the reindex job's retention does
    assert backend.open_versions() == [versions[-1]]
    # The live version's connections (this thread and the last four) and nothing of the ten swapped out.
    assert _open_files() <= files + 4 * 3
    with backend._using() as live:
        assert live.connections() <= 5


def test_a_copy_holds_the_same_documents_shares_the_vector_files_and_is_not_promoted(backend):
    live = backend.create_version()
    backend.bulk_index((_doc(i) for i in range(30)), live)
    backend.set_build_info(live, {"fingerprint": "f", "since": "2026-11-22T00:00:00+00:00"})
    backend.promote(live)  # freezes the vectors into memory-mapped files
    copy = backend.copy_version(live)
    assert backend.doc_ids(copy) == backend.doc_ids(live) == {f"s{i}" for i in range(30)}
    assert backend.build_info(copy) == {} and backend.build_info(live)["fingerprint"] == "f"
    assert {v.name: v.promoted for v in backend.versions()} == {live: True, copy: False}
    frozen = sorted((backend.root / "versions" / live).glob("vectors-*.npy"))
    assert frozen and all((backend.root / "versions" / copy / f.name).stat().st_ino == f.stat().st_ino
                          for f in frozen)  # hard links: no second copy of the vectors on disk
    backend.delete(["s0"], copy)  # the copy changes alone
    assert "s0" in backend.doc_ids(live) and "s0" not in backend.doc_ids(copy)
    vector = np.eye(8, dtype=np.float32)[0]
    assert [doc_id for doc_id, _ in backend.knn("vec", vector, (), 4, live)][0] == "s0"
    assert "s0" not in [doc_id for doc_id, _ in backend.knn("vec", vector, (), 4, copy)]
