"""The dashboard page: charts over the counts of :mod:`.stats`."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _

from ..auth.access import roles_required
from ..i18n import industry_label, label
from ..matching.registry import live_name
from . import charts, stats

bp = Blueprint("dashboard", __name__)
TOP = 10  # industries and regions shown


@bp.route("/")
@roles_required("specialist", "admin")
def index():
    """Requests by status, time to shortlist, introductions and wins by industry, region and month, ranking quality
    (overall, by month and by profile) and the ranking profiles activated."""
    by_status = {label("request_status", status): count for status, count in stats.requests_by_status().items()}
    times = stats.time_to_shortlist()
    outcomes = stats.outcomes()
    months = stats.last_months()
    intro, won = _("Introductions"), _("Wins")
    figures = {"status": charts.bars(_("Requests by status"), by_status, _("Requests"))}
    if times.by_month:
        figures["shortlist"] = charts.line(_("Median days to a shortlist, by month published"), months,
                                           [times.by_month.get(m) for m in months], _("Median days"))
    month = outcomes["month"]
    figures["month"] = charts.grouped(_("Introductions and wins by month"), months,
                                      {intro: [month.introductions[m] for m in months],
                                       won: [month.wins[m] for m in months]}, horizontal=False)
    tables = {}
    for name, labeler in (("industry", industry_label), ("region", lambda key: key)):
        data = outcomes[name]
        keys = data.keys()[:TOP]
        shown = [labeler(key) for key in keys]
        tables[name] = [(shown_key, data.introductions[key], data.wins[key]) for key, shown_key in zip(keys, shown)]
        if keys:
            title = _("Introductions and wins by industry") if name == "industry" else _(
                "Introductions and wins by supplier region")
            figures[name] = charts.grouped(title, shown, {intro: [data.introductions[k] for k in keys],
                                                          won: [data.wins[k] for k in keys]})
    tables["month"] = [(m, month.introductions[m], month.wins[m]) for m in months]
    quality = stats.ranking_quality()
    if quality.by_month:
        by_month = [quality.by_month.get(m) for m in months]
        figures["quality"] = charts.scores(_("Ranking quality by month"), months, {
            "nDCG@10": [s.ndcg if s else None for s in by_month],
            "recall@10": [s.recall if s else None for s in by_month]})
    return render_template("dashboard/index.html", figures=figures, by_status=by_status, times=times,
                           tables=tables, quality=quality, months=months, live_profile=live_name(),
                           activations=stats.activations())
