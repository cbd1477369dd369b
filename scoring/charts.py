"""Charts as server-side SVG, so the same drawing serves a page and a PDF.

Pure functions returning markup: no JavaScript, no external fonts, readable when printed
in black and white (bands are dashed lines with labels, points are marked), and described
for screen readers by a <title> and <desc>.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from scoring.intervals import ScoreView

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36
BAND_LINES = (
    (80, pgettext_lazy("score band, on a chart", "strong")),
    (60, pgettext_lazy("score band, on a chart", "developing")),
    (40, pgettext_lazy("score band, on a chart", "fragile")),
)


@dataclass(frozen=True)
class Point:
    day: date
    value: float  # the figure, or the midpoint of its range
    low: float | None = None  # a range (a researcher's total where a count is suppressed)
    high: float | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high

    def text(self) -> str:
        if self.is_range:
            return f"{_decimal(self.low or 0.0)}–{_decimal(self.high or 0.0)}"
        return _decimal(self.value)


# A month label ("2026-03") is about 4.2 em wide in DejaVu Sans (six digits of 0.636 em
# and a hyphen of 0.361 em); labels keep at least LABEL_GAP pixels between them.
LABEL_EMS = 4.2
LABEL_GAP = 6.0


def _labelled(
    count: int, pitch: float, font_size: int, *, last_ends: bool, extra: float = 0.0
) -> set[int]:
    """The months that get a label: the latest always, then every `step`-th before it,
    `step` the smallest that keeps neighbouring labels apart. `pitch` is the distance
    between two months; labels are centred on their month, except the last one when
    `last_ends` (it ends on its month, to stay inside the chart), which then needs half a
    label more room from the one before it."""
    width = LABEL_EMS * font_size
    room = (1.5 if last_ends else 1.0) * width + LABEL_GAP + extra
    step = 1
    while step * pitch < room and step < count:
        step += 1
    return set(range(count - 1, -1, -step))


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: float, top: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (1 - min(max(value, 0.0), top) / top)


def score_trend(points: Sequence[Point], *, title: str, chart_id: str = "trend") -> SafeString:
    """A line of monthly totals on a 0–100 scale, with the band thresholds marked."""
    if not points:
        return mark_safe("")
    count = len(points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="14">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_describe(points))}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" '
        f'height="{HEIGHT - TOP - BOTTOM}" fill="#fff" stroke="#6c757d"/>',
    ]
    for value, label in BAND_LINES:
        y = _y(value, 100)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#6c757d" stroke-dasharray="4 3"/>'
            f'<text x="{WIDTH - RIGHT - 4}" y="{y - 3:.1f}" text-anchor="end" '
            f'fill="#495057">{escape(str(label))} ≥ {value}</text>'
        )
    for value in (0, 20, 40, 60, 80, 100):
        parts.append(
            f'<text x="{LEFT - 6}" y="{_y(value, 100) + 4:.1f}" text-anchor="end" '
            f'fill="#212529">{value}</text>'
        )
    pitch = _x(1, count) - _x(0, count) if count > 1 else WIDTH
    labelled = _labelled(count, pitch, 14, last_ends=True)
    for index, point in enumerate(points):
        if index in labelled:
            anchor = "end" if index == count - 1 else "middle"  # keep the last one inside
            parts.append(
                f'<text x="{_x(index, count):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="{anchor}" fill="#212529">{point.day:%Y-%m}</text>'
            )
    if any(p.is_range for p in points):
        # The range a total lies in, shaded, with whiskers at each month; the line joins
        # the midpoints. Exact months have low = high, so the band narrows to the line.
        ends = [(p.low, p.high) if p.is_range else (p.value, p.value) for p in points]
        upper = [f"{_x(i, count):.1f},{_y(hi or 0.0, 100):.1f}" for i, (_, hi) in enumerate(ends)]
        lower = [f"{_x(i, count):.1f},{_y(lo or 0.0, 100):.1f}" for i, (lo, _) in enumerate(ends)]
        parts.append(
            f'<polygon points="{" ".join(upper + lower[::-1])}" fill="#0b5ed7" '
            'fill-opacity="0.15" stroke="none"/>'
        )
        for index, point in enumerate(points):
            if point.is_range:
                x = _x(index, count)
                parts.append(
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_y(point.low or 0.0, 100):.1f}" '
                    f'y2="{_y(point.high or 0.0, 100):.1f}" stroke="#0b5ed7" stroke-width="1.5"/>'
                )
    coords = " ".join(f"{_x(i, count):.1f},{_y(p.value, 100):.1f}" for i, p in enumerate(points))
    parts.append(f'<polyline points="{coords}" fill="none" stroke="#0b5ed7" stroke-width="2.5"/>')
    for index, point in enumerate(points):
        parts.append(
            f'<circle cx="{_x(index, count):.1f}" cy="{_y(point.value, 100):.1f}" r="3" '
            f'fill="#0b5ed7"><title>{point.day}: {point.text()}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped or numeric


def trend_points(cards: Sequence[ScoreView]) -> list[Point]:
    """The totals of score views as chart points: a range drawn around its midpoint."""
    return [
        Point(c.as_of, float(c.total.midpoint), float(c.total.lo), float(c.total.hi)) for c in cards
    ]


def _describe(points: Sequence[Point]) -> str:
    first, last = points[0], points[-1]
    low = min(points, key=lambda p: p.value)
    high = max(points, key=lambda p: p.value)
    text = _(
        "From %(first)s on %(first_day)s to %(last)s on %(last_day)s; "
        "lowest %(low)s (%(low_day)s), highest %(high)s (%(high_day)s)."
    ) % {
        "first": first.text(),
        "first_day": first.day,
        "last": last.text(),
        "last_day": last.day,
        "low": low.text(),
        "low_day": low.day,
        "high": high.text(),
        "high_day": high.day,
    }
    if any(p.is_range for p in points):
        text += " " + _(
            "Where a count is suppressed the total is a range, shaded, "
            "with the line through its midpoint."
        )
    return text


def _decimal(value: float) -> str:
    """One decimal, with the active language's decimal mark (75.0; 75,0)."""
    return number_format(value, decimal_pos=1)


@dataclass(frozen=True)
class MonthBar:
    month: date  # the first day of the month
    value: int
    label: str = ""  # what to print instead of the value (a suppressed count, "<10")
    line: float | None = None  # a second series drawn as a line (e.g. mean daily visits)


def _nice_top(values: Sequence[float]) -> float:
    top = max([*values, 1.0])
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top <= step:
            return float(step)
    return float(top)


def monthly_bars(
    bars: Sequence[MonthBar],
    *,
    title: str,
    chart_id: str,
    bar_label: str | None = None,
    line_label: str = "",
) -> SafeString:
    """Bars per month (e.g. breaches), with an optional line on its own right-hand scale
    (e.g. mean daily visits): "attendance beside breaches". `bar_label` defaults to
    "breaches" in the active language."""
    if not bars:
        return mark_safe("")
    bar_label = _("breaches") if bar_label is None else str(bar_label)
    bars_caption = _("bars: %(series)s") % {"series": bar_label}
    line_caption = _("dashed line: %(series)s") % {"series": line_label}
    count = len(bars)
    plot = WIDTH - LEFT - RIGHT - (36 if line_label else 0)
    slot = plot / count
    top = _nice_top([b.value for b in bars])
    line_values = [b.line for b in bars if b.line is not None]
    line_top = _nice_top(line_values) if line_values else 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_describe_bars(bars, bar_label, line_label))}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot}" height="{HEIGHT - TOP - BOTTOM}" '
        'fill="#fff" stroke="#6c757d"/>',
    ]
    for fraction in (0, 0.5, 1):
        value = top * fraction
        parts.append(
            f'<text x="{LEFT - 6}" y="{_y(value, top) + 4:.1f}" text-anchor="end" '
            f'fill="#212529">{value:g}</text>'
        )
    # Room for the last label moved inwards (below) by up to RIGHT pixels.
    labelled = _labelled(count, slot, 12, last_ends=False, extra=RIGHT)
    for index, bar in enumerate(bars):
        x = LEFT + slot * index
        height = (HEIGHT - TOP - BOTTOM) * min(bar.value, top) / top
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{HEIGHT - BOTTOM - height:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}" fill="#b02a37">'
            f"<title>{escape(_month_value(bar, _series_value(bar, bar_label)))}"
            "</title></rect>"
        )
        if index in labelled:
            # Narrow bars put the last month's centre too near the edge for its label.
            centre = min(x + slot / 2, WIDTH - LABEL_EMS * 12 / 2 - 2)
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle" fill="#212529">{bar.month:%Y-%m}</text>'
            )
    if line_values:
        coords = " ".join(
            f"{LEFT + slot * (i + 0.5):.1f},{_y(b.line, line_top):.1f}"
            for i, b in enumerate(bars)
            if b.line is not None
        )
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="#0b5ed7" stroke-width="2.5" '
            'stroke-dasharray="6 3"/>'
        )
        right = LEFT + plot + 4
        for fraction in (0, 0.5, 1):
            value = line_top * fraction
            parts.append(
                f'<text x="{right}" y="{_y(value, line_top) + 4:.1f}" fill="#0b5ed7">'
                f"{value:g}</text>"
            )
    parts.append(f'<text x="{LEFT}" y="{TOP - 4}" fill="#b02a37">{escape(bars_caption)}</text>')
    if line_label:
        parts.append(
            f'<text x="{LEFT + plot}" y="{TOP - 4}" text-anchor="end" fill="#0b5ed7">'
            f"{escape(line_caption)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped or numeric


def _series_value(bar: MonthBar, series: str) -> str:
    # "4 (breaches)": the series after the count reads right for one or many.
    return _("%(value)s (%(series)s)") % {"value": bar.label or bar.value, "series": series}


def _month_value(bar: MonthBar, value: object) -> str:
    # "2026-03: 4" in English, "2026-03 : 4" in French (a space before the colon).
    return _("%(label)s: %(value)s") % {"label": f"{bar.month:%Y-%m}", "value": value}


def _describe_bars(bars: Sequence[MonthBar], bar_label: str, line_label: str) -> str:
    separator = pgettext("between items of a list", "; ")
    text = separator.join(_month_value(b, b.label or b.value) for b in bars)
    described = _("%(series)s by month: %(values)s.") % {"series": bar_label, "values": text}
    if line_label:
        lines = separator.join(_month_value(b, f"{b.line:.0f}") for b in bars if b.line is not None)
        described += " " + _("%(series)s by month: %(values)s.") % {
            "series": line_label,
            "values": lines,
        }
    return described
