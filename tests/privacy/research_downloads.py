"""What a researcher downloads, read back into figures for the LP audit (lp_audit.py).

Each product is fetched over HTTP as the research role gets it, and every count it prints
becomes a `Figure`: the finest cells its value adds up (`plan_for` says which) and the
text printed for it. Cells are keyed `(site slug, month key, cell kind)`, so the figures
of different sites never share an unknown. The parsing reads the files as a reader would
(column names, quarter labels, category labels), not through the code that wrote them.

Score readings become `Constraint`s on the breach cells (`score_constraints`): what the
compliance points allow, and what the evidence sentence beside them says (a reader has
both, and the documented ranges mean the same: 0–20 points is 1 to T−1 breaches).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Hashable, Iterable
from datetime import date, timedelta
from typing import Any, cast

import pytest
from django.urls import reverse

from agreements.choices import Category
from agreements.periods import Month, Quarter
from agreements.research_days import month_end
from agreements.research_release import INFO, plan_for
from reports import editions
from tests.privacy.lp_audit import Constraint, Figure

# SPEC §7: compliance = max(0, 25 − 5 × breaches in the 90 days ending as_of).
COMPLIANCE_MAX, POINTS_PER_BREACH, BREACH_DAYS = 25, 5, 90
STAGE_MONTH, STAGE_YEAR = 1, 2

Cell = tuple[str, int, Hashable]  # (site slug, month key, cell kind)


def cells_of(slug: str, year: int, name: tuple[object, ...]) -> frozenset[Cell]:
    """The finest cells of one site that the release's sum `name` adds up."""
    cells = cast("frozenset[tuple[int, Hashable]]", plan_for(year, 12).sums[name])
    return frozenset((slug, mk, kind) for mk, kind in cells)


def month_key(cell: Hashable) -> int:
    """The month key of a cell `(site slug, month key, kind)`."""
    return cast(Cell, cell)[1]


def rows_of(text: str) -> tuple[list[str], list[list[str]]]:
    lines = list(csv.reader(io.StringIO(text)))
    return lines[0], lines[1:]


# --- the research CSV: /api/v1/exports/interactions.csv ------------------------------------


def research_csv_figures(text: str, label: str) -> list[Figure]:
    """Each category of each site's month (stage 1), and the month's total."""
    header, rows = rows_of(text)
    assert header[:2] == ["site", "month"], header
    assert header[-1] == "total", header
    figures = []
    for row in rows:
        slug, month = row[0], Month.parse(row[1])
        mk, where = month.key, f"{label} {slug} {month}"
        for category, printed in zip(header[2:-1], row[2:-1], strict=True):
            cells = cells_of(slug, month.year, ("cell", mk, category))
            figures.append(Figure(cells, printed, f"{where} {category}", STAGE_MONTH))
        figures.append(Figure(cells_of(slug, month.year, ("row", mk)), row[-1], f"{where} total"))
    return figures


def research_csv_months(text: str) -> set[tuple[str, Month]]:
    return {(row[0], Month.parse(row[1])) for row in rows_of(text)[1]}


# --- the transparency CSV: /api/v1/exports/transparency.csv --------------------------------


def _request_kind(column: str) -> tuple[str, bool]:
    """ "warrant_not_disclosed" → ("warrant", False); "none_disclosed" → ("none", True)."""
    for suffix, disclosed in (("_not_disclosed", False), ("_disclosed", True)):
        if column.endswith(suffix):
            return column.removesuffix(suffix), disclosed
    raise AssertionError(f"Unknown transparency column {column!r}")


def transparency_figures(text: str, label: str) -> list[Figure]:
    """Per site: requests per quarter × legal basis × disclosed, the quarter's total, then
    a line of column totals and the year's total (all stage 2: the year has ended)."""
    header, rows = rows_of(text)
    assert header[:2] == ["site", "quarter"], header
    assert header[-1] == "total", header
    kinds = [_request_kind(c) for c in header[2:-1]]
    figures: list[Figure] = []
    year_of: dict[str, int] = {}
    for row in rows:
        slug, when = row[0], row[1]
        if when == "total":
            year = year_of[slug]
            names: list[tuple[object, ...]] = [("requests_kind", b, d) for b, d in kinds]
            total: tuple[object, ...] = ("category", INFO)
        else:
            quarter = Quarter(int(when[:4]), int(when[-1]))
            year = year_of[slug] = quarter.year
            names = [("request", quarter.key, b, d) for b, d in kinds]
            total = ("requests_quarter", quarter.key)
        where = f"{label} {slug} {year} {when}"
        for name, (basis, disclosed), printed in zip(names, kinds, row[2:-1], strict=True):
            kind = f"{basis}{' disclosed' if disclosed else ''}"
            cells = cells_of(slug, year, name)
            figures.append(Figure(cells, printed, f"{where} {kind}", STAGE_YEAR))
        cells = cells_of(slug, year, total)
        figures.append(Figure(cells, row[-1], f"{where} total", STAGE_YEAR))
    return figures


def transparency_slugs(text: str) -> set[str]:
    return {row[0] for row in rows_of(text)[1]}


# --- the research PDF ----------------------------------------------------------------------


def research_pdf_context(client: Any, slug: str) -> dict[str, Any]:
    """The research PDF's figures as the view renders them (its context, not its bytes)."""
    seen: dict[str, Any] = {}

    def capture(template: str, context: dict[str, Any]) -> bytes:
        seen.update(context)
        return b"%PDF-1.7"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(editions, "render_pdf", capture)
        url = reverse("agreements:site_report", kwargs={"slug": slug, "edition": "research"})
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return seen


def research_pdf_figures(slug: str, context: dict[str, Any], label: str) -> list[Figure]:
    """The year's counts the research PDF prints: per category and in all, breaches per
    month (stage 1) and over the year, and the requests-for-information table."""
    if not context["has_counts"]:
        return []
    year = context["counts_year"]
    where = f"{label} {slug} {year}"
    by_label = {str(Category(c).label): c for c in Category.values}

    def figure(
        name: tuple[object, ...], printed: str, what: str, stage: int = STAGE_YEAR
    ) -> Figure:
        return Figure(cells_of(slug, year, name), printed, f"{where} {what}", stage)

    figures = [figure(("category", by_label[lb]), p, lb) for lb, p in context["categories"]]
    figures.append(figure(("grand",), context["categories_total"], "all categories"))
    for day, printed in context["breach_months"]:
        month = Month.of(day)
        what = f"breaches {month}"
        figures.append(figure(("breaches", month.key), printed, what, STAGE_MONTH))
    figures.append(figure(("breaches_year",), context["breach_total"], "breaches"))
    for quarter, marks, total in context["requests"]:
        names = [("request", quarter.key, b, d) for b, d in _request_columns(context)]
        for name, printed in zip(names, marks, strict=True):
            figures.append(figure(name, printed, f"requests {quarter} {name[2]} {name[3]}"))
        figures.append(figure(("requests_quarter", quarter.key), total, f"requests {quarter}"))
    for (basis, disclosed), printed in zip(
        _request_columns(context), context["requests_totals"], strict=True
    ):
        figures.append(figure(("requests_kind", basis, disclosed), printed, f"requests {basis}"))
    figures.append(figure(("category", INFO), context["requests_grand_total"], "requests"))
    return figures


def _request_columns(context: dict[str, Any]) -> list[tuple[str, bool]]:
    """The table's columns (legal basis, disclosed) from their printed labels."""
    from agreements.choices import LegalBasis

    by_label = {str(LegalBasis(b).label): b for b in LegalBasis.values}
    columns = []
    for label in context["request_columns"]:
        basis, _, rest = str(label).partition(": ")
        columns.append((by_label[basis], rest == "disclosed"))
    return columns


# --- scores --------------------------------------------------------------------------------


def _compliance(score: dict[str, Any]) -> dict[str, Any]:
    factor = next(f for f in score["factors"] if f["key"] == "entry_presence_agreement")
    return next(c for c in factor["criteria"] if c["key"] == "compliance")


def compliance_points(score: dict[str, Any]) -> tuple[float, float]:
    """The least and greatest compliance points a researcher's score JSON states."""
    points = _compliance(score)["points"]
    if isinstance(points, dict):
        return points["min"], points["max"]
    return points, points


def breaches_by_points(score: dict[str, Any]) -> tuple[int, int | None]:
    """The fewest and most breaches in the 90 days that the points allow (None: no
    limit; 0 points is any number from 5 on)."""
    low_points, high_points = compliance_points(score)
    least = max(0, math.ceil((COMPLIANCE_MAX - high_points) / POINTS_PER_BREACH))
    most = None
    if low_points > 0:
        most = math.floor((COMPLIANCE_MAX - low_points) / POINTS_PER_BREACH)
    return least, most


_MONTHS_OF = rf"in the months of the last {BREACH_DAYS} days"
_EVIDENCE = (
    (re.compile(rf"^From (\d+) to (\d+) breach(?:es)? {_MONTHS_OF}\.$"), "between"),
    (re.compile(rf"^(\d+) or more breach(?:es)? {_MONTHS_OF}\.$"), "or more"),
    (re.compile(rf"^(\d+) breach(?:es)? in the last {BREACH_DAYS} days\.$"), "exactly"),
)


def breaches_by_evidence(score: dict[str, Any]) -> tuple[int, int | None]:
    """What the evidence sentence says of the same count ("From 1 to 9 breaches in the
    months of the last 90 days." is 1 to 9). A sentence of another shape fails the test:
    a reading the audit cannot parse would drop out of it silently."""
    text = _compliance(score)["evidence"]
    for pattern, kind in _EVIDENCE:
        match = pattern.match(text)
        if match:
            n = int(match[1])
            if kind == "between":
                return n, int(match[2])
            return (n, None) if kind == "or more" else (n, n)
    raise AssertionError(f"An evidence sentence the audit cannot read: {text!r}")


def score_constraints(slug: str, score: dict[str, Any], label: str) -> list[Constraint]:
    """What a compliance reading tells of the breach cells, by its points and by its
    evidence: the breaches in the 90 days ending `as_of` are at most the fewer of what
    the two allow (months wholly inside the window hold no more) and at least the more
    of what they need (all the months the window touches hold no fewer)."""
    as_of = date.fromisoformat(score["as_of"])
    (least_p, most_p), (least_e, most_e) = breaches_by_points(score), breaches_by_evidence(score)
    least = max(least_p, least_e)
    most = min((m for m in (most_p, most_e) if m is not None), default=None)
    first = as_of - timedelta(days=BREACH_DAYS - 1)
    span = Month.of(as_of).key - Month.of(first).key
    months = [Month.of(first).shift(i) for i in range(span + 1)]
    inside = [m for m in months if m.first_day() >= first and month_end(m.first_day()) <= as_of]
    low_points, high_points = compliance_points(score)
    where = (
        f"{label} {slug} as of {as_of}: compliance {low_points:g}..{high_points:g}, "
        f"{_compliance(score)['evidence']!r}"
    )
    constraints = []
    if most is not None:
        constraints.append(Constraint(_breach_cells(slug, inside), None, most, where))
    if least > 0:
        constraints.append(Constraint(_breach_cells(slug, months), least, None, where))
    return constraints


def _breach_cells(slug: str, months: Iterable[Month]) -> dict[Hashable, float]:
    return {cell: 1.0 for m in months for cell in cells_of(slug, m.year, ("breaches", m.key))}
