"""RFC 5545 recurrence rules for check-in schedules: parsing with clear refusals."""

from datetime import date, datetime, time

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.core.exceptions import ValidationError

ALLOWED_FREQUENCIES = {YEARLY: "YEARLY", MONTHLY: "MONTHLY", WEEKLY: "WEEKLY", DAILY: "DAILY"}
MAX_RULE_LENGTH = 200

# Parts that belong to the schedule's own fields (start date, end date, local time).
_FORBIDDEN_PARTS = ("DTSTART", "UNTIL", "BYHOUR", "BYMINUTE", "BYSECOND")


def normalise_rrule(text: str) -> str:
    value = text.strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]
    return value.upper()


def parse_rrule(text: str, *, start: date, at: time = time(0, 0)) -> rrule:
    """Parse a rule like FREQ=MONTHLY;BYDAY=2TU, or raise ValidationError saying why not."""
    value = normalise_rrule(text)
    if not value:
        raise ValidationError("Enter a recurrence rule, for example FREQ=MONTHLY;BYDAY=2TU.")
    if len(value) > MAX_RULE_LENGTH:
        raise ValidationError(f"A recurrence rule is at most {MAX_RULE_LENGTH} characters.")
    if "FREQ=" not in value:
        raise ValidationError("The rule needs FREQ=…, for example FREQ=WEEKLY;BYDAY=TU.")
    for part in _FORBIDDEN_PARTS:
        if f"{part}=" in value or value.startswith(f"{part}:"):
            raise ValidationError(
                f"Leave {part} out of the rule: the schedule's start date, end date and "
                "time fields set it."
            )
    try:
        rule = rrulestr(value, dtstart=datetime.combine(start, at))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ValidationError(f"This is not a valid RFC 5545 recurrence rule: {exc}.") from None
    if not isinstance(rule, rrule):
        raise ValidationError("Enter a single RRULE, not a set of rules.")
    if rule._freq not in ALLOWED_FREQUENCIES:  # type: ignore[attr-defined]
        raise ValidationError(
            "Check-ins recur yearly, monthly, weekly or daily; hourly and finer rules are refused."
        )
    return rule
