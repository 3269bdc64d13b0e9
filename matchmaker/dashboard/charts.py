"""Server-rendered SVG charts (pygal): no JavaScript, nothing fetched, readable at any width.

Each chart comes with the numbers as a table in the page too, so screen
readers and people who want exact values have them.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

from ..security import nonce

FONT = 'system-ui, "Noto Sans KR", "NanumGothic", "Apple SD Gothic Neo", sans-serif'
STYLE = Style(background="transparent", plot_background="transparent", foreground="#1d2330",
              foreground_strong="#1d2330", foreground_subtle="#5b6477", colors=("#1f5fbf", "#067647", "#b54708"),
              font_family=FONT, label_font_family=FONT, major_label_font_family=FONT, value_font_family=FONT,
              legend_font_family=FONT, title_font_family=FONT, tooltip_font_family=FONT,
              label_font_size=13, major_label_font_size=13, legend_font_size=13, value_font_size=12)
# pygal's inline script only configures its tooltip JavaScript, which we never load (js=[]).
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _whole_ticks(chart, values) -> None:
    # Counts are whole numbers: ticks at 0, step, 2 step, ... (pygal would draw 0.1, 0.2, ... for small counts).
    top = max((v for v in values if v is not None), default=0)
    step = max(1, math.ceil(top / 8))
    chart.y_labels = list(range(0, int(top) + step + 1, step))


def _render(chart, title: str) -> Markup:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # The page's Content-Security-Policy allows no inline style but the response's nonce (matchmaker.security);
    # the one style attribute hides the tooltip of the JavaScript we strip.
    svg = svg.replace("<style", f'<style nonce="{nonce()}"').replace(' style="opacity: 0"', "")
    # Named for assistive technology; the table next to it carries the numbers.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(title)}" ', 1)
    return Markup(svg)


def _config(height: int, **options):
    return dict(width=640, height=height, style=STYLE, js=[], disable_xml_declaration=True, show_y_guides=True,
                print_values=False, legend_at_bottom=True, truncate_label=-1, margin=8, **options)


def bars(title: str, values: Mapping[str, float], series: str) -> Markup:
    """One series as horizontal bars, a bar per key (in the given order)."""
    chart = pygal.HorizontalBar(**_config(max(160, 34 * len(values) + 60), show_legend=False))
    labels = list(values)[::-1]  # horizontal bars are drawn bottom up: keep the given order top down
    chart.x_labels = labels
    chart.add(series, [values[label] for label in labels])
    _whole_ticks(chart, values.values())
    return _render(chart, title)


def grouped(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]], horizontal: bool = True,
            ) -> Markup:
    """Several series side by side per label (e.g. introductions and wins by industry)."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(200, 40 * len(labels) + 90) if horizontal else 300
    chart = kind(**_config(height, x_label_rotation=0 if horizontal else 30))
    order = list(range(len(labels)))[::-1] if horizontal else list(range(len(labels)))
    chart.x_labels = [labels[i] for i in order]
    for name, values in series.items():
        chart.add(name, [values[i] for i in order])
    _whole_ticks(chart, [v for values in series.values() for v in values])
    return _render(chart, title)


def line(title: str, labels: Sequence[str], values: Sequence[float | None], series: str) -> Markup:
    """One series over time; missing months are gaps."""
    chart = pygal.Line(**_config(280, show_legend=False, x_label_rotation=30, allow_interruptions=True,
                                 dots_size=4))
    chart.x_labels = list(labels)
    chart.add(series, list(values))
    return _render(chart, title)


SCORE_TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1]


def scores(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float | None]]) -> Markup:
    """Scores between 0 and 1 over time, a line per series; missing months are gaps."""
    # A fixed 0-1 axis, so a month's dip looks as large as it is and two charts compare at a glance.
    chart = pygal.Line(**_config(300, x_label_rotation=30, allow_interruptions=True, dots_size=4, range=(0, 1)))
    chart.x_labels = list(labels)
    chart.y_labels = SCORE_TICKS
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart, title)
