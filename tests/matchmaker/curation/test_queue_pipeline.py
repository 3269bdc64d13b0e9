"""The queue (filters, sorting, waiting, assign to me), the pipeline (steps, board) and concurrent specialists."""
import threading
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from matchmaker.curation import decisions, pipeline
from matchmaker.models import Introduction, Notification
from matchmaker.models._columns import clock_at
from tests.conftest import PASSWORD, AuthActions, csrf_token

from .conftest import match_of


def rows(html: str) -> str:
    return html.split('data-testid="queue"')[1] if 'data-testid="queue"' in html else ""


def test_queue_tabs_filters_sort_and_waiting(client, auth, users, make_request, db):
    old = datetime.now(timezone.utc) - timedelta(days=10)
    with clock_at(old):
        make_request(title="Old brake pads", industry="auto-parts", buyer_country="DE")
    make_request(title="Fresh kimchi", industry="food", buyer_country="US", deadline=date.today() + timedelta(days=3))
    make_request(title="Done deal", status="closed")
    auth.login("specialist@example.com")
    html = client.get("/work/queue").get_data(as_text=True)
    assert rows(html).index("Old brake pads") < rows(html).index("Fresh kimchi")  # oldest first
    assert "Done deal" not in rows(html)
    assert "1 request has waited more than 48 hours" in html  # the old one only
    newest = rows(client.get("/work/queue?sort=newest").get_data(as_text=True))
    assert newest.index("Fresh kimchi") < newest.index("Old brake pads")
    assert "Old brake pads" not in rows(client.get("/work/queue?industry=food").get_data(as_text=True))
    assert "Fresh kimchi" not in rows(client.get("/work/queue?country=DE").get_data(as_text=True))
    assert "Fresh kimchi" not in rows(client.get("/work/queue?age=7").get_data(as_text=True))
    assert "Done deal" in rows(client.get("/work/queue?tab=closed").get_data(as_text=True))
    waiting = rows(client.get("/work/queue?tab=waiting").get_data(as_text=True))
    assert "Old brake pads" in waiting and "Fresh kimchi" not in waiting
    # Unknown filter values are ignored, never a 500.
    assert client.get("/work/queue?tab=x&industry=y&country=ZZ&assignee=abc&age=5&sort=z&page=1").status_code == 200


def test_assign_to_me_and_the_assignee_filter(client, auth, users, make_request, db):
    row = make_request(title="Brake pads")
    auth.login("specialist@example.com")
    html = client.get("/work/queue").get_data(as_text=True)
    client.post(f"/work/requests/{row.id}/assign", data={"csrf_token": csrf_token(html), "version": row.version,
                                                         "to": "me", "back": "queue"})
    db.session.refresh(row)
    assert row.assignee_id == users["specialist"].id
    assert "Brake pads" in rows(client.get("/work/queue?assignee=me").get_data(as_text=True))
    assert "Brake pads" not in rows(client.get("/work/queue?assignee=none").get_data(as_text=True))


def test_the_waiting_time_is_configurable(tmp_path, database):
    from tests.conftest import make_app
    from matchmaker.extensions import db as _db
    from matchmaker.curation.queue import waiting_count
    from matchmaker.models import BuyerRequest
    app = make_app(tmp_path, database, QUEUE_WAITING_HOURS=2)
    with app.app_context():
        from tests.conftest import reset_database
        reset_database()
        _db.create_all()
        with clock_at(datetime.now(timezone.utc) - timedelta(hours=3)):
            _db.session.add(BuyerRequest(title="t", description="d"))
            _db.session.commit()
        assert waiting_count() == 1
        reset_database()


def test_concurrent_assign_to_me_gives_the_request_to_exactly_one(app, users, make_request, db):
    """Four specialists press "assign to me" on the same page version at the same moment."""
    from matchmaker.cli.users import create_user
    names = [f"s{i}@example.com" for i in range(4)]
    for name in names:
        create_user(name, PASSWORD, "specialist")
    row = make_request(title="Contested")
    request_id, version = row.id, row.version
    barrier, results = threading.Barrier(len(names)), {}

    def press(email):
        client = app.test_client()  # a thread of its own: its own app context and session
        AuthActions(client).login(email)
        token = csrf_token(client.get("/work/queue").get_data(as_text=True))
        barrier.wait()
        client.post(f"/work/requests/{request_id}/assign", data={"csrf_token": token, "version": version,
                                                                 "to": "me"})
        results[email] = client.get(f"/work/requests/{request_id}").get_data(as_text=True)

    threads = [threading.Thread(target=press, args=(email,)) for email in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.refresh(row)
    winners = [email for email in names if "The request is yours." in results[email]]
    refused = [email for email in names if "changed by someone else" in results[email]]
    assert len(winners) == 1 and len(refused) == len(names) - 1
    assert row.assignee.email == winners[0] and row.version == version + 1


def test_concurrent_decisions_on_one_supplier_keep_exactly_one(app, curated, users, db):
    """Two specialists decide on the same candidate at once: one wins, the other is told, nothing is lost."""
    from matchmaker.cli.users import create_user
    create_user("other@example.com", PASSWORD, "specialist")
    request, (first, *_) = curated
    match = match_of(db, request, first)
    match_id, revision = match.id, match.revision
    barrier, pages = threading.Barrier(2), {}

    def decide(email, action, reason):
        client = app.test_client()
        AuthActions(client).login(email)
        token = csrf_token(client.get(f"/work/requests/{request.id}").get_data(as_text=True))
        barrier.wait()
        client.post(f"/work/matches/{match_id}/decide", data={"csrf_token": token, "action": action,
                                                              "revision": revision, "reason": reason})
        pages[email] = client.get(f"/work/requests/{request.id}").get_data(as_text=True)

    threads = [threading.Thread(target=decide, args=("specialist@example.com", "accept", "")),
               threading.Thread(target=decide, args=("other@example.com", "reject", "lead_time"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.refresh(match)
    assert match.revision == revision + 1 and match.status in ("shortlisted", "rejected")
    assert len(match.steps) == 1  # exactly one decision was recorded
    stale = [email for email, html in pages.items() if "Someone else changed this supplier" in html]
    assert len(stale) == 1


def test_pipeline_steps_with_dates_notes_and_a_lost_reason(client, auth, curated, users, db):
    request, (first, second, _) = curated
    decisions.accept(match_of(db, request, first), users["specialist"])
    decisions.accept(match_of(db, request, second), users["specialist"])
    match = match_of(db, request, first)
    auth.login("specialist@example.com")
    page = f"/work/matches/{match.id}"
    html = client.get(page).get_data(as_text=True)
    assert 'value="introduced" selected' in html or '<option selected value="introduced">' in html
    today = date.today().isoformat()
    for stage, note in (("introduced", "Intro call done"), ("meeting", "Met at the expo"), ("sample", ""),
                        ("negotiating", "Price talks"), ("won", "PO signed")):
        db.session.refresh(match)
        client.post(page, data={"csrf_token": csrf_token(client.get(page).get_data(as_text=True)), "stage": stage,
                                "happened_on": today, "note": note, "revision": match.revision})
    db.session.refresh(match)
    assert match.status == "won" and match.judgment == 3
    assert [s.status for s in match.steps] == ["shortlisted", "introduced", "meeting", "sample", "negotiating", "won"]
    assert "PO signed" in client.get(page).get_data(as_text=True)
    # The buyer heard about the introduction.
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == users["buyer"].id)) == \
        "introduction_made"
    # Lost needs a reason; a date before the request existed is refused.
    other = match_of(db, request, second)
    form = {"csrf_token": csrf_token(client.get(page).get_data(as_text=True)), "stage": "lost", "revision": other.revision}
    client.post(f"/work/matches/{other.id}", data=form)
    db.session.refresh(other)
    assert other.status == "shortlisted"
    client.post(f"/work/matches/{other.id}", data={**form, "happened_on": "2001-01-01", "reason": "price"})
    db.session.refresh(other)
    assert other.status == "shortlisted"
    client.post(f"/work/matches/{other.id}", data={**form, "reason": "price"})
    db.session.refresh(other)
    assert (other.status, other.reason, other.judgment) == ("lost", "price", 1)
    # Garbage never breaks the page.
    for bad in ({"stage": "exploded"}, {"stage": "won", "happened_on": "31/31/2026"}, {"stage": "won", "revision": "x"}):
        assert client.post(f"/work/matches/{other.id}", data={"csrf_token": form["csrf_token"], **bad}).status_code in (
            200, 302)


def test_the_board_filters_by_stage_industry_and_specialist(client, auth, curated, users, db, make_supplier):
    request, (first, second, third) = curated
    request.assignee_id = users["specialist"].id
    db.session.commit()
    decisions.accept(match_of(db, request, first), users["specialist"])
    decisions.accept(match_of(db, request, second), users["specialist"])
    pipeline.advance(match_of(db, request, second), users["specialist"], "meeting", note="Booth B12")
    db.session.add(Introduction(request_id=request.id, supplier_id=third.id, buyer_id=users["buyer"].id,
                                message="Please introduce us"))
    db.session.commit()
    auth.login("specialist@example.com")
    board = client.get("/work/pipeline").get_data(as_text=True)
    assert "Please introduce us" not in board and "Brake Co 3" in board.split('data-testid="waiting-introductions"')[1]
    rows_ = board.split('data-testid="pipeline"')[1]
    assert "Brake Co 1" in rows_ and "Brake Co 2" in rows_ and "Booth B12" in rows_
    meeting = client.get("/work/pipeline?stage=meeting").get_data(as_text=True).split('data-testid="pipeline"')[1]
    assert "Brake Co 2" in meeting and "Brake Co 1" not in meeting
    assert 'data-testid="pipeline"' not in client.get("/work/pipeline?industry=food").get_data(as_text=True)
    assert 'data-testid="pipeline"' not in client.get(
        f"/work/pipeline?specialist={users['admin'].id}").get_data(as_text=True)
    assert "Brake Co 2" in client.get("/work/pipeline?specialist=me").get_data(as_text=True)
    # Introduction requests are answered from the board: the match steps to introduced.
    intro = db.session.scalar(select(Introduction))
    client.post(f"/work/introductions/{intro.id}/done", data={"csrf_token": csrf_token(board), "back": "pipeline"})
    db.session.refresh(intro)
    assert intro.status == "introduced" and match_of(db, request, third).status == "introduced"
    assert client.get("/work/pipeline?stage=nonsense&industry=x&specialist=y").status_code == 200
