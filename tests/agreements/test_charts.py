"""The monthly bar chart names each bar's month, count and series in words that read
right for one or many, in both languages."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from scoring.charts import MonthBar, monthly_bars

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
