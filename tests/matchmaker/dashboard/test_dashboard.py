"""The dashboard's numbers and charts, from decisions made through the services."""
import re
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


def _rows(table: str) -> list[list[str]]:
    """A table's body rows as the text of their cells (markup dropped)."""
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def _month_start(month: str, hour: int = 9) -> datetime:
    year, number = map(int, month.split("-"))
    return datetime(year, number, 1, hour, tzinfo=timezone.utc)


def _ranked(db, request, suppliers, at, profile):
    """Store ``suppliers`` as ``request``'s ranking, as matching would: ranked in order, when and by what profile."""
    rows = [Match(request_id=request.id, supplier_id=s.id, rank=rank, status="suggested", matched_at=at,
                  ranked_by=profile) for rank, s in enumerate(suppliers, start=1)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def _history(app, db, users, make_request, make_supplier):
    """Four judged requests: last month by tuned-1, this month by an old row (NULL) and tuned-1, two years ago."""
    specialist = users["specialist"]
    earlier, this = stats.last_months()[-2:]
    s1, s2, s3 = make_supplier(), make_supplier(), make_supplier()
    with app.test_request_context():
        hit = _ranked(db, make_request(), [s1, s2], _month_start(earlier), "tuned-1")
        decisions.accept(hit[0], specialist)  # the ranking's first pick: nDCG 1, recall 1
        second = _ranked(db, make_request(), [s1, s2], _month_start(this, 9), None)
        decisions.reject(second[0], specialist, "wrong_product")
        decisions.accept(second[1], specialist)
        missed = make_request()
        _ranked(db, missed, [s1], _month_start(this, 11), "tuned-1")
        decisions.add_by_hand(missed, s3, specialist)  # the ranking missed the only relevant supplier: 0 and 0
        old = _ranked(db, make_request(), [s1, s2], datetime.now(timezone.utc) - timedelta(days=730), "old")
        decisions.accept(old[1], specialist)
    return earlier, this, s1, s2


def test_ranking_quality_by_month_and_by_profile(app, db, users, make_request, make_supplier):
    earlier, this, s1, s2 = _history(app, db, users, make_request, make_supplier)
    quality = stats.ranking_quality()
    second = ndcg([s1.id, s2.id], {s1.id: 0, s2.id: 2})
    assert quality.requests == 4 and quality.judgments == 5
    # Each request in the month its ranking was stored; two years ago is outside the chart's months.
    assert list(quality.by_month) == [earlier, this]
    assert quality.by_month[earlier] == stats.Score(1.0, 1.0, 1)
    assert quality.by_month[this] == stats.Score(round(second / 2, 3), 0.5, 2)
    # By the profile that ranked each request, the most recently used first; NULL (older rows) is "default".
    assert list(quality.by_profile) == ["tuned-1", "default", "old"]
    assert quality.by_profile["tuned-1"] == stats.Score(0.5, 0.5, 2)
    assert quality.by_profile["default"] == stats.Score(round(second, 3), 1.0, 1)
    assert quality.by_profile["old"].requests == 1
    assert quality.ndcg == round((1.0 + second + 0.0 + second) / 4, 3)


def test_the_page_shows_quality_over_time_profiles_and_activations(app, client, auth, db, users, make_request,
                                                                  make_supplier):
    auth.login("specialist@example.com")
    empty = client.get("/dashboard/").get_data(as_text=True)
    # Nothing judged, nothing activated: no chart over time, the configured profile named as served.
    assert 'data-testid="quality-by-month"' not in empty
    assert 'data-testid="live-profile">default<' in empty
    assert "No profile was activated yet; the configured profile is served." in empty
    earlier, this, *_ = _history(app, db, users, make_request, make_supplier)
    html = client.get("/dashboard/").get_data(as_text=True)
    over_time = html.split('data-testid="quality-by-month"')[1].split("</section>")[0]
    assert "<svg" in over_time and 'aria-label="Ranking quality by month"' in over_time and "<script" not in over_time
    numbers = _rows(over_time.split('data-testid="quality-month-table"')[1])
    assert [row[0] for row in numbers] == [earlier, this]
    assert numbers[0] == [earlier, "1.000", "100%", "1"] and numbers[1][2:] == ["50%", "2"]
    profiles = _rows(html.split('data-testid="profile-table"')[1].split("</table>")[0])
    # Nothing was activated: the configured "default" is live, the profile older rows (NULL) stand for.
    assert [row[0] for row in profiles] == ["tuned-1", "default live", "old"]
    assert profiles[0] == ["tuned-1", "0.500", "50%", "2"]
    assert "No profile was activated yet" in html


def test_activations_are_listed_newest_first_and_the_live_profile_named(app, client, auth, db, users):
    from dataclasses import replace

    from matchmaker.matching import registry
    from matchmaker.matching.profile import load_profile
    with app.test_request_context():
        registry.save(replace(load_profile("default"), name="tuned-1"), source="tune", parent="default")
        with clock_at(datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)):
            registry.activate("tuned-1", note="better recall on food requests")
        with clock_at(datetime(2026, 4, 7, 16, 5, tzinfo=timezone.utc)):
            registry.rollback()
        db.session.commit()
    assert [name for name, *_ in stats.activations()] == ["default", "tuned-1", "default"]  # newest first
    auth.login("admin@example.com")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'data-testid="live-profile">default<' in html
    assert _rows(html.split('data-testid="activations"')[1].split("</table>")[0]) == [
        ["default", "2026-04-07 16:05", "rollback from tuned-1"],
        ["tuned-1", "2026-03-02 09:30", "better recall on food requests"],
        ["default", "2026-03-02 09:30", "served before the first activation"]]
    assert "No profile was activated yet" not in html


def test_score_chart_axis_is_fixed_from_0_to_1():
    svg = charts.scores("Quality", ["2026-01", "2026-02"], {"nDCG@10": [0.5, None], "recall@10": [None, 0.25]})
    assert "<script" not in svg and 'role="img"' in svg
    assert ">0.2<" in svg and ">1<" in svg and ">0.21<" not in svg
