"""``matchmaker demo load`` fills an empty database once and makes demo accounts."""
import json
import stat
from pathlib import Path

from sqlalchemy import func, select

from matchmaker.demo.loader import LOGINS_FILE
from matchmaker.models import BuyerRequest, Supplier, User

DEMO = Path(__file__).resolve().parents[3] / "data" / "demo"


def small_demo(tmp_path, n=30):
    folder = tmp_path / "demo"
    folder.mkdir()
    for name in ("suppliers.jsonl", "requests.jsonl"):
        (folder / name).write_bytes(b"\n".join((DEMO / name).read_bytes().splitlines()[:n]) + b"\n")
    return str(folder)


def test_load_then_load_again_keeps_data(app, db, runner, tmp_path):
    data = small_demo(tmp_path)
    first = runner.invoke(args=["demo", "load", "--data", data])
    assert first.exit_code == 0, first.output
    assert "suppliers: 30 created" in first.output
    assert db.session.scalar(select(func.count(Supplier.id))) == 30
    buyer = db.session.scalar(select(User).where(User.role == "buyer"))
    assert db.session.scalar(select(func.count(BuyerRequest.id)).where(BuyerRequest.buyer_id == buyer.id)) == 5

    # An operator edits a supplier; a second load must not undo it or duplicate anything.
    supplier = db.session.scalar(select(Supplier).where(Supplier.external_id == "KR-SME-00001"))
    supplier.name = "편집됨"
    db.session.commit()
    second = runner.invoke(args=["demo", "load", "--data", data])
    assert second.exit_code == 0 and "not loaded again" in second.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Supplier.id))) == 30
    assert db.session.scalar(select(Supplier.name).where(Supplier.external_id == "KR-SME-00001")) == "편집됨"
    assert db.session.scalar(select(func.count(User.id))) == 4  # a buyer, two specialists, an admin


def test_demo_load_builds_the_index_and_matches_every_request(app, db, runner, tmp_path):
    from matchmaker.models import Match
    result = runner.invoke(args=["demo", "load", "--data", small_demo(tmp_path, 40)])
    assert result.exit_code == 0, result.output
    assert "Indexed 40 documents" in result.output and "Matched 40 request(s)" in result.output
    requests = db.session.scalars(select(BuyerRequest)).all()
    matched = {m.request_id for m in db.session.scalars(select(Match))}
    assert matched == {r.id for r in requests}  # every request page has candidates
    ranked = db.session.scalars(select(Match).where(Match.rank.is_not(None))).all()
    assert ranked and all(m.explanation and m.explanation["summary"] for m in ranked)


def test_demo_load_writes_months_of_past_work(app, db, runner, tmp_path):
    from datetime import datetime, timedelta, timezone
    from matchmaker.models import Match, MatchStep
    from matchmaker.models._columns import as_utc
    result = runner.invoke(args=["demo", "load", "--data", small_demo(tmp_path, 40)])
    assert result.exit_code == 0 and "Demo history:" in result.output, result.output
    statuses = set(db.session.scalars(select(BuyerRequest.status)))
    assert {"new", "in_review", "shortlisted"} <= statuses  # the queue has work in every tab
    assert db.session.scalar(select(func.count(BuyerRequest.id)).where(BuyerRequest.assignee_id.is_not(None))) > 5
    stages = set(db.session.scalars(select(Match.status)))
    assert {"shortlisted", "rejected", "introduced"} <= stages
    oldest = db.session.scalar(select(func.min(BuyerRequest.created_at)))
    assert as_utc(oldest) < datetime.now(timezone.utc) - timedelta(days=60)  # spread over months
    assert db.session.scalar(select(func.count(MatchStep.id))) > 20
    # Every decision has its author and date: the demo's judgments are exportable with provenance.
    decided = db.session.scalars(select(Match).where(Match.status != "suggested")).all()
    assert decided and all(m.decided_by_id and m.decided_at for m in decided)


def test_demo_logins_are_random_private_and_work(app, db, runner, tmp_path, client, auth):
    runner.invoke(args=["demo", "load", "--data", small_demo(tmp_path)])
    path = Path(app.instance_path) / LOGINS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    logins = json.loads(path.read_text())
    assert {entry["role"] for entry in logins.values()} == {"buyer", "specialist", "admin"}
    printed = runner.invoke(args=["demo", "logins"]).output
    for email, entry in logins.items():
        assert email in printed and entry["password"] in printed
        assert auth.login(email, entry["password"]).status_code == 302
        auth.logout()


def test_production_never_creates_or_prints_demo_logins(tmp_path, database):
    from matchmaker.extensions import db as _db
    from tests.conftest import make_app, reset_database
    app = make_app(tmp_path, database, ENV_NAME="production", SECRET_KEY="x" * 32)
    with app.app_context():
        reset_database()
        _db.create_all()
        runner = app.test_cli_runner()
        result = runner.invoke(args=["demo", "load", "--data", small_demo(tmp_path, 3)])
        assert result.exit_code == 0 and "demo account" not in result.output
        assert _db.session.scalar(select(func.count(User.id))) == 0
        logins = runner.invoke(args=["demo", "logins"])
        assert logins.exit_code == 1 and "development mode only" in logins.output
        reset_database()


def test_missing_demo_files_are_a_clear_error(app, db, runner, tmp_path):
    result = runner.invoke(args=["demo", "load", "--data", str(tmp_path)])
    assert result.exit_code == 1 and "suppliers.jsonl is missing" in result.output


def test_logins_before_load_says_what_to_do(app, db, runner):
    result = runner.invoke(args=["demo", "logins"])
    assert result.exit_code == 1 and "matchmaker demo load" in result.output
