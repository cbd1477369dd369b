"""The schedule picker as plain data: "every first Wednesday of the month" ↔ its RFC 5545 rule.

The rule stays the interface (stored, exported, edited in the "advanced" field); the picker
is a way to write the rules managers use most. `picker_to_rrule` writes one canonical text
per choice, and `rrule_to_picker` recognises exactly those texts, so a stored rule shown in
the picker and saved again is unchanged. Any other rule (another part order, BYMONTH,
COUNT, several positions …) is left to the advanced field.
"""

from __future__ import annotations

from dataclasses import dataclass

from agreements.recurrence import WEEKDAYS, normalise_rrule

WEEKLY = "weekly"
MONTHLY_WEEKDAY = "monthly_weekday"
MONTHLY_DAY = "monthly_day"
DAILY = "daily"
ADVANCED = "advanced"
PATTERNS = (WEEKLY, MONTHLY_WEEKDAY, MONTHLY_DAY, DAILY)

POSITIONS = (1, 2, 3, 4, -1)  # first … fourth, last
MONTH_DAYS = (*range(1, 32), -1)  # 1 … 31, last
MAX_INTERVAL = 52

_FREQ = {WEEKLY: "WEEKLY", MONTHLY_WEEKDAY: "MONTHLY", MONTHLY_DAY: "MONTHLY", DAILY: "DAILY"}


@dataclass(frozen=True)
class Picker:
    """What the picker holds. `weekdays` for weekly; `position` and `weekday` for
    monthly by weekday; `month_day` for monthly by date; `interval` for all."""

    pattern: str
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    position: int | None = None
    weekday: str | None = None
    month_day: int | None = None


class PickerError(ValueError):
    """A picker choice that names no rule; `field` is the picker field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def picker_to_rrule(picker: Picker) -> str:
    """Picker(WEEKLY, 2, ("TU",)) → "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU". The parts are
    always in the order FREQ, INTERVAL (left out when 1), BYDAY or BYMONTHDAY; days of
    the week from Monday. Raises `PickerError` naming the field that is missing or wrong."""
    if picker.pattern not in _FREQ:
        raise PickerError("repeats", "unknown pattern")
    if not 1 <= picker.interval <= MAX_INTERVAL:
        raise PickerError("interval", "interval out of range")
    parts = [f"FREQ={_FREQ[picker.pattern]}"]
    if picker.interval != 1:
        parts.append(f"INTERVAL={picker.interval}")
    if picker.pattern == WEEKLY:
        if not picker.weekdays or any(d not in WEEKDAYS for d in picker.weekdays):
            raise PickerError("weekdays", "no weekday")
        parts.append("BYDAY=" + ",".join(d for d in WEEKDAYS if d in picker.weekdays))
    elif picker.pattern == MONTHLY_WEEKDAY:
        if picker.position not in POSITIONS:
            raise PickerError("position", "no position")
        if picker.weekday not in WEEKDAYS:
            raise PickerError("weekday", "no weekday")
        parts.append(f"BYDAY={picker.position}{picker.weekday}")
    elif picker.pattern == MONTHLY_DAY:
        if picker.month_day not in MONTH_DAYS:
            raise PickerError("month_day", "no day of the month")
        parts.append(f"BYMONTHDAY={picker.month_day}")
    return ";".join(parts)


def rrule_to_picker(text: str) -> Picker | None:
    """The picker that writes exactly this rule, or None: the advanced field keeps it."""
    value = normalise_rrule(text)
    parts: dict[str, str] = {}
    for chunk in value.split(";"):
        name, sep, part = chunk.partition("=")
        if not sep or name in parts:
            return None
        parts[name] = part
    freq = parts.pop("FREQ", "")
    interval_text = parts.pop("INTERVAL", "1")
    if not interval_text.isdigit():
        return None
    interval = int(interval_text)
    picker: Picker | None = None
    byday = parts.pop("BYDAY", None)
    monthday = parts.pop("BYMONTHDAY", None)
    if parts:
        return None  # BYMONTH, COUNT, WKST …: beyond the picker
    if freq == "WEEKLY" and byday and monthday is None:
        picker = Picker(WEEKLY, interval, weekdays=tuple(byday.split(",")))
    elif freq == "MONTHLY" and byday and monthday is None:
        day, number = byday[-2:], byday[:-2]
        if number.lstrip("-").isdigit():
            picker = Picker(MONTHLY_WEEKDAY, interval, position=int(number), weekday=day)
    elif freq == "MONTHLY" and monthday and byday is None:
        if monthday.lstrip("-").isdigit():
            picker = Picker(MONTHLY_DAY, interval, month_day=int(monthday))
    elif freq == "DAILY" and byday is None and monthday is None:
        picker = Picker(DAILY, interval)
    if picker is None:
        return None
    try:
        written = picker_to_rrule(picker)
    except PickerError:
        return None
    return picker if written == value else None
