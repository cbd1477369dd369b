"""The research edition: scores and counts with small-cell suppression (SPEC §8)."""

from __future__ import annotations

from typing import Any

from agreements import report_data
from agreements.charts import MonthBar, monthly_bars
from agreements.suppression import suppress_rows


def _suppressed_column(counts: list[int], threshold: int) -> tuple[list[str], str]:
    """One list of counts with its total, suppressed as one line of a table (SPEC §8)."""
    *cells, total = suppress_rows([counts], threshold)[0]
    return cells, total


def research_context(meta: report_data.Meta, threshold: int) -> dict[str, Any]:
    summary = report_data.interaction_summary(meta.site, meta.as_of)
    labels = [label for label, _counts, _total in summary.by_category]
    cells, total = _suppressed_column([t for _l, _c, t in summary.by_category], threshold)
    months, month_total = _suppressed_column(summary.breaches_by_month, threshold)
    bars = [
        MonthBar(m, 0 if text.startswith("<") else int(text), label=text)
        for m, text in zip(summary.months, months, strict=True)
    ]
    return {
        "categories": list(zip(labels, cells, strict=True)),
        "categories_total": total,
        "breach_months": list(zip(summary.months, months, strict=True)),
        "breach_total": month_total,
        "breaches_chart": monthly_bars(
            bars, title="Breaches per month (suppressed counts drawn as 0)", chart_id="breaches"
        ),
        "threshold": threshold,
    }
