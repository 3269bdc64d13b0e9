"""Months of past work for the demo: requests assigned, curated, shortlisted, introduced, won and lost.

Written through the same services as live work (under :func:`clock_at`, so
every timestamp is in the past), which makes the queue, the pipeline and the
dashboard show real content on first start. Decisions follow the stored fit
signals: a candidate missing a required certification is rejected for it,
one that fits is accepted. Seeded, so every fresh demo tells the same story.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import select

from ..curation import decisions, pipeline
from ..domain import LOST_REASONS
from ..extensions import db
from ..models import BuyerRequest, Match, Supplier, User
from ..models._columns import as_utc, clock_at
from ..rfq import introductions
from ..rfq import service as rfq_service

SEED = 20261122
SPAN_DAYS = 180  # requests were posted over the last six months
FRESH = 6  # the newest requests stay untouched: the queue's "new" work
# Which reject reason a missing fit signal stands for.
REJECT_FOR = {"certifications": "missing_certification", "moq": "capacity_moq", "lead_time": "lead_time"}
STAGES = ("introduced", "meeting", "sample", "negotiating")


@dataclass
class HistoryReport:
    """What the story holds."""

    requests: int = 0
    shortlisted: int = 0
    introduced: int = 0
    won: int = 0
    lost: int = 0

    def summary(self) -> str:
        return (f"Demo history: {self.requests} request(s) worked on over {SPAN_DAYS // 30} months, "
                f"{self.shortlisted} shortlist(s) published, {self.introduced} introduction(s), "
                f"{self.won} won, {self.lost} lost.")


def _missing(match: Match) -> str | None:
    for signal in (match.explanation or {}).get("signals", []):
        if signal.get("status") == "missing" and signal.get("name") in REJECT_FOR:
            return REJECT_FOR[signal["name"]]
    return None


def _backdate(rows: list[BuyerRequest], now: datetime, rng: random.Random) -> None:
    # Spread the imported requests over the past months (oldest id first), their "posted" step with them.
    for row in rows:
        row.created_at = now - timedelta(days=rng.uniform(0.2, SPAN_DAYS), hours=rng.uniform(0, 8))
    rows.sort(key=lambda r: r.created_at)
    for row in rows[-FRESH:]:  # the newest few arrived in the last two days
        row.created_at = now - timedelta(hours=rng.uniform(1, 40))
    for row in rows:
        for event in row.events:
            if event.kind == "posted":
                event.created_at = row.created_at
    db.session.commit()


def _curate(row: BuyerRequest, specialist: User, at: datetime, rng: random.Random, report: HistoryReport) -> None:
    candidates = [m for m in decisions.matches_of(row, ("suggested",)) if m.rank is not None][:6]
    accepted = 0
    for match in candidates:
        reason = _missing(match)
        at += timedelta(minutes=rng.uniform(3, 40))
        with clock_at(at):
            if reason or (accepted >= 3 and rng.random() < 0.5):
                decisions.reject(match, specialist, reason or rng.choice(("wrong_product", "other")))
            elif accepted < 3:
                decisions.accept(match, specialist)
                accepted += 1
    if accepted and rng.random() < 0.85:
        with clock_at(at + timedelta(hours=rng.uniform(2, 60))):
            rfq_service.publish_shortlist(row, specialist)
        report.shortlisted += 1


def _carry(match: Match, specialist: User, start: datetime, now: datetime, rng: random.Random,
           report: HistoryReport) -> None:
    at = start
    for stage in STAGES:
        if rng.random() > (0.65 if stage == "introduced" else 0.7):
            break
        at += timedelta(days=rng.uniform(3, 18))
        if at >= now:
            return
        with clock_at(at):
            pipeline.advance(match, specialist, stage, on=at.date())
        report.introduced += stage == "introduced"
    else:
        at += timedelta(days=rng.uniform(5, 25))
        if at >= now:
            return
        won = rng.random() < 0.45
        with clock_at(at):
            pipeline.advance(match, specialist, "won" if won else "lost", on=at.date(),
                             reason=None if won else rng.choice(LOST_REASONS),
                             note="Purchase order signed" if won else None)
        report.won += won
        report.lost += not won


def write_history(seed: int = SEED) -> HistoryReport:
    """Work the demo's requests as the team would have over the past months (needs a request context)."""
    rng, report = random.Random(seed), HistoryReport()
    now = datetime.now(timezone.utc)
    specialists = list(db.session.scalars(select(User).where(User.role == "specialist").order_by(User.id)))
    buyer = db.session.scalar(select(User).where(User.role == "buyer").order_by(User.id))
    rows = list(db.session.scalars(select(BuyerRequest).order_by(BuyerRequest.id)))
    if not specialists or not rows:
        return report
    mail = current_app.config.get("MAIL_BACKEND")
    current_app.config["MAIL_BACKEND"] = "dummy"  # the past is not e-mailed to anybody
    try:
        _backdate(rows, now, rng)
        for row in rows[:-FRESH]:
            specialist = rng.choice(specialists)
            at = as_utc(row.created_at) + timedelta(hours=rng.uniform(2, 70))
            if at >= now or rng.random() < 0.12:
                continue  # still waiting for someone to take it up
            report.requests += 1
            with clock_at(at):
                rfq_service.start_review(row, specialist)
            _curate(row, specialist, at, rng, report)
            for match in decisions.matches_of(row, ("shortlisted",)):
                _carry(match, specialist, as_utc(row.shortlist_published_at or at), now, rng, report)
            if row.buyer_id is not None and row.is_open:
                _ask_introduction(row, buyer, at, now, rng)
            if any(m.status == "won" for m in row.matches) and rng.random() < 0.7:
                with clock_at(min(now, at + timedelta(days=60))):
                    rfq_service.close(row, specialist)
    finally:
        current_app.config["MAIL_BACKEND"] = mail
    return report


def _ask_introduction(row: BuyerRequest, buyer: User, at: datetime, now: datetime, rng: random.Random) -> None:
    # The demo buyer asks to meet one more supplier of the catalog: it waits on the pipeline board.
    taken = {m.supplier_id for m in row.matches}
    supplier = db.session.scalar(select(Supplier).where(Supplier.industry == (row.industry or "machinery"),
                                                        Supplier.id.not_in(taken) if taken else True)
                                 .order_by(Supplier.id).offset(rng.randrange(20)).limit(1))
    if supplier is None:
        return
    with clock_at(min(now - timedelta(hours=1), at + timedelta(days=rng.uniform(1, 5)))):
        introductions.request_introduction(row, supplier, buyer, "Could you introduce us? We would like a quote "
                                           "and a sample.", None, None)

