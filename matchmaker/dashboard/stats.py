"""What the dashboard counts: requests by status, time to shortlist, introductions and wins, ranking quality.

Plain queries; the view draws them (:mod:`.charts`).
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from search.metrics import K, ndcg, recall

from ..display.regions import province_en
from ..domain import REQUEST_STATUSES
from ..extensions import db
from ..models import BuyerRequest, Match, MatchStep, RequestEvent, Supplier
from ..models._columns import as_utc, utcnow

MONTHS = 12  # how far back the monthly charts go


def requests_by_status() -> dict[str, int]:
    """How many requests are in each status (every status, zeros included)."""
    found = dict(db.session.execute(select(BuyerRequest.status, func.count()).group_by(BuyerRequest.status)).all())
    return {status: found.get(status, 0) for status in REQUEST_STATUSES}


@dataclass
class ShortlistTimes:
    """Days from posting to the first published shortlist."""

    median_days: float | None
    count: int
    by_month: dict[str, float]  # "2026-05": median days of shortlists published that month


def time_to_shortlist() -> ShortlistTimes:
    """Median days from a request's posting to its first published shortlist, overall and by month."""
    first = (select(RequestEvent.request_id, func.min(RequestEvent.created_at).label("at"))
             .where(RequestEvent.kind == "shortlist_published").group_by(RequestEvent.request_id).subquery())
    rows = db.session.execute(select(BuyerRequest.created_at, first.c.at)
                              .join(first, first.c.request_id == BuyerRequest.id)).all()
    days, by_month = [], defaultdict(list)
    for posted, published in rows:
        span = (as_utc(published) - as_utc(posted)).total_seconds() / 86400
        days.append(span)
        by_month[as_utc(published).strftime("%Y-%m")].append(span)
    return ShortlistTimes(round(statistics.median(days), 1) if days else None, len(days),
                          {month: round(statistics.median(v), 1) for month, v in sorted(by_month.items())
                           if month in last_months()})


def last_months(count: int = MONTHS) -> list[str]:
    """The last ``count`` months as "YYYY-MM", oldest first, this month last."""
    today = utcnow().date()
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass
class Outcomes:
    """Introductions made and contracts won, by a dimension (industry, region, month)."""

    introductions: Counter
    wins: Counter

    def keys(self) -> list[str]:
        """Every key seen, most introductions first."""
        return sorted(set(self.introductions) | set(self.wins), key=lambda k: (-self.introductions[k], -self.wins[k], k))


def _steps(status: str):
    # One row per match that reached ``status``: its first such step's date and the supplier.
    first = (select(MatchStep.match_id, func.min(MatchStep.happened_on).label("on"))
             .where(MatchStep.status == status).group_by(MatchStep.match_id).subquery())
    return db.session.execute(select(first.c.on, Supplier.industry, Supplier.region)
                              .join(Match, Match.id == first.c.match_id)
                              .join(Supplier, Supplier.id == Match.supplier_id)).all()


def outcomes() -> dict[str, Outcomes]:
    """Introductions and wins by supplier industry, by supplier region (province) and by month."""
    result = {name: Outcomes(Counter(), Counter()) for name in ("industry", "region", "month")}
    for status, attribute in (("introduced", "introductions"), ("won", "wins")):
        for on, industry, region in _steps(status):
            month = (on if isinstance(on, date) else date.fromisoformat(str(on))).strftime("%Y-%m")
            getattr(result["industry"], attribute)[industry] += 1
            getattr(result["region"], attribute)[province_en(region) or "—"] += 1
            getattr(result["month"], attribute)[month] += 1
    return result


@dataclass
class RankingQuality:
    """How the live ranking's stored order scores against the team's judgments."""

    ndcg: float | None
    recall: float | None
    requests: int  # requests with at least one positive judgment
    judgments: int


def ranking_quality() -> RankingQuality:
    """Mean nDCG@10 and recall@10 of each judged request's ranked candidates (as matching last stored them).

    A judged supplier the ranking did not place (added by hand, or fallen off
    the list) counts as missed, so the number says how well the ranking
    served the team, not only how it ordered what it found.
    """
    grades: dict[int, dict[int, int]] = defaultdict(dict)
    ranked: dict[int, list[tuple[int, int]]] = defaultdict(list)
    count = 0
    for match in db.session.scalars(select(Match).where(
            (Match.grade.is_not(None)) | (Match.status != "suggested") | (Match.rank.is_not(None)))):
        if match.rank is not None:
            ranked[match.request_id].append((match.rank, match.supplier_id))
        if match.judgment is not None:
            grades[match.request_id][match.supplier_id] = match.judgment
            count += 1
    judged = [request_id for request_id, g in grades.items() if any(value > 0 for value in g.values())]
    if not judged:
        return RankingQuality(None, None, 0, count)
    ndcgs, recalls = [], []
    for request_id in judged:
        order = [supplier for _, supplier in sorted(ranked[request_id])]
        ndcgs.append(ndcg(order, grades[request_id], K))
        recalls.append(recall(order, grades[request_id], K))
    return RankingQuality(round(statistics.fmean(ndcgs), 3), round(statistics.fmean(recalls), 3), len(judged), count)
