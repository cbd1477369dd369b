"""Plausible dates: records of this tracker lie between 1990 and 2100, and what has
already happened cannot be dated later than today at the site."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)
OUT_OF_RANGE = gettext_lazy("Enter a date between 1990-01-01 and 2100-12-31.")
IN_THE_FUTURE = gettext_lazy(
    "This has not happened yet: the date cannot be later than today at the site."
)


def plausible_date(value: date) -> None:
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


def plausible_moment(value: datetime) -> None:
    plausible_date(value.date())


def latest_today() -> date:
    """The latest calendar day anywhere on Earth right now (UTC+14)."""
    return (timezone.now() + timedelta(hours=14)).date()


def future_errors(today: date, **values: date | None) -> dict[str, str]:
    """An error for each named date that lies after `today`."""
    return {name: str(IN_THE_FUTURE) for name, value in values.items() if value and value > today}
