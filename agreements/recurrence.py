"""RFC 5545 recurrence rules for check-in schedules: parsing with clear refusals.

dateutil accepts rules that can never occur (BYMONTHDAY=31;BYMONTH=2), values outside
RFC 5545's ranges (BYDAY=9TU, INTERVAL=0) or that fail only when expanded. Every part is
checked here against the RFC's ranges, and the rule must produce a date within
`HORIZON_YEARS` of its start, so a saved schedule can always be expanded.
"""

import re
from collections.abc import Callable
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.core.exceptions import ValidationError

MAX_RULE_LENGTH = 200
HORIZON_YEARS = 5
FREQUENCIES = {"YEARLY": YEARLY, "MONTHLY": MONTHLY, "WEEKLY": WEEKLY, "DAILY": DAILY}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Parts that belong to the schedule's own fields (start date, end date, local time).
_OWN_FIELDS = {"DTSTART", "UNTIL", "BYHOUR", "BYMINUTE", "BYSECOND"}
_BYDAY = re.compile(r"^([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _int_list(low: int, high: int, *, signed: bool) -> Callable[[str, str], None]:
    def check(name: str, value: str) -> None:
        for item in value.split(","):
            if not re.fullmatch(r"[+-]?\d{1,4}" if signed else r"\d{1,4}", item):
                raise ValidationError(f"{name} takes whole numbers, got {item!r}.")
            number = abs(int(item))
            if number < low or number > high:
                sign = "±" if signed else ""
                raise ValidationError(f"{name} must be between {sign}{low} and {sign}{high}.")

    return check


def _byday(name: str, value: str) -> None:
    for item in value.split(","):
        match = _BYDAY.match(item)
        if not match:
            raise ValidationError(
                f"BYDAY takes days like TU or 2TU (second Tuesday) or -1FR, got {item!r}."
            )
        if match.group(2) and not 1 <= int(match.group(2)) <= 53:
            raise ValidationError(f"The week number in BYDAY={item} must be between 1 and 53.")


def _wkst(name: str, value: str) -> None:
    if value not in WEEKDAYS:
        raise ValidationError("WKST must be a day: MO, TU, WE, TH, FR, SA or SU.")


PART_CHECKS: dict[str, Callable[[str, str], None]] = {
    "INTERVAL": _int_list(1, 366, signed=False),
    "COUNT": _int_list(1, 1000, signed=False),
    "BYDAY": _byday,
    "BYMONTHDAY": _int_list(1, 31, signed=True),
    "BYMONTH": _int_list(1, 12, signed=False),
    "BYYEARDAY": _int_list(1, 366, signed=True),
    "BYWEEKNO": _int_list(1, 53, signed=True),
    "BYSETPOS": _int_list(1, 366, signed=True),
    "WKST": _wkst,
}


def normalise_rrule(text: str) -> str:
    value = text.strip().upper()
    if value.startswith("RRULE:"):
        value = value[len("RRULE:") :]
    return value


def _parts(value: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for chunk in value.split(";"):
        name, sep, part = chunk.partition("=")
        if not sep or not name or not part:
            raise ValidationError(f"Each part of the rule is NAME=VALUE; {chunk!r} is not.")
        if name in parts:
            raise ValidationError(f"{name} appears twice in the rule.")
        parts[name] = part
    return parts


def parse_rrule(text: str, *, start: date, at: time = time(0, 0)) -> rrule:
    """Parse a rule like FREQ=MONTHLY;BYDAY=2TU, or raise ValidationError saying why not."""
    value = normalise_rrule(text)
    if not value:
        raise ValidationError("Enter a recurrence rule, for example FREQ=MONTHLY;BYDAY=2TU.")
    if len(value) > MAX_RULE_LENGTH:
        raise ValidationError(f"A recurrence rule is at most {MAX_RULE_LENGTH} characters.")
    parts = _parts(value)
    for name in parts:
        if name in _OWN_FIELDS:
            raise ValidationError(
                f"Leave {name} out of the rule: the schedule's start date, end date and "
                "time fields set it."
            )
        if name != "FREQ" and name not in PART_CHECKS:
            raise ValidationError(f"{name} is not a rule part check-in schedules use.")
    if "FREQ" not in parts:
        raise ValidationError("The rule needs FREQ=…, for example FREQ=WEEKLY;BYDAY=TU.")
    if parts["FREQ"] not in FREQUENCIES:
        raise ValidationError(
            f"Check-ins recur YEARLY, MONTHLY, WEEKLY or DAILY; FREQ={parts['FREQ']} is refused."
        )
    for name, part in parts.items():
        if name in PART_CHECKS:
            PART_CHECKS[name](name, part)
    first = datetime.combine(start, at)
    try:
        rule = rrulestr(value, dtstart=first)
        assert isinstance(rule, rrule)
        occurs = rule.between(first, first + relativedelta(years=HORIZON_YEARS), inc=True)
    except (ValueError, TypeError, KeyError, IndexError, AssertionError) as exc:
        raise ValidationError(f"This is not a valid RFC 5545 recurrence rule ({exc}).") from None
    if not occurs:
        raise ValidationError(
            f"This rule gives no date in the {HORIZON_YEARS} years after the start date."
        )
    return rule
