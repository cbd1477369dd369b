"""Charts as server-side SVG, so the same drawing serves a page and a PDF.

Pure functions returning markup: no JavaScript, no external fonts, readable when printed
in black and white (bands are dashed lines with labels, points are marked), and described
for screen readers by a <title> and <desc>. Every chart prints its title, both axes' titles
with their units, and a legend of its series; text is placed from measured widths so that
no two labels overlap, however many months and however long the words (tested by reading
the positions of the SVG's text elements).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from scoring.intervals import ScoreView

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT = 64, 16  # room for the y axis's title and its values; the right margin
RIGHT_AXIS = 52  # room for a second series' scale and title, right of the plot
TITLE_SIZE, TEXT_SIZE, AXIS_SIZE = 14, 12, 11
BAND_LINES = (
    (80, pgettext_lazy("score band, on a chart", "strong")),
    (60, pgettext_lazy("score band, on a chart", "developing")),
    (40, pgettext_lazy("score band, on a chart", "fragile")),
)
INK, MUTED, BLUE, RED = "#212529", "#495057", "#0b5ed7", "#b02a37"


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


# --- measuring text ----------------------------------------------------------------------

# A month label ("2026-03") is about 4.2 em wide in DejaVu Sans (six digits of 0.636 em
# and a hyphen of 0.361 em); labels keep at least LABEL_GAP pixels between them.
LABEL_EMS = 4.2
LABEL_GAP = 6.0

# Widths in em of DejaVu Sans (the reports' font, and wider than the fonts a browser falls
# back to), rounded up: measuring a little wide keeps labels apart in every font.
_NARROW = frozenset(" .,:;!|'’()[]-–‑/ilIjtf")
_WIDE = frozenset("mwMW%@…—≥")


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of `text` at `size` pixels, measured a little wide."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.40
        elif char in _WIDE:
            ems += 1.0
        elif char.isupper() or char.isdigit():
            ems += 0.78 if char.isupper() else 0.64
        else:
            ems += 0.63
    return ems * size * (1.1 if bold else 1.0)


def fit(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """`text`, cut with an ellipsis when it is wider than `width` (the whole text stays in
    the chart's <title> and <desc> for screen readers)."""
    if text_width(text, size, bold=bold) <= width:
        return text
    while text and text_width(text + "…", size, bold=bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


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


# --- the frame: title, legend, plot, axes ---------------------------------------------------


@dataclass(frozen=True)
class LegendItem:
    text: str
    colour: str
    swatch: str  # "box", "line", "dashed", "shade"


@dataclass(frozen=True)
class Frame:
    """Where the plot sits once the title and the legend have their lines."""

    left: float
    top: float
    right: float  # the plot's right edge
    bottom: float  # the plot's bottom edge

    def x(self, index: int, count: int) -> float:
        span = self.right - self.left
        return self.left + (span * index / (count - 1) if count > 1 else span / 2)

    def y(self, value: float, top: float) -> float:
        span = self.bottom - self.top
        return self.top + span * (1 - min(max(value, 0.0), top) / top)

    @property
    def tick_baseline(self) -> float:
        """The baseline of the month labels under the plot, clear of the lowest value."""
        return self.bottom + 8 + TEXT_SIZE

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = TEXT_SIZE,
    anchor: str = "start",
    fill: str = INK,
    bold: bool = False,
    rotate: int = 0,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    turn = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{weight}{turn}>{escape(text)}</text>'
    )


def _legend(items: Sequence[LegendItem], y: float) -> tuple[list[str], float]:
    """The legend's items left to right from the plot's left edge, on as many lines as they
    need; returns the markup and the baseline of its last line."""
    parts: list[str] = []
    x, swatch, gap = float(LEFT), 18.0, 14.0
    for item in items:
        text = fit(item.text, WIDTH - LEFT - RIGHT - swatch - 4, TEXT_SIZE)
        width = swatch + 4 + text_width(text, TEXT_SIZE)
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, y = float(LEFT), y + TEXT_SIZE + 6
        middle = y - TEXT_SIZE * 0.35
        if item.swatch == "box":
            parts.append(
                f'<rect x="{x:.1f}" y="{middle - 5:.1f}" width="{swatch - 6}" '
                f'height="10" fill="{item.colour}"/>'
            )
        elif item.swatch == "shade":
            parts.append(
                f'<rect x="{x:.1f}" y="{middle - 5:.1f}" width="{swatch}" height="10" '
                f'fill="{item.colour}" fill-opacity="0.15" stroke="{item.colour}"/>'
            )
        else:
            dash = ' stroke-dasharray="4 3"' if item.swatch == "dashed" else ""
            parts.append(
                f'<line x1="{x:.1f}" x2="{x + swatch:.1f}" y1="{middle:.1f}" '
                f'y2="{middle:.1f}" stroke="{item.colour}" stroke-width="2.5"{dash}/>'
            )
        parts.append(_text(x + swatch + 4, y, text, fill=INK))
        x += width + gap
    return parts, y


def _frame(
    *,
    chart_id: str,
    title: str,
    description: str,
    legend: Sequence[LegendItem],
    x_title: str,
    y_title: str,
    right_title: str = "",
    font_size: int = TEXT_SIZE,
) -> tuple[list[str], Frame]:
    """The opening of a chart: its accessible name and description, the visible title,
    the legend and the axes' titles; and the frame the plot is drawn in."""
    heading = fit(title, WIDTH - 8, TITLE_SIZE, bold=True)
    legend_parts, legend_end = _legend(legend, 20 + TITLE_SIZE + 4)
    top = legend_end + 14  # clear of the legend, with room for a band label
    bottom = HEIGHT - (8 + TEXT_SIZE) - (10 + TEXT_SIZE) - 4
    right = WIDTH - RIGHT - (RIGHT_AXIS if right_title else 0)
    frame = Frame(left=LEFT, top=top, right=right, bottom=bottom)
    height = bottom - top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="{font_size}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        _text(4, 20, heading, size=TITLE_SIZE, bold=True),
        *legend_parts,
        f'<rect x="{LEFT}" y="{top:.1f}" width="{right - LEFT:.1f}" height="{height:.1f}" '
        'fill="#fff" stroke="#6c757d"/>',
        # Axis titles: under the months, and turned along each vertical axis.
        _text(
            (LEFT + right) / 2,
            HEIGHT - 6,
            fit(x_title, right - LEFT, TEXT_SIZE),
            anchor="middle",
            fill=MUTED,
        ),
        _text(
            14,
            frame.middle,
            fit(y_title, height, AXIS_SIZE),
            size=AXIS_SIZE,
            anchor="middle",
            fill=MUTED,
            rotate=-90,
        ),
    ]
    if right_title:
        parts.append(
            _text(
                WIDTH - 10,
                frame.middle,
                fit(right_title, height, AXIS_SIZE),
                size=AXIS_SIZE,
                anchor="middle",
                fill=BLUE,
                rotate=90,
            )
        )
    return parts, frame


# --- the score trend ----------------------------------------------------------------------


def score_trend(points: Sequence[Point], *, title: str, chart_id: str = "trend") -> SafeString:
    """A line of monthly totals on a 0–100 scale, with the band thresholds marked."""
    if not points:
        return mark_safe("")
    count = len(points)
    ranges = any(p.is_range for p in points)
    legend = [
        LegendItem(_("line: total score at each month's end"), BLUE, "line"),
        LegendItem(_("dashed lines: where each band starts"), "#6c757d", "dashed"),
    ]
    if ranges:
        legend.append(LegendItem(_("shaded: the range of a total"), BLUE, "shade"))
    parts, frame = _frame(
        chart_id=chart_id,
        title=title,
        description=_describe(points),
        legend=legend,
        x_title=_("Month (score at the month's end)"),
        y_title=_("Total score (points of 100)"),
        font_size=14,
    )
    for value, label in BAND_LINES:
        y = frame.y(value, 100)
        parts.append(
            f'<line x1="{LEFT}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#6c757d" stroke-dasharray="4 3"/>'
        )
        text = fit(f"{label} ≥ {value}", (frame.right - LEFT) / 2, TEXT_SIZE)
        parts.append(_text(frame.right - 4, y - 3, text, anchor="end", fill=MUTED))
    for value in (0, 20, 40, 60, 80, 100):
        parts.append(_text(LEFT - 6, frame.y(value, 100) + 4, str(value), anchor="end"))
    pitch = frame.x(1, count) - frame.x(0, count) if count > 1 else WIDTH
    # The first month sits on the axis, under its values: it is labelled only if there is
    # room for half a label left of the plot.
    labelled = _labelled(count, pitch, TEXT_SIZE, last_ends=True)
    for index, point in enumerate(points):
        if index in labelled:
            x = frame.x(index, count)
            anchor = "end" if index == count - 1 else "middle"  # keep the last one inside
            if index == 0 and count > 1:
                anchor = "start"  # the first one starts on its month, clear of the values
            parts.append(_text(x, frame.tick_baseline, f"{point.day:%Y-%m}", anchor=anchor))
    if ranges:
        # The range a total lies in, shaded, with whiskers at each month; the line joins
        # the midpoints. Exact months have low = high, so the band narrows to the line.
        ends = [(p.low, p.high) if p.is_range else (p.value, p.value) for p in points]
        upper = [
            f"{frame.x(i, count):.1f},{frame.y(hi or 0.0, 100):.1f}"
            for i, (_, hi) in enumerate(ends)
        ]
        lower = [
            f"{frame.x(i, count):.1f},{frame.y(lo or 0.0, 100):.1f}"
            for i, (lo, _) in enumerate(ends)
        ]
        parts.append(
            f'<polygon points="{" ".join(upper + lower[::-1])}" fill="{BLUE}" '
            'fill-opacity="0.15" stroke="none"/>'
        )
        for index, point in enumerate(points):
            if point.is_range:
                x = frame.x(index, count)
                parts.append(
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.y(point.low or 0.0, 100):.1f}" '
                    f'y2="{frame.y(point.high or 0.0, 100):.1f}" stroke="{BLUE}" '
                    'stroke-width="1.5"/>'
                )
    coords = " ".join(
        f"{frame.x(i, count):.1f},{frame.y(p.value, 100):.1f}" for i, p in enumerate(points)
    )
    parts.append(f'<polyline points="{coords}" fill="none" stroke="{BLUE}" stroke-width="2.5"/>')
    for index, point in enumerate(points):
        parts.append(
            f'<circle cx="{frame.x(index, count):.1f}" cy="{frame.y(point.value, 100):.1f}" '
            f'r="3" fill="{BLUE}"><title>{point.day}: {point.text()}</title></circle>'
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


# --- bars per month -----------------------------------------------------------------------


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
    line_values = [b.line for b in bars if b.line is not None]
    legend = [LegendItem(_("bars: %(series)s") % {"series": bar_label}, RED, "box")]
    if line_label:
        legend.append(
            LegendItem(_("dashed line: %(series)s") % {"series": line_label}, BLUE, "dashed")
        )
    parts, frame = _frame(
        chart_id=chart_id,
        title=title,
        description=_describe_bars(bars, bar_label, line_label),
        legend=legend,
        x_title=_("Month"),
        y_title=capfirst(_("%(series)s (number per month)") % {"series": bar_label}),
        right_title=line_label,
    )
    count = len(bars)
    slot = (frame.right - LEFT) / count
    top = _nice_top([b.value for b in bars])
    line_top = _nice_top(line_values) if line_values else 1.0
    for fraction in (0, 0.5, 1):
        value = top * fraction
        parts.append(_text(LEFT - 6, frame.y(value, top) + 4, f"{value:g}", anchor="end"))
    # Room for the last label moved inwards (below) by up to RIGHT pixels.
    labelled = _labelled(count, slot, TEXT_SIZE, last_ends=False, extra=RIGHT)
    for index, bar in enumerate(bars):
        x = LEFT + slot * index
        height = (frame.bottom - frame.top) * min(bar.value, top) / top
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{frame.bottom - height:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}" fill="{RED}">'
            f"<title>{escape(_month_value(bar, _series_value(bar, bar_label)))}"
            "</title></rect>"
        )
        if index in labelled:
            # Narrow bars put the last month's centre too near the edge for its label.
            centre = min(x + slot / 2, WIDTH - LABEL_EMS * TEXT_SIZE / 2 - 2)
            parts.append(_text(centre, frame.tick_baseline, f"{bar.month:%Y-%m}", anchor="middle"))
    if line_values:
        coords = " ".join(
            f"{LEFT + slot * (i + 0.5):.1f},{frame.y(b.line, line_top):.1f}"
            for i, b in enumerate(bars)
            if b.line is not None
        )
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{BLUE}" stroke-width="2.5" '
            'stroke-dasharray="6 3"/>'
        )
    if line_label:
        for fraction in (0.5, 1) if line_values else ():
            # No 0 on the right: it would sit beside the last month's label.
            value = line_top * fraction
            parts.append(
                _text(frame.right + 4, frame.y(value, line_top) + 4, f"{value:g}", fill=BLUE)
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
