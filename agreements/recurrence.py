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
from django.utils.translation import gettext as _

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
                raise ValidationError(
                    _("%(name)s takes whole numbers, got %(item)s.")
                    % {"name": name, "item": repr(item)}
                )
            number = abs(int(item))
            if number < low or number > high:
                sign = "±" if signed else ""
                raise ValidationError(
                    _("%(name)s must be between %(low)s and %(high)s.")
                    % {"name": name, "low": f"{sign}{low}", "high": f"{sign}{high}"}
                )

    return check


def _byday(name: str, value: str) -> None:
    for item in value.split(","):
        match = _BYDAY.match(item)
        if not match:
            raise ValidationError(
                _("BYDAY takes days like TU or 2TU (second Tuesday) or -1FR, got %(item)s.")
                % {"item": repr(item)}
            )
        if match.group(2) and not 1 <= int(match.group(2)) <= 53:
            raise ValidationError(
                _("The week number in BYDAY=%(item)s must be between 1 and 53.") % {"item": item}
            )


def _wkst(name: str, value: str) -> None:
    if value not in WEEKDAYS:
        raise ValidationError(_("WKST must be a day: MO, TU, WE, TH, FR, SA or SU."))


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
            raise ValidationError(
                _("Each part of the rule is NAME=VALUE; %(part)s is not.") % {"part": repr(chunk)}
            )
        if name in parts:
            raise ValidationError(_("%(name)s appears twice in the rule.") % {"name": name})
        parts[name] = part
    return parts


def parse_rrule(text: str, *, start: date, at: time = time(0, 0)) -> rrule:
    """Parse a rule like FREQ=MONTHLY;BYDAY=2TU, or raise ValidationError saying why not."""
    value = normalise_rrule(text)
    if not value:
        raise ValidationError(_("Enter a recurrence rule, for example FREQ=MONTHLY;BYDAY=2TU."))
    if len(value) > MAX_RULE_LENGTH:
        raise ValidationError(
            _("A recurrence rule is at most %(count)s characters.") % {"count": MAX_RULE_LENGTH}
        )
    parts = _parts(value)
    for name in parts:
        if name in _OWN_FIELDS:
            raise ValidationError(
                _(
                    "Leave %(name)s out of the rule: the schedule's start date, end date and "
                    "time fields set it."
                )
                % {"name": name}
            )
        if name != "FREQ" and name not in PART_CHECKS:
            raise ValidationError(
                _("%(name)s is not a rule part check-in schedules use.") % {"name": name}
            )
    if "FREQ" not in parts:
        raise ValidationError(_("The rule needs FREQ=…, for example FREQ=WEEKLY;BYDAY=TU."))
    if parts["FREQ"] not in FREQUENCIES:
        raise ValidationError(
            _("Check-ins recur YEARLY, MONTHLY, WEEKLY or DAILY; FREQ=%(freq)s is refused.")
            % {"freq": parts["FREQ"]}
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
        raise ValidationError(
            _("This is not a valid RFC 5545 recurrence rule (%(error)s).") % {"error": exc}
        ) from None
    if not occurs:
        raise ValidationError(
            _("This rule gives no date in the %(years)s years after the start date.")
            % {"years": HORIZON_YEARS}
        )
    return rule
