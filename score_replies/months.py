"""Which months a police service may reply to, and which reply prints beside a score
(pure date arithmetic: no models, tested directly).

A reply answers the scorecard of a complete month: one whose last day has ended in the
site's time zone (`agreements.research_days`, the rule every researcher product keeps),
so the score it answers no longer moves. A month before the site opened is refused: the
site's operation is what the reply discusses, and a planned site (no opening day yet)
has no such month.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from agreements.periods import MONTH_FORMAT, Month
from agreements.research_days import month_end

NOT_COMPLETE = _(
    "This month has not ended at the site yet: a reply answers the scorecard of a complete month."
)
BEFORE_OPENING = _("The site opened on %(day)s: choose a month from its opening onwards.")
NOT_OPEN = _("The site has not opened yet: there is no month's scorecard to reply to.")

# The page offers this many months (newest first); older ones stay reachable by the API.
MONTHS_OFFERED = 24
# Managers are told of a reply written in the last days on their home page.
NEW_REPLY_DAYS = 14
# The liaison is reminded while the newest complete month has no reply, for this many
# days after it ended.
REPLY_WINDOW_DAYS = 30

__all__ = ["MONTH_FORMAT", "Month"]


def month_refusal(month: Month, *, opened_on: date | None, last_complete: date) -> str | None:
    """Why a reply to `month` is refused (None: it may be written). `last_complete` is
    the last day of the newest month complete at the site now."""
    if opened_on is None:
        return str(NOT_OPEN)
    if month < Month.of(opened_on):
        return str(BEFORE_OPENING) % {"day": opened_on.isoformat()}
    if month_end(month.first_day()) > last_complete:
        return str(NOT_COMPLETE)
    return None


def months_offered(*, opened_on: date | None, last_complete: date) -> list[Month]:
    """The complete months since the opening, newest first, at most MONTHS_OFFERED."""
    if opened_on is None:
        return []
    first, newest = Month.of(opened_on), Month.of(last_complete)
    months: list[Month] = []
    month = newest
    while month >= first and len(months) < MONTHS_OFFERED:
        months.append(month)
        month = month.shift(-1)
    return months


def month_answered_on(day: date) -> Month:
    """The month whose reply prints beside a score as of `day`: the newest month that has
    ended by the end of `day` (the day's own month when `day` is its last day, as in the
    end-of-month scores researchers read, else the month before)."""
    return Month.of(day + timedelta(days=1)).shift(-1)


def window_closes(month: Month) -> date:
    """The last day the liaison is reminded to reply to `month`."""
    return month_end(month.first_day()) + timedelta(days=REPLY_WINDOW_DAYS)
