"""The research edition: scores and counts with small-cell suppression (SPEC §8)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from agreements.choices import LegalBasis
from agreements.periods import Quarter
from privacy.suppression import suppress_rows
from reports import data as report_data
from reports.transparency import COLUMNS, suppressed_transparency, transparency_rows
from scoring.charts import MonthBar, monthly_bars


def _suppressed_column(counts: list[int], threshold: int) -> tuple[list[str], str]:
    """One list of counts with its total, suppressed as one line of a table (SPEC §8)."""
    *cells, total = suppress_rows([counts], threshold)[0]
    return cells, total


def _column_label(basis: str, disclosed: bool) -> str:
    label = LegalBasis(basis).label
    if disclosed:
        return _("%(basis)s: disclosed") % {"basis": label}
    return _("%(basis)s: nothing disclosed") % {"basis": label}


def research_context(meta: report_data.Meta, threshold: int) -> dict[str, Any]:
    summary = report_data.interaction_summary(meta.site, meta.as_of)
    labels = [label for label, _counts, _total in summary.by_category]
    cells, total = _suppressed_column([t for _l, _c, t in summary.by_category], threshold)
    months, month_total = _suppressed_column(summary.breaches_by_month, threshold)
    bars = [
        MonthBar(m, 0 if text.startswith("<") else int(text), label=text)
        for m, text in zip(summary.months, months, strict=True)
    ]
    # A whole calendar year, as the research CSV publishes it: totals over ranges a reader
    # could vary might be subtracted from each other.
    year = meta.as_of.year - 1
    quarters = [Quarter(year, q) for q in range(1, 5)]
    requests = transparency_rows(meta.site, first=quarters[0], last=quarters[-1])
    table = suppressed_transparency(requests, threshold)
    return {
        "requests": list(zip(quarters, table.cells, table.row_totals, strict=True)),
        "requests_totals": table.column_totals,
        "requests_grand_total": table.grand_total,
        "requests_year": year,
        "request_columns": [_column_label(basis, disclosed) for basis, disclosed in COLUMNS],
        "categories": list(zip(labels, cells, strict=True)),
        "categories_total": total,
        "breach_months": list(zip(summary.months, months, strict=True)),
        "breach_total": month_total,
        "breaches_chart": monthly_bars(
            bars, title=_("Breaches per month (suppressed counts drawn as 0)"), chart_id="breaches"
        ),
        "threshold": threshold,
    }
