"""The dashboard's numbers and charts, from decisions made through the services."""
from datetime import datetime, timedelta, timezone


from matchmaker.curation import decisions, pipeline
from matchmaker.dashboard import charts, stats
from matchmaker.models import Match
from matchmaker.models._columns import clock_at
from matchmaker.rfq import service as rfq_service
from search.metrics import ndcg, recall


def test_metrics():
    assert ndcg(["a", "b"], {"a": 3, "b": 0}) == 1.0
    assert ndcg(["b", "a"], {"a": 3}) < 1.0
    assert ndcg(["x"], {"a": 0}) == 0.0
    assert recall(["a", "x"], {"a": 3, "b": 3, "c": 1}) == 0.5


def _story(app, db, users, make_request, make_supplier):
    """Two requests: one shortlisted in 2 days with a won deal, one with the ranking's top pick rejected."""
    specialist = users["specialist"]
    posted = datetime.now(timezone.utc) - timedelta(days=20)
    suppliers = [make_supplier(industry="auto-parts", region="경북 구미"), make_supplier(industry="food", region="부산")]
    with app.test_request_context(), clock_at(posted):
        first = make_request(title="Brake pads", industry="auto-parts")
        second = make_request(title="Kimchi", industry="food")
        for row in (first, second):
            for rank, supplier in enumerate(suppliers, start=1):
                db.session.add(Match(request_id=row.id, supplier_id=supplier.id, rank=rank, status="suggested"))
        db.session.commit()
    with app.test_request_context():
        with clock_at(posted + timedelta(days=1)):
            decisions.accept(db.session.get(Match, 1), specialist)
        with clock_at(posted + timedelta(days=2)):
            rfq_service.publish_shortlist(first, specialist)
        with clock_at(posted + timedelta(days=5)):
            pipeline.advance(db.session.get(Match, 1), specialist, "introduced")
        with clock_at(posted + timedelta(days=9)):
            pipeline.advance(db.session.get(Match, 1), specialist, "won")
        decisions.reject(db.session.get(Match, 3), specialist, "wrong_product")
        decisions.accept(db.session.get(Match, 4), specialist)


def test_stats_follow_the_decisions(app, db, users, make_request, make_supplier):
    _story(app, db, users, make_request, make_supplier)
    assert stats.requests_by_status()["shortlisted"] == 1 and stats.requests_by_status()["in_review"] == 1
    times = stats.time_to_shortlist()
    assert times.median_days == 2.0 and times.count == 1
    outcomes = stats.outcomes()
    assert outcomes["industry"].introductions["auto-parts"] == 1 and outcomes["industry"].wins["auto-parts"] == 1
    assert outcomes["region"].wins["Gyeongbuk"] == 1
    assert sum(outcomes["month"].wins.values()) == 1
    quality = stats.ranking_quality()
    # Request 1: the ranking's first is the winner (nDCG 1); request 2: its first was rejected, its second accepted.
    assert quality.requests == 2 and quality.judgments == 3
    assert quality.ndcg == round((1.0 + ndcg([1, 2], {1: 0, 2: 2})) / 2, 3)


def test_the_dashboard_page(app, client, auth, db, users, make_request, make_supplier):
    auth.login("specialist@example.com")
    empty = client.get("/dashboard/").get_data(as_text=True)
    assert "No judgments yet" in empty and "<svg" in empty  # requests by status is drawn even at zero
    _story(app, db, users, make_request, make_supplier)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert html.count("<svg") >= 5 and "<script" not in html  # server-drawn, no scripts
    assert 'data-testid="median-shortlist">2.0<' in html and 'data-testid="wins">1<' in html
    assert "nDCG@10" in html and 'role="img"' in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>")[0].replace('xmlns="http://www.w3.org/2000/svg"', "") \
        .replace("http://www.w3.org/1999/xlink", "").replace("http://pygal.org", "").replace(
            "http://github.com/Kozea/pygal", "")


def test_charts_escape_labels():
    svg = charts.bars("Requests <by> status", {"<b>x</b>": 1}, "n")
    assert "<b>x</b>" not in svg and 'aria-label="Requests &lt;by&gt; status"' in svg
