"""Check-ins as an iCalendar (RFC 5545) document: plain values in, bytes out.

Nothing here reads the database, so the rules that calendar apps depend on are tested
on plain values: one UID per check-in that never changes (so a moved or cancelled
check-in updates the event instead of adding a second one), start and end written as
local wall time with a TZID, and a VTIMEZONE for every TZID used (so a 10:00 check-in
stays at 10:00 on either side of a daylight-saving change, even in apps that do not
know the zone). What goes *into* an event is decided by `liaisons.feeds`, which never
reads notes or interactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
)

PRODID = "-//hr_police//Check-ins//EN"
# Calendar apps that honour it re-read the feed this often.
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class FeedEvent:
    """One check-in as a calendar shows it. `start` and `end` carry the site's ZoneInfo."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    cancelled: bool = False


def build_calendar(
    name: str,
    events: Sequence[FeedEvent],
    *,
    generated_at: datetime,
    timezones: Iterable[str] = (),
) -> bytes:
    """The feed as bytes. `timezones` names zones to describe even when no event uses
    them, so a site's empty feed still says which zone the site is in."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))

    first, last = _span(events, generated_at)
    for tzid in sorted(set(timezones)):
        cal.add_component(Timezone.from_tzid(tzid, first_date=first, last_date=last))
    stamp = generated_at.astimezone(UTC)
    for item in events:
        cal.add_component(_event(item, stamp))
    # A VTIMEZONE for every other TZID the events use, covering only their dates: a
    # zone's whole history would make every download many kilobytes larger.
    cal.add_missing_timezones(first_date=first, last_date=last)
    for zone in cal.timezones:
        _onsets_in_the_time_they_end(zone)
    return bytes(cal.to_ical())


def _onsets_in_the_time_they_end(zone: Timezone) -> None:
    """Write each change of offset at the local time it happens in the offset it ends.

    RFC 5545 (3.6.5) reads a STANDARD or DAYLIGHT onset (DTSTART, RDATE) as local time
    in TZOFFSETFROM: Toronto's summer time starts at 02:00 standard time. icalendar
    writes it in TZOFFSETTO instead (03:00), which strict parsers take as a change an
    hour late (and a check-in at 02:30 on that day in the wrong offset). Each onset is
    placed on the zone's real transition (read in either offset, only one is one) and
    written again as that instant plus TZOFFSETFROM.
    """
    rules = ZoneInfo(str(zone["TZID"]))
    parts: list[TimezoneStandard | TimezoneDaylight] = [*zone.standard, *zone.daylight]
    for part in parts:
        before, after = part.TZOFFSETFROM, part.TZOFFSETTO
        if before is None or after is None or before == after:
            continue  # the first component: the offset in force, no change
        if isinstance(part.DTSTART, datetime):
            part.DTSTART = _onset(part.DTSTART, rules, before, after)
        days = [day for day, _ in part.rdates if isinstance(day, datetime)]
        if days:
            part.pop("RDATE")
            part.add("RDATE", [_onset(day, rules, before, after) for day in days])


def _onset(written: datetime, rules: ZoneInfo, before: timedelta, after: timedelta) -> datetime:
    for offset in (after, before):
        instant = (written - offset).replace(tzinfo=UTC)
        just_before = (instant - timedelta(seconds=1)).astimezone(rules).utcoffset()
        if just_before == before and instant.astimezone(rules).utcoffset() == after:
            return (instant + before).replace(tzinfo=None)
    return written  # not a transition of this zone's rules: leave what was written


def _event(item: FeedEvent, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("summary", item.summary)
    if item.location:
        event.add("location", item.location)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
    return event


def _span(events: Sequence[FeedEvent], generated_at: datetime) -> tuple[date, date]:
    """The dates the VTIMEZONE transitions must cover: whole calendar years around the
    events, so that each year lists both of its changes (apps that extrapolate from the
    last rule they read then keep going the right way)."""
    if events:
        first = min(e.start for e in events).date()
        last = max(e.end for e in events).date()
    else:
        first = last = generated_at.date()
    return date(first.year, 1, 1), date(last.year + 1, 1, 1)
