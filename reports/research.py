"""The research edition: scores and counts with small-cell suppression (SPEC §8).

Every count it prints is a figure of the research release (`agreements.research_release`) of the
site's latest calendar year that has ended by the report's day: the same release the
research CSV reads, suppressed jointly, so the PDF's year totals and the CSV's months
cannot be subtracted from each other (issue 14 §2). The period is that fixed year, never
"the 12 months before the report's day": totals over ranges a reader could move would
differ by exactly the months between them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from agreements.choices import Category, LegalBasis
from agreements.periods import Quarter
from agreements.research_release import CATEGORIES, INFO, REQUEST_KINDS, release
from privacy.release import Release
from reports import data as report_data
from scoring.charts import MonthBar, monthly_bars


def _column_label(basis: str, disclosed: bool) -> str:
    label = LegalBasis(basis).label
    if disclosed:
        return _("%(basis)s: disclosed") % {"basis": label}
    return _("%(basis)s: nothing disclosed") % {"basis": label}


def research_year(as_of: date) -> int:
    """The latest calendar year that has ended by `as_of` (a research day: the end of
    a month complete at the site, so that year has ended at the site too)."""
    return (as_of + timedelta(days=1)).year - 1


def request_table(counts: Release, year: int) -> dict[str, Any]:
    """The year's police requests for information as the release publishes them: per
    quarter × legal basis × disclosed, with the quarter, column and year totals (the
    research PDF and the transparency page print the same figures)."""
    requests = [
        (
            quarter,
            [counts.mark(("request", quarter.key, b, d)) for b, d in REQUEST_KINDS],
            counts.mark(("requests_quarter", quarter.key)),
        )
        for quarter in (Quarter(year, q) for q in range(1, 5))
    ]
    return {
        "requests": requests,
        "requests_totals": [counts.mark(("requests_kind", b, d)) for b, d in REQUEST_KINDS],
        "requests_grand_total": counts.mark(("category", INFO)),
        "requests_year": year,
        "request_columns": [_column_label(basis, disclosed) for basis, disclosed in REQUEST_KINDS],
    }


def research_context(meta: report_data.Meta, threshold: int) -> dict[str, Any]:
    year = research_year(meta.as_of)
    site_year = release(meta.site, year, threshold)
    # A year that has ended has all its months (agreements.research_release.complete_months_in); a
    # site with no release for it (a report for a day before the year ended) prints none.
    if site_year is None or not site_year.complete:
        return {"counts_year": year, "has_counts": False, "threshold": threshold}
    counts: Release = site_year.release
    months = site_year.months
    breach_months = [(m.first_day(), counts.mark(("breaches", m.key))) for m in months]
    bars = [
        MonthBar(m.first_day(), counts.shown(("breaches", m.key)) or 0, label=printed)
        for m, (_day, printed) in zip(months, breach_months, strict=True)
    ]
    return {
        "has_counts": True,
        "counts_year": year,
        **request_table(counts, year),
        "categories": [(str(Category(c).label), counts.mark(("category", c))) for c in CATEGORIES],
        "categories_total": counts.mark(("grand",)),
        "breach_months": breach_months,
        "breach_total": counts.mark(("breaches_year",)),
        "breaches_chart": monthly_bars(
            bars, title=_("Breaches per month (suppressed counts drawn as 0)"), chart_id="breaches"
        ),
        "threshold": threshold,
    }
