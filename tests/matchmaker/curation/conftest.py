"""A request with ranked candidates, as matching would have stored them, and a signed-in specialist."""
import pytest

from matchmaker.models import Match
from tests.conftest import csrf_token

BREAKDOWN = {"score": 0.81, "relevance": 0.7, "lexical": {"score": 12.5, "rank": 1},
             "vectors": {"all-MiniLM-L6-v2": {"cosine": 0.62, "rank": 2}, "usem3": {"cosine": 0.55, "rank": 1}},
             "fit": {"certifications": 0.05, "moq": 0.0}}


@pytest.fixture
def curated(db, users, make_request, make_supplier):
    """A buyer's request with three ranked candidates."""
    request = make_request(title="Brake pads", buyer_id=users["buyer"].id, industry="auto-parts", buyer_country="DE")
    suppliers = [make_supplier(name=f"브레이크 {i}", name_en=f"Brake Co {i}", industry="auto-parts")
                 for i in range(1, 4)]
    for rank, supplier in enumerate(suppliers, start=1):
        db.session.add(Match(request_id=request.id, supplier_id=supplier.id, rank=rank, score=1 - rank / 10,
                             status="suggested", explanation={
                                 "summary": f"Makes brake pads {rank}", "breakdown": BREAKDOWN,
                                 "signals": [{"name": "certifications", "effect": 0.05, "status": "met",
                                              "detail": "has IATF 16949"}]}))
    db.session.commit()
    return request, suppliers


def match_of(db, request, supplier) -> Match:
    from sqlalchemy import select
    return db.session.scalar(select(Match).where(Match.request_id == request.id, Match.supplier_id == supplier.id))


def act(client, match: Match, action: str, revision=None, **data):
    """Post a decision as the workspace's buttons do (the page's CSRF token and the revision seen)."""
    from matchmaker.extensions import db
    db.session.refresh(match)
    token = csrf_token(client.get(f"/work/requests/{match.request_id}").get_data(as_text=True))
    return client.post(f"/work/matches/{match.id}/decide", data={
        "csrf_token": token, "action": action, "revision": match.revision if revision is None else revision,
        **data})
