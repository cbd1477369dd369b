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

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36
BAND_LINES = ((80, "strong"), (60, "developing"), (40, "fragile"))


@dataclass(frozen=True)
class Point:
    day: date
    value: float


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
            f'fill="#495057">{label} ≥ {value}</text>'
        )
    for value in (0, 20, 40, 60, 80, 100):
        parts.append(
            f'<text x="{LEFT - 6}" y="{_y(value, 100) + 4:.1f}" text-anchor="end" '
            f'fill="#212529">{value}</text>'
        )
    step = max(1, count // 4)
    for index, point in enumerate(points):
        if index % step == 0 or index == count - 1:
            parts.append(
                f'<text x="{_x(index, count):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle" fill="#212529">{point.day:%Y-%m}</text>'
            )
    coords = " ".join(f"{_x(i, count):.1f},{_y(p.value, 100):.1f}" for i, p in enumerate(points))
    parts.append(f'<polyline points="{coords}" fill="none" stroke="#0b5ed7" stroke-width="2.5"/>')
    for index, point in enumerate(points):
        parts.append(
            f'<circle cx="{_x(index, count):.1f}" cy="{_y(point.value, 100):.1f}" r="3" '
            f'fill="#0b5ed7"><title>{point.day}: {point.value:.1f}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped or numeric


def _describe(points: Sequence[Point]) -> str:
    first, last = points[0], points[-1]
    low = min(points, key=lambda p: p.value)
    high = max(points, key=lambda p: p.value)
    return (
        f"From {first.value:.1f} on {first.day} to {last.value:.1f} on {last.day}; "
        f"lowest {low.value:.1f} ({low.day}), highest {high.value:.1f} ({high.day})."
    )
