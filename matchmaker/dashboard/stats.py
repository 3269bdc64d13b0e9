"""What the dashboard counts: requests by status, time to shortlist, introductions and wins, ranking quality
(overall, by month and by ranking profile).

Plain queries; the view draws them (:mod:`.charts`).
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from search.metrics import K, ndcg, recall

from ..display.regions import province_en
from ..domain import REQUEST_STATUSES
from ..extensions import db
from ..matching import registry
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
class Score:
    """Mean nDCG@10 and recall@10 over a group of judged requests."""

    ndcg: float
    recall: float
    requests: int


@dataclass
class RankingQuality:
    """How the stored rankings score against the team's judgments: overall, by month and by ranking profile."""

    ndcg: float | None
    recall: float | None
    requests: int  # requests with at least one positive judgment
    judgments: int
    by_month: dict[str, Score] = field(default_factory=dict)  # "2026-05" (when ranked, UTC): the last MONTHS only
    by_profile: dict[str, Score] = field(default_factory=dict)  # profile name: the most recently used first


@dataclass
class _Judged:
    # One request's judgments and stored ranking, gathered in one pass over its matches.
    grades: dict[int, int] = field(default_factory=dict)
    ranked: list[tuple[int, int]] = field(default_factory=list)  # (rank, supplier id)
    ranked_at: datetime | None = None  # when matching stored the ranking (its ranked rows' matched_at)
    ranked_by: str | None = None
    fallback_at: datetime | None = None  # when nothing is ranked: the latest any of its rows was matched or made
    fallback_by: str | None = None

    def stamp(self) -> tuple[datetime, str]:
        """When the scored ranking was made (UTC) and the profile that made it (NULL stands for "default")."""
        at, by = (self.ranked_at, self.ranked_by) if self.ranked_at else (self.fallback_at, self.fallback_by)
        return as_utc(at).astimezone(timezone.utc), by or "default"


def _gather() -> tuple[dict[int, _Judged], int]:
    judged = (Match.grade.is_not(None)) | (Match.status != "suggested")
    # Only the columns the scores need (no explanations), and only requests somebody judged.
    rows = db.session.scalars(
        select(Match).options(load_only(Match.request_id, Match.supplier_id, Match.rank, Match.grade, Match.status,
                                        Match.matched_at, Match.ranked_by, Match.created_at))
        .where(Match.request_id.in_(select(Match.request_id).where(judged)), judged | Match.rank.is_not(None)))
    requests: dict[int, _Judged] = defaultdict(_Judged)
    count = 0
    for match in rows:
        item = requests[match.request_id]
        if match.rank is not None:
            item.ranked.append((match.rank, match.supplier_id))
            if match.matched_at and (item.ranked_at is None or as_utc(match.matched_at) > item.ranked_at):
                item.ranked_at, item.ranked_by = as_utc(match.matched_at), match.ranked_by
        at = as_utc(match.matched_at or match.created_at)
        if item.fallback_at is None or at > item.fallback_at:
            item.fallback_at, item.fallback_by = at, match.ranked_by
        if match.judgment is not None:
            item.grades[match.supplier_id] = match.judgment
            count += 1
    return requests, count


def _mean(pairs: list[tuple[float, float]]) -> Score:
    return Score(round(statistics.fmean(n for n, _ in pairs), 3), round(statistics.fmean(r for _, r in pairs), 3),
                 len(pairs))


def ranking_quality() -> RankingQuality:
    """Mean nDCG@10 and recall@10 of each judged request's ranked candidates (as matching last stored them).

    A judged supplier the ranking did not place (added by hand, or fallen off
    the list) counts as missed, so the number says how well the ranking
    served the team, not only how it ordered what it found. By month and by
    profile, a request counts where and by what its stored ranking was made.
    """
    requests, count = _gather()
    months = set(last_months())
    overall, by_month, by_profile, latest = [], defaultdict(list), defaultdict(list), {}
    for item in requests.values():
        if not any(value > 0 for value in item.grades.values()):
            continue
        order = [supplier for _, supplier in sorted(item.ranked)]
        pair = (ndcg(order, item.grades, K), recall(order, item.grades, K))
        at, profile = item.stamp()
        overall.append(pair)
        if at.strftime("%Y-%m") in months:
            by_month[at.strftime("%Y-%m")].append(pair)
        by_profile[profile].append(pair)
        latest[profile] = max(at, latest.get(profile, at))
    if not overall:
        return RankingQuality(None, None, 0, count)
    total = _mean(overall)
    return RankingQuality(total.ndcg, total.recall, total.requests, count,
                          {month: _mean(by_month[month]) for month in sorted(by_month)},
                          {name: _mean(by_profile[name]) for name in sorted(latest, key=latest.get, reverse=True)})


def activations() -> list[tuple[str, datetime, str | None]]:
    """Every ranking profile activation as (profile name, when in UTC, note), newest first."""
    return [(row.profile.name, as_utc(row.activated_at).astimezone(timezone.utc), row.note)
            for row in reversed(registry.history())]
