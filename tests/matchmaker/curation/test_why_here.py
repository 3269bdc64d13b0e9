"""The "Why here" line on each candidate, and a supplier the ranking missed, added by hand, as a judgment."""
import pytest
from sqlalchemy import select

from matchmaker.curation.why import encoder_label, why_here
from matchmaker.dashboard import stats
from matchmaker.dataio.exporter import iter_judgments
from matchmaker.models import Match
from tests.conftest import csrf_token

FULL = {"score": 0.42, "relevance": 0.9, "lexical": {"score": 7.1, "rank": 3},
        "vectors": {"minilm": {"cosine": 0.31, "rank": None}, "e5": {"cosine": 0.8, "rank": 2},
                    "usem3": {"cosine": 0.7, "rank": 1}},
        "fit": {"lead_time": 0.0, "certifications": -0.5, "export": 0.04}}


@pytest.fixture
def rendering(app):
    """A request context, for the interface language."""
    with app.test_request_context():
        yield


def line(explanation) -> str:
    return " · ".join(why_here(explanation))


def test_a_full_breakdown_in_one_line(rendering):
    # Encoders by friendly name, best rank first (one outside its closest is left out); signals by effect.
    assert line({"summary": "Makes brake pads", "breakdown": FULL}) == (
        "Words: #3 · Meaning: #1 (USE), #2 (E5) · Certifications −0.50 · Export experience +0.04 · Lead time +0")


def test_a_partial_breakdown_leaves_out_what_is_missing(rendering):
    partial = {"score": 0.2, "relevance": 0.2, "lexical": None, "vectors": {}, "fit": {}}
    assert line({"breakdown": partial}) == "Words: none in common"
    unranked = {**partial, "vectors": {"usem3": {"cosine": 0.2, "rank": None}}, "fit": {"moq": None}}
    assert line({"breakdown": unranked}) == (
        "Words: none in common · Meaning: not among the closest · Minimum order +0")
    assert line({"breakdown": {"lexical": {"score": 1.0, "rank": None}, "fit": {"export": -0.004}}}) == (
        "Words: in common · Export experience +0")


@pytest.mark.parametrize("explanation", [None, {}, {"summary": "ranked before breakdowns were kept"},
                                         {"breakdown": None}, {"breakdown": "garbled"}])
def test_no_breakdown_no_line(rendering, explanation):
    assert why_here(explanation) == []


def test_encoder_names():
    assert [encoder_label(e) for e in ("minilm", "all-MiniLM-L6-v2", "usem3", "e5", "multilingual_e5_small")] == [
        "MiniLM", "MiniLM", "USE", "E5", "E5"]
    assert encoder_label("bge_m3") == "bge_m3"


def test_the_workspace_shows_the_line_and_keeps_the_breakdown(client, auth, curated, db, make_supplier):
    request, suppliers = curated
    old = make_supplier(name_en="Old Row Co")
    db.session.add(Match(request_id=request.id, supplier_id=old.id, rank=4, status="suggested", explanation=None))
    db.session.commit()
    auth.login("specialist@example.com")
    html = client.get(f"/work/requests/{request.id}").get_data(as_text=True)
    candidates = html.split('data-testid="candidates"')[1].split("</ol>")[0]
    first = candidates.split('data-testid="candidate-card"')[1]
    why = first.split('data-testid="why-here"')[1].split("</p>")[0]
    assert "Why here" in why and "Words: #1" in why and "Meaning: #1 (USE), #2 (MiniLM)" in why
    assert "Certifications +0.05" in why and "Minimum order +0" in why
    # The detailed breakdown stays, folded, under the line.
    assert first.index('data-testid="why-here"') < first.index('<details class="scores" data-testid="breakdown">')
    assert candidates.count('data-testid="why-here"') == 3  # the old row without a breakdown has none
    assert "Old Row Co" in candidates


def test_a_supplier_added_by_hand_is_a_judgment_the_ranking_missed(app, client, auth, curated, db, make_supplier):
    request, ranked = curated
    missed = make_supplier(name_en="Hand Picked Co", industry="auto-parts")
    auth.login("specialist@example.com")
    html = client.get(f"/work/requests/{request.id}").get_data(as_text=True)
    assert "For a supplier the ranking missed" in html.split('id="search"')[1]
    response = client.post(f"/work/requests/{request.id}/add/{missed.id}", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    match = db.session.scalar(select(Match).where(Match.request_id == request.id, Match.supplier_id == missed.id))
    assert (match.status, match.rank, match.judgment) == ("shortlisted", None, 2)
    # Exported as a judgment: grade 2, from a decision (shortlisted), with its provenance.
    records = [r for r in iter_judgments() if r["supplier_id"] == missed.external_id]
    assert len(records) == 1
    assert records[0]["grade"] == 2 and records[0]["decision"] == "shortlisted"
    assert records[0]["decided_by"] == "specialist@example.com"
    # The ranking placed three others and not this one: the only relevant supplier, missed (nDCG and recall 0).
    quality = stats.ranking_quality()
    assert (quality.requests, quality.judgments, quality.ndcg, quality.recall) == (1, 1, 0.0, 0.0)
    # The workspace says so on its card, in place of the "Why here" line (matching never scored it).
    shortlist = client.get(f"/work/requests/{request.id}").get_data(as_text=True) \
        .split('data-testid="shortlist"')[1].split("</ol>")[0]
    assert "Hand Picked Co" in shortlist and 'data-testid="missed"' in shortlist
    assert "Not in the ranking" in shortlist and 'data-testid="why-here"' not in shortlist
    assert "The ranking did not place this supplier" in shortlist.split('data-testid="why-missed"')[1]
