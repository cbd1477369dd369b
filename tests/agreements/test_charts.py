"""The monthly bar chart names each bar's month, count and series in words that read
right for one or many, in both languages."""

from __future__ import annotations

import functools
import itertools
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from fontTools.ttLib import TTFont

from scoring.charts import WIDTH, MonthBar, Point, monthly_bars, score_trend

BARS = [MonthBar(date(2025, 11, 1), 1), MonthBar(date(2025, 12, 1), 3, label="<10")]


def test_each_bar_says_its_month_count_and_series() -> None:
    with translation.override("en-ca"):
        svg = str(monthly_bars(BARS, title="Breaches per month", chart_id="b"))
    assert "<title>2025-11: 1 (breaches)</title>" in svg  # not "1 breaches"
    assert "<title>2025-12: &lt;10 (breaches)</title>" in svg  # a suppressed count as such


def test_the_chart_speaks_french_with_french_punctuation() -> None:
    with translation.override("fr-ca"):
        svg = str(monthly_bars(BARS, title="Manquements par mois", chart_id="b"))
    assert "<title>2025-11\u00a0: 1 (manquements)</title>" in svg


# --- month labels ---------------------------------------------------------------------------

FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "DejaVuSans.ttf"
MONTH_LABEL = re.compile(
    r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(middle|end)" fill="#212529">(\d{4}-\d{2})</text>'
)


@functools.cache
def advances() -> tuple[dict[str, int], int]:
    font = TTFont(FONT)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    return {chr(c): metrics[name][0] for c, name in cmap.items()}, font["head"].unitsPerEm


def label_extents(svg: str, font_size: int) -> list[tuple[float, float]]:
    """Where each month label is drawn, left to right, measured with the chart's font."""
    widths, per_em = advances()
    extents = []
    for x, anchor, text in MONTH_LABEL.findall(svg):
        width = sum(widths[c] for c in text) * font_size / per_em
        right = float(x) + (0 if anchor == "end" else width / 2)
        extents.append((right - width, right))
    return sorted(extents)


def months(count: int) -> list[date]:
    return [date(2020 + m // 12, m % 12 + 1, 1) for m in range(count)]


def overlaps(extents: list[tuple[float, float]]) -> list[str]:
    problems = [f"{a} and {b}" for a, b in itertools.pairwise(extents) if a[1] + 2 > b[0]]
    problems += [f"{e} outside the chart" for e in extents if e[0] < 0 or e[1] > WIDTH]
    return problems


@pytest.mark.parametrize("count", range(1, 61))
def test_month_labels_never_overlap_on_either_chart(count: int) -> None:
    """Any number of months, from one to five years: the labels of the trend (14 px)
    and of the bars (12 px, with or without the line's right-hand scale) stay apart,
    inside the drawing, and the latest month is always named."""
    days = months(count)
    trend = str(score_trend([Point(d, 50.0) for d in days], title="t"))
    bars = str(monthly_bars([MonthBar(d, 3, line=2.0) for d in days], title="b", chart_id="b",
                            line_label="visits"))  # fmt: skip
    plain = str(monthly_bars([MonthBar(d, 3) for d in days], title="b", chart_id="c"))
    for svg, size in ((trend, 14), (bars, 12), (plain, 12)):
        extents = label_extents(svg, size)
        assert extents, "no month label"
        assert f">{days[-1]:%Y-%m}</text>" in svg
        assert not overlaps(extents), (count, size, overlaps(extents))
