"""The days researchers' scores are computed for (pure date arithmetic)."""

from __future__ import annotations

from datetime import date, timedelta


def research_day(day: date, today: date) -> date:
    """The day a researcher's score is computed for: the end of `day`'s month, or of the
    month before while that month is not over. Scores that moved day by day (even within
    the current month) would date single breaches."""
    end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return end if end <= today else day.replace(day=1) - timedelta(days=1)
