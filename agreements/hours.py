"""Operating hours as plain data, and whether a local time interval falls inside them.

Hours are wall-clock times in the site's timezone. A row whose `closes` is at or before
its `opens` runs past midnight into the next day (SPEC §3). Intervals are half-open:
a visit that ends when the site opens, or starts when it closes, does not overlap.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext


@dataclass(frozen=True)
class OpeningSpan:
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: time
    closes: time

    @property
    def runs_past_midnight(self) -> bool:
        return self.closes <= self.opens

    def on(self, day: date) -> tuple[datetime, datetime]:
        """The open interval that starts on `day` (which must fall on this weekday)."""
        start = datetime.combine(day, self.opens)
        end_day = day + timedelta(days=1) if self.runs_past_midnight else day
        return start, datetime.combine(end_day, self.closes)


def overlaps_hours(start: datetime, end: datetime, spans: Iterable[OpeningSpan]) -> bool:
    """True when the naive local interval [start, end) shares any moment with opening hours."""
    if end <= start:
        return False
    by_weekday: dict[int, list[OpeningSpan]] = {}
    for span in spans:
        by_weekday.setdefault(span.weekday, []).append(span)
    # A span opening the day before `start` may still be open past midnight.
    day = start.date() - timedelta(days=1)
    while day <= end.date():
        for span in by_weekday.get(day.weekday(), ()):
            opens_at, closes_at = span.on(day)
            if opens_at < end and start < closes_at:
                return True
        day += timedelta(days=1)
    return False


def describe_span(span: OpeningSpan) -> str:
    text = f"{span.opens:%H:%M}–{span.closes:%H:%M}"
    return gettext("%(span)s (next day)") % {"span": text} if span.runs_past_midnight else text
