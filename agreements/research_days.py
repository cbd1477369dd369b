"""The days researchers' scores are computed for (pure date arithmetic).

One rule for every researcher path (scorecard, score API, research PDF, dashboard, network
report, research CSV): a month is complete for a site only once its last day has ended in
the site's time zone. A month that still runs would move from one reading to the next and
so date an event to within hours; a UTC or "latest today across time zones" clock would
call a month complete at a site where it is still the last evening.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol


class Zoned(Protocol):
    """Anything with the site's time zone (a `Site`); no model is imported here."""

    @property
    def tz(self) -> tzinfo: ...


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def last_complete_month_end(site: Zoned, now: datetime) -> date:
    """The last day of the newest month that has ended at `site` at the moment `now`
    (an aware datetime): the day before the first of the site's current local month."""
    today = now.astimezone(site.tz).date()
    return today.replace(day=1) - timedelta(days=1)


def complete(site: Zoned, day: date, now: datetime) -> bool:
    """Whether `day`'s month has ended at `site` at the moment `now`."""
    return month_end(day) <= last_complete_month_end(site, now)


def research_day(site: Zoned, day: date, now: datetime) -> date:
    """The day a researcher's score is computed for: the end of `day`'s month when that
    month is complete at the site, else the end of the newest complete month. Scores that
    moved day by day (even within the current month) would date single breaches."""
    return min(month_end(day), last_complete_month_end(site, now))
