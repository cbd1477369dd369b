"""Calendar months and quarters, local to each site, for aggregated exports.

An interaction belongs to the month (or quarter) of its local time at its site, so a
02:00 UTC event on 1 March is a February event in Toronto and a March one in Berlin.
Periods travel as small integer keys (year × 12 + month − 1; year × 4 + quarter − 1)
so the database can group by them and Python can order and step them.
"""

from __future__ import annotations

import re
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from django.db.models import Case, ExpressionWrapper, F, IntegerField, Value, When
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear
from django.utils.translation import gettext_lazy

from agreements.dates import EARLIEST, LATEST

MONTH_FORMAT = gettext_lazy(
    "Use a month written YYYY-MM, such as 2026-01, between 1990-01 and 2100-12."
)
YEAR_FORMAT = gettext_lazy("Use a year written YYYY, such as 2025, between 1990 and 2100.")

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")  # [0-9], not \d: no other scripts' digits
_YEAR = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int  # 1…12

    @classmethod
    def parse(cls, text: str) -> Month:
        """A month from "YYYY-MM"; ValueError with MONTH_FORMAT otherwise."""
        match = _MONTH.match(text.strip())
        if not match:
            raise ValueError(MONTH_FORMAT)
        year, month = int(match[1]), int(match[2])
        if not (1 <= month <= 12 and EARLIEST.year <= year <= LATEST.year):
            raise ValueError(MONTH_FORMAT)
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_key(cls, key: int) -> Month:
        return cls(key // 12, key % 12 + 1)

    @property
    def key(self) -> int:
        return self.year * 12 + self.month - 1

    def shift(self, months: int) -> Month:
        return Month.from_key(self.key + months)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int  # 1…4

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def from_key(cls, key: int) -> Quarter:
        return cls(key // 4, key % 4 + 1)

    @property
    def key(self) -> int:
        return self.year * 4 + self.quarter - 1

    def shift(self, quarters: int) -> Quarter:
        return Quarter.from_key(self.key + quarters)

    def first_day(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-Q{self.quarter}"


def parse_year(text: str) -> int:
    """A year from "YYYY" within the app's plausible dates; ValueError otherwise."""
    if not _YEAR.match(text.strip()) or not EARLIEST.year <= int(text) <= LATEST.year:
        raise ValueError(YEAR_FORMAT)
    return int(text)


def keys_between(first: int, last: int) -> range:
    return range(first, last + 1)


def utc_window(first_day: date, end_day: date) -> tuple[datetime, datetime]:
    """Instants that surely contain every local moment from `first_day` (inclusive) to
    `end_day` (exclusive) in any timezone: clocks run from UTC−12 to UTC+14. A coarse
    filter the index on (site, occurred_at) can serve; the exact period is checked on
    the local key."""
    utc = zoneinfo.ZoneInfo("UTC")
    start = datetime.combine(first_day, datetime.min.time(), utc) - timedelta(hours=14)
    end = datetime.combine(end_day, datetime.min.time(), utc) + timedelta(hours=12)
    return start, end


def local_period_key(
    site_zones: Iterable[tuple[int, str]],
    period: Literal["month", "quarter"],
    field: str = "occurred_at",
) -> Case:
    """An SQL expression giving the local period key of `field` for rows of the given
    sites, whatever their timezones, in one query.

    Why one CASE over timezones rather than a query per timezone, or local dates worked
    out in Python: the number of queries stays fixed however many zones the sites use,
    and the database returns one row per site × period × category instead of one per
    interaction. Sites are grouped by zone, so the CASE has one branch per distinct zone
    (a handful), not one per site.
    """
    by_zone: dict[str, list[int]] = defaultdict(list)
    for site_id, zone in site_zones:
        by_zone[zone].append(site_id)
    extract = ExtractMonth if period == "month" else ExtractQuarter
    per_year = 12 if period == "month" else 4
    branches = []
    for zone, ids in sorted(by_zone.items()):
        tz = zoneinfo.ZoneInfo(zone)
        key = ExpressionWrapper(
            ExtractYear(F(field), tzinfo=tz) * Value(per_year)
            + extract(F(field), tzinfo=tz)
            - Value(1),
            output_field=IntegerField(),
        )
        branches.append(When(site_id__in=sorted(ids), then=key))
    return Case(*branches, default=None, output_field=IntegerField())
