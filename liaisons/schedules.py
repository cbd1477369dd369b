"""Check-in schedules as plain data: a rule in words, and its occurrences in local time.

Occurrences are computed in the site's wall-clock time, so a 10:00 check-in stays at 10:00
across daylight saving changes; the caller attaches the timezone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrule
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext, pgettext_lazy

from agreements.recurrence import normalise_rrule, parse_rrule

DAY_NAMES = {
    "MO": (pgettext_lazy("recurrence", "Monday"), pgettext_lazy("recurrence", "Mondays")),
    "TU": (pgettext_lazy("recurrence", "Tuesday"), pgettext_lazy("recurrence", "Tuesdays")),
    "WE": (pgettext_lazy("recurrence", "Wednesday"), pgettext_lazy("recurrence", "Wednesdays")),
    "TH": (pgettext_lazy("recurrence", "Thursday"), pgettext_lazy("recurrence", "Thursdays")),
    "FR": (pgettext_lazy("recurrence", "Friday"), pgettext_lazy("recurrence", "Fridays")),
    "SA": (pgettext_lazy("recurrence", "Saturday"), pgettext_lazy("recurrence", "Saturdays")),
    "SU": (pgettext_lazy("recurrence", "Sunday"), pgettext_lazy("recurrence", "Sundays")),
}
ORDINALS = {
    1: pgettext_lazy("recurrence: the nth weekday", "first"),
    2: pgettext_lazy("recurrence: the nth weekday", "second"),
    3: pgettext_lazy("recurrence: the nth weekday", "third"),
    4: pgettext_lazy("recurrence: the nth weekday", "fourth"),
    5: pgettext_lazy("recurrence: the nth weekday", "fifth"),
    -1: pgettext_lazy("recurrence: the nth weekday", "last"),
    -2: pgettext_lazy("recurrence: the nth weekday", "second-to-last"),
}
MONTHS = [
    gettext_lazy("January"), gettext_lazy("February"), gettext_lazy("March"),
    gettext_lazy("April"), gettext_lazy("May"), gettext_lazy("June"), gettext_lazy("July"),
    gettext_lazy("August"), gettext_lazy("September"), gettext_lazy("October"),
    gettext_lazy("November"), gettext_lazy("December"),
]  # fmt: skip
UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
# "every month", "every other month", "every 3 months", and the same after "of" (as in
# "second Tuesday of every month"): whole phrases, since other languages inflect them.
_EVERY = {
    "DAILY": (
        pgettext_lazy("recurrence", "every day"),
        pgettext_lazy("recurrence", "every other day"),
        ngettext_lazy("every %(count)d day", "every %(count)d days", "count"),
    ),
    "WEEKLY": (
        pgettext_lazy("recurrence", "every week"),
        pgettext_lazy("recurrence", "every other week"),
        ngettext_lazy("every %(count)d week", "every %(count)d weeks", "count"),
    ),
    "MONTHLY": (
        pgettext_lazy("recurrence", "every month"),
        pgettext_lazy("recurrence", "every other month"),
        ngettext_lazy("every %(count)d month", "every %(count)d months", "count"),
    ),
    "YEARLY": (
        pgettext_lazy("recurrence", "every year"),
        pgettext_lazy("recurrence", "every other year"),
        ngettext_lazy("every %(count)d year", "every %(count)d years", "count"),
    ),
}
_OF_EVERY = {
    "DAILY": (
        pgettext_lazy("recurrence", "of every day"),
        pgettext_lazy("recurrence", "of every other day"),
        ngettext_lazy("of every %(count)d day", "of every %(count)d days", "count"),
    ),
    "WEEKLY": (
        pgettext_lazy("recurrence", "of every week"),
        pgettext_lazy("recurrence", "of every other week"),
        ngettext_lazy("of every %(count)d week", "of every %(count)d weeks", "count"),
    ),
    "MONTHLY": (
        pgettext_lazy("recurrence", "of every month"),
        pgettext_lazy("recurrence", "of every other month"),
        ngettext_lazy("of every %(count)d month", "of every %(count)d months", "count"),
    ),
    "YEARLY": (
        pgettext_lazy("recurrence", "of every year"),
        pgettext_lazy("recurrence", "of every other year"),
        ngettext_lazy("of every %(count)d year", "of every %(count)d years", "count"),
    ),
}


def _every(freq: str, interval: int, table: dict[str, tuple[Any, Any, Any]] = _EVERY) -> str:
    once, other, many = table[freq]
    if interval == 1:
        return str(once)
    if interval == 2:
        return str(other)
    return str(many % {"count": interval})


def _ordinal(n: int) -> str:
    if n in ORDINALS:
        return str(ORDINALS[n])
    if n > 0:
        return pgettext("recurrence: the nth weekday", "%(n)dth") % {"n": n}
    return pgettext("recurrence: the nth weekday", "%(n)dth-from-last") % {"n": -n}


def _join(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def clock(at: time) -> str:
    """A time of day as people write it in the active language: 07:30 and 10:00; 7 h 30
    and 10 h 00 (the OQLF writes no leading zero). The language's TIME_FORMAT."""
    return formats.time_format(at)


def describe_rrule(text: str, at: time | None = None) -> str:
    """ "FREQ=MONTHLY;BYDAY=2TU" at 10:00 → "second Tuesday of every month at 10:00".

    Covers the rules check-in schedules use; anything else falls back to the rule itself.
    Words are in the active language.
    """
    parts = dict(p.split("=", 1) for p in normalise_rrule(text).split(";") if "=" in p)
    freq = parts.get("FREQ", "")
    if freq not in UNITS:
        return text
    interval = int(parts.get("INTERVAL", "1") or 1)
    every = _every(freq, interval)
    of_every = _every(freq, interval, _OF_EVERY)
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    phrase = ""
    if days:
        plain = [d for d in days if d in DAY_NAMES]
        numbered = [d for d in days if d not in DAY_NAMES]
        if plain and not numbered:
            if freq == "WEEKLY" and interval == 1:
                phrase = pgettext("recurrence", "every %(days)s") % {
                    "days": _join([str(DAY_NAMES[d][0]) for d in plain])
                }
            else:
                phrase = pgettext("recurrence", "%(days)s, %(every)s") % {
                    "days": _join([str(DAY_NAMES[d][1]) for d in plain]),
                    "every": every,
                }
        elif numbered and not plain:
            described = []
            for d in numbered:
                n, day = int(d[:-2]), d[-2:]
                if day not in DAY_NAMES:
                    return text
                described.append(
                    pgettext("recurrence", "%(ordinal)s %(day)s")
                    % {"ordinal": _ordinal(n), "day": DAY_NAMES[day][0]}
                )
            phrase = pgettext("recurrence", "%(days)s %(of_every)s") % {
                "days": _join(described),
                "of_every": of_every,
            }
        else:
            return text
    elif "BYMONTHDAY" in parts:
        numbers = [int(n) for n in parts["BYMONTHDAY"].split(",")]
        named = [str(n) if n > 0 else pgettext("recurrence: day of the month", "last")
                 for n in numbers]  # fmt: skip
        phrase = pgettext("recurrence", "day %(days)s %(of_every)s") % {
            "days": _join(named),
            "of_every": of_every,
        }
    else:
        phrase = every
    if "BYMONTH" in parts:
        months = [str(MONTHS[int(m) - 1]) for m in parts["BYMONTH"].split(",")]
        phrase = pgettext("recurrence", "%(rule)s, in %(months)s") % {
            "rule": phrase,
            "months": _join(months),
        }
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        phrase = ngettext("%(rule)s, %(count)d time", "%(rule)s, %(count)d times", count) % {
            "rule": phrase,
            "count": count,
        }
    if at:
        return pgettext("recurrence", "%(rule)s at %(time)s") % {"rule": phrase, "time": clock(at)}
    return phrase


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


def next_occurrences(
    text: str, *, start: date, end: date | None, at: time, after: date, count: int
) -> list[datetime]:
    """The first `count` naive local start times of the rule on or after `after` (and not
    after `end`): what a schedule would create next, before it is saved."""
    rule: rrule = parse_rrule(text, start=start, at=at)
    found = []
    for moment in rule.xafter(datetime.combine(max(start, after), time(0)), count=count, inc=True):
        if end is not None and moment.date() > end:
            break
        found.append(moment)
    return found
