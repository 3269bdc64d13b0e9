"""A backup taken while another connection writes holds exactly the transactions committed before it began."""
import sqlite3
import threading
import time

from matchmaker.backup import create_backup, restore_backup
from matchmaker.backup.sqlite import online_copy

PAIRS = "probe"  # a table of row pairs, each pair written by one transaction


def start_writer(path, stop: threading.Event, committed: list[int]) -> threading.Thread:
    """A thread inserting two rows per transaction into ``path`` until ``stop``; ``committed[0]``: pairs so far."""
    def write():
        connection = sqlite3.connect(path, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")  # as the app's own connections (matchmaker.extensions)
        while not stop.is_set():
            with connection:
                connection.executemany(f"INSERT INTO {PAIRS} (payload) VALUES (?)", [(b"x" * 200,)] * 2)
            committed[0] += 1
        connection.close()
    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def wait_for(committed: list[int], pairs: int) -> None:
    """Until the writer has committed ``pairs`` transactions (failing after 10 s, should it have died)."""
    deadline = time.monotonic() + 10
    while committed[0] < pairs:
        assert time.monotonic() < deadline, "the writer thread stopped writing"
        time.sleep(0.001)


def padded_database(path):
    """The test database with the probe table and a few MB of data, so a copy takes measurable time."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(f"CREATE TABLE {PAIRS} (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        connection.execute("CREATE TABLE ballast (data BLOB NOT NULL)")
        connection.executemany("INSERT INTO ballast VALUES (?)", [(bytes(64 * 1024),)] * 96)


def test_a_copy_during_writes_is_a_consistent_snapshot(app, tmp_path):
    database = tmp_path / "test.sqlite3"
    padded_database(database)
    stop, committed = threading.Event(), [0]
    writer = start_writer(database, stop, committed)
    try:
        wait_for(committed, 50)  # writing for a while, some of it still in the -wal file
        copies = []
        for number in range(5):
            before = committed[0]
            online_copy(database, tmp_path / f"copy-{number}.sqlite3")
            copies.append((before, committed[0], tmp_path / f"copy-{number}.sqlite3"))
    finally:
        stop.set()
        writer.join()
    assert any(after > before for before, after, _ in copies), "the writer never overlapped a copy"
    for before, after, path in copies:
        with sqlite3.connect(path) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            rows = copy.execute(f"SELECT count(*) FROM {PAIRS}").fetchone()[0]
            assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file, no -wal to lose
        # Whole transactions only, none committed before the copy missing.
        assert rows % 2 == 0 and before <= rows // 2 <= after


def test_a_backup_while_the_database_is_written_restores(app, db, fresh, tmp_path):
    database = tmp_path / "test.sqlite3"
    db.engine.dispose()
    padded_database(database)
    stop, committed = threading.Event(), [0]
    writer = start_writer(database, stop, committed)
    try:
        wait_for(committed, 20)
        before = committed[0]
        archive = create_backup(tmp_path / "busy.tar.gz", with_index=False).path
    finally:
        stop.set()
        writer.join()
    target = fresh()
    with target.app_context():
        restored = restore_backup(archive)
        assert restored.reindex_error is None
        with sqlite3.connect(tmp_path / "fresh" / "test.sqlite3") as copy:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            pairs, odd = copy.execute(f"SELECT count(*) / 2, count(*) % 2 FROM {PAIRS}").fetchone()
    assert odd == 0 and before <= pairs <= committed[0]
