"""The charts shared by pages and PDFs: each bar names its month, count and series in
words that read right for one or many, in both languages; every chart prints its title,
its axes' titles with their units and a legend; and no two pieces of text overlap or leave
the drawing, however many months and however long the words (measured with the reports'
font)."""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.utils import translation
from fontTools.ttLib import TTFont

from scoring.charts import HEIGHT, WIDTH, MonthBar, Point, monthly_bars, score_trend

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


# --- reading the text of a chart ------------------------------------------------------------

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
ROTATE = re.compile(r"rotate\((-?\d+) ")


@functools.cache
def advances(bold: bool) -> tuple[dict[str, int], int]:
    font = TTFont(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"))
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    return {chr(c): metrics[name][0] for c, name in cmap.items()}, font["head"].unitsPerEm


@dataclass(frozen=True)
class Label:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float
    bold: bool
    rotation: int
    anchor: str
    fill: str

    def meets(self, other: Label, gap: float = 1.0) -> bool:
        return not (
            self.right + gap <= other.left
            or other.right + gap <= self.left
            or self.bottom + gap <= other.top
            or other.bottom + gap <= self.top
        )


def labels(svg: str) -> list[Label]:
    """Every visible text of the chart with the box it is drawn in, measured with DejaVu
    Sans (ascent 0.76 em above the baseline, descent 0.24 em below), turned as drawn."""
    found = []
    for attributes, raw in TEXT.findall(svg):
        attrs = dict(ATTRIBUTE.findall(attributes))
        text = unescape(raw)
        size = float(attrs["font-size"])
        bold = attrs.get("font-weight") == "bold"
        widths, per_em = advances(bold)
        width = sum(widths.get(c, per_em) for c in text) * size / per_em
        x, y = float(attrs["x"]), float(attrs["y"])
        anchor = attrs.get("text-anchor", "start")
        start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        ascent, descent = 0.76 * size, 0.24 * size
        turn = ROTATE.search(attrs.get("transform", ""))
        rotation = int(turn.group(1)) if turn else 0
        if rotation == -90:  # reads upwards: the glyphs' tops face left
            box = (x - ascent, y - (start + width - x), x + descent, y - (start - x))
        elif rotation == 90:  # reads downwards: the glyphs' tops face right
            box = (x - descent, y + (start - x), x + ascent, y + (start + width - x))
        else:
            box = (start, y - ascent, start + width, y + descent)
        found.append(Label(text, *box, size, bold, rotation, anchor, attrs.get("fill", "")))
    return found


def problems(svg: str) -> list[str]:
    drawn = labels(svg)
    clashes = [
        f"{a.text!r} meets {b.text!r}" for a, b in itertools.combinations(drawn, 2) if a.meets(b)
    ]
    outside = [
        f"{label.text!r} leaves the drawing"
        for label in drawn
        if label.left < 0 or label.top < 0 or label.right > WIDTH or label.bottom > HEIGHT
    ]
    return clashes + outside


def months(count: int) -> list[date]:
    return [date(2020 + m // 12, m % 12 + 1, 1) for m in range(count)]


LONG = (
    "Centre de santé communautaire de la rivière Claire-et-des-Trois-Ponts : "
    "score total par mois, depuis l’ouverture du site"
)


def charts(count: int, language: str, title: str) -> list[str]:
    days = months(count)
    with translation.override(language):
        trend = str(score_trend([Point(d, (7 * i) % 100) for i, d in enumerate(days)], title=title))
        ranged = str(score_trend([Point(d, 50.0, 40.0, 60.0) for d in days], title=title))
        bars = str(
            monthly_bars(
                [MonthBar(d, 1234 * (i % 3), line=850.5) for i, d in enumerate(days)],
                title=title,
                chart_id="b",
                line_label="moyenne des visites quotidiennes au site",
            )
        )
        plain = str(monthly_bars([MonthBar(d, 3) for d in days], title=title, chart_id="c"))
    return [trend, ranged, bars, plain]


@pytest.mark.parametrize("count", [*range(1, 25), 30, 36, 48, 60, 120])
@pytest.mark.parametrize(("language", "title"), [("en-ca", "Breaches per month"), ("fr-ca", LONG)])
def test_no_two_labels_overlap_whatever_the_months_and_words(
    count: int, language: str, title: str
) -> None:
    """From one month to ten years, short and long titles and series names, in English and
    French: every text of every chart stays apart from the others and inside the drawing,
    and the latest month is always named."""
    for svg in charts(count, language, title):
        assert not problems(svg), (count, language, problems(svg))
        assert f">{months(count)[-1]:%Y-%m}</text>" in svg


def test_months_are_thinned_out_when_crowded() -> None:
    bars = charts(60, "en-ca", "b")[2]
    named = [label.text for label in labels(bars) if re.fullmatch(r"\d{4}-\d{2}", label.text)]
    assert 4 <= len(named) < 60
    assert named[-1] == "2024-12"


def test_every_chart_has_a_title_axis_titles_with_units_and_a_legend() -> None:
    days = months(12)
    with translation.override("en-ca"):
        trend = score_trend([Point(d, 60.0) for d in days], title="Riverside: total score by month")
        bars = monthly_bars(
            [MonthBar(d, 2, line=80.0) for d in days],
            title="Attendance beside",
            chart_id="a",
            line_label="mean daily visits",
        )
    texts = {label.text: label for label in labels(str(trend))}
    assert texts["Riverside: total score by month"].bold
    assert texts["Total score (points of 100)"].rotation == -90  # the y axis, with its unit
    assert "Month (score at the month's end)" in texts  # the x axis
    assert "line: total score at each month's end" in texts  # the legend
    assert "dashed lines: where each band starts" in texts
    texts = {label.text: label for label in labels(str(bars))}
    assert texts["Attendance beside"].bold
    assert texts["Breaches (number per month)"].rotation == -90
    assert texts["mean daily visits"].rotation == 90  # the right-hand scale's title
    assert {"Month", "bars: breaches", "dashed line: mean daily visits"} <= set(texts)


def test_a_range_is_in_the_legend_only_when_drawn() -> None:
    exact = str(score_trend([Point(date(2026, 1, 31), 60.0)], title="t"))
    ranged = str(score_trend([Point(date(2026, 1, 31), 60.0, 58.0, 62.0)], title="t"))
    assert "shaded: the range of a total" not in exact
    assert "shaded: the range of a total" in ranged


def test_a_title_too_long_for_the_drawing_is_cut_but_read_whole() -> None:
    svg = str(score_trend([Point(date(2026, 1, 31), 60.0)], title=LONG * 2))
    shown = next(label for label in labels(svg) if label.bold)
    assert shown.text.endswith("…")
    assert shown.right <= WIDTH
    assert f'<title id="trend-title">{LONG * 2}</title>'.replace("’", "’") in unescape(svg)
