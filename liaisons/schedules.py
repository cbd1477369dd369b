"""Check-in schedules as plain data: a rule in words, and its occurrences in local time.

Occurrences are computed in the site's wall-clock time, so a 10:00 check-in stays at 10:00
across daylight saving changes; the caller attaches the timezone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrule

from agreements.recurrence import normalise_rrule, parse_rrule

DAY_NAMES = {
    "MO": ("Monday", "Mondays"),
    "TU": ("Tuesday", "Tuesdays"),
    "WE": ("Wednesday", "Wednesdays"),
    "TH": ("Thursday", "Thursdays"),
    "FR": ("Friday", "Fridays"),
    "SA": ("Saturday", "Saturdays"),
    "SU": ("Sunday", "Sundays"),
}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last",
            -2: "second-to-last"}  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def _every(freq: str, interval: int) -> str:
    unit = UNITS[freq]
    if interval == 1:
        return f"every {unit}"
    if interval == 2:
        return f"every other {unit}"
    return f"every {interval} {unit}s"


def _ordinal(n: int) -> str:
    return ORDINALS.get(n, f"{n}th" if n > 0 else f"{-n}th-from-last")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe_rrule(text: str, at: time | None = None) -> str:
    """ "FREQ=MONTHLY;BYDAY=2TU" at 10:00 → "second Tuesday of every month at 10:00".

    Covers the rules check-in schedules use; anything else falls back to the rule itself.
    """
    parts = dict(p.split("=", 1) for p in normalise_rrule(text).split(";") if "=" in p)
    freq = parts.get("FREQ", "")
    if freq not in UNITS:
        return text
    interval = int(parts.get("INTERVAL", "1") or 1)
    every = _every(freq, interval)
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    phrase = ""
    if days:
        plain = [d for d in days if d in DAY_NAMES]
        numbered = [d for d in days if d not in DAY_NAMES]
        if plain and not numbered:
            if freq == "WEEKLY" and interval == 1:
                phrase = "every " + _join([DAY_NAMES[d][0] for d in plain])
            else:
                phrase = f"{_join([DAY_NAMES[d][1] for d in plain])}, {every}"
        elif numbered and not plain:
            described = []
            for d in numbered:
                n, day = int(d[:-2]), d[-2:]
                if day not in DAY_NAMES:
                    return text
                described.append(f"{_ordinal(n)} {DAY_NAMES[day][0]}")
            phrase = f"{_join(described)} of {every}"
        else:
            return text
    elif "BYMONTHDAY" in parts:
        numbers = [int(n) for n in parts["BYMONTHDAY"].split(",")]
        phrase = f"day {_join([str(n) if n > 0 else 'last' for n in numbers])} of {every}"
    else:
        phrase = every
    if "BYMONTH" in parts:
        months = [MONTHS[int(m) - 1] for m in parts["BYMONTH"].split(",")]
        phrase += f", in {_join(months)}"
    if "COUNT" in parts:
        phrase += f", {parts['COUNT']} times"
    return f"{phrase} at {at:%H:%M}" if at else phrase


def occurrences(
    text: str, *, start: date, end: date | None, at: time, until: date
) -> list[datetime]:
    """Naive local start times of the rule from `start` to the earlier of `end`, `until`."""
    rule: rrule = parse_rrule(text, start=start, at=at)
    last = min(d for d in (end, until) if d is not None)
    if last < start:
        return []
    window_end = datetime.combine(last + timedelta(days=1), time(0))
    return list(rule.between(datetime.combine(start, time(0)), window_end, inc=True))
