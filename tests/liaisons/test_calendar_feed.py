"""What a calendar feed holds (SPEC §7): check-ins only, as events a calendar app places
at the right local time on either side of a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar, Event, Timezone

from agreements.choices import CheckInStatus
from agreements.models import Site
from liaisons.calendar import FeedEvent, build_calendar
from liaisons.feeds import officer_events, site_calendar, site_events
from liaisons.models import CheckIn
from tests.factories import (
    TORONTO,
    AssignmentFactory,
    CheckInFactory,
    InteractionFactory,
    OfficerFactory,
    ScheduleFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, tzinfo=TORONTO)
ST_JOHNS = ZoneInfo("America/St_Johns")


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def events_of(body: bytes) -> list[Event]:
    return list(parse(body).walk("VEVENT"))


def vtimezone(body: bytes, tzid: str) -> Timezone:
    zones = [z for z in parse(body).walk("VTIMEZONE") if str(z["TZID"]) == tzid]
    assert len(zones) == 1, f"one VTIMEZONE for {tzid}"
    return zones[0]


def at(day: date, hour: int, minute: int = 0, tz: ZoneInfo = TORONTO) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


# --- the pure builder ---------------------------------------------------------------------


def test_it_builds_one_vevent_per_event_with_its_uid_and_status() -> None:
    start = at(date(2026, 7, 14), 10)
    body = build_calendar(
        "Check-ins",
        [
            FeedEvent("checkin-1@hr-police", start, start + timedelta(hours=1), "Check-in: a"),
            FeedEvent("checkin-2@hr-police", start, start + timedelta(hours=1), "b", "Hall", True),
        ],
        generated_at=NOW,
    )
    first, second = events_of(body)
    assert (str(first["UID"]), str(first["STATUS"])) == ("checkin-1@hr-police", "CONFIRMED")
    assert (str(second["UID"]), str(second["STATUS"])) == ("checkin-2@hr-police", "CANCELLED")
    assert "LOCATION" not in first
    assert str(second["LOCATION"]) == "Hall"
    assert b"DTSTART;TZID=America/Toronto:20260714T100000" in body


def test_it_describes_the_site_zone_even_in_an_empty_feed() -> None:
    body = build_calendar("Empty", [], generated_at=NOW, timezones=["America/Toronto"])
    assert not events_of(body)
    vtimezone(body, "America/Toronto")


# --- a site's feed --------------------------------------------------------------------------


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.usefixtures("frozen")
def test_it_holds_each_check_in_with_a_stable_uid_summary_and_location(site: Site) -> None:
    schedule = ScheduleFactory(site=site, location="Boardroom, 2nd floor")
    scheduled = CheckInFactory(
        site=site, schedule=schedule, scheduled_start=at(date(2026, 6, 9), 10), status="scheduled"
    )
    ad_hoc = CheckInFactory(site=site, scheduled_start=at(date(2026, 5, 20), 14), format="tour")
    body = site_calendar(site)
    by_uid = {str(e["UID"]): e for e in events_of(body)}
    assert set(by_uid) == {f"checkin-{scheduled.pk}@hr-police", f"checkin-{ad_hoc.pk}@hr-police"}
    meeting = by_uid[f"checkin-{scheduled.pk}@hr-police"]
    assert str(meeting["SUMMARY"]) == "Check-in: meeting at Riverside Health Hub"
    assert str(meeting["LOCATION"]) == "Boardroom, 2nd floor"
    assert meeting.end - meeting.start == timedelta(minutes=60)
    tour = by_uid[f"checkin-{ad_hoc.pk}@hr-police"]
    assert str(tour["SUMMARY"]) == "Check-in: tour at Riverside Health Hub"
    assert "LOCATION" not in tour
    # The same check-in keeps its UID from one download to the next.
    assert set(by_uid) == {str(e["UID"]) for e in events_of(site_calendar(site))}


@pytest.mark.usefixtures("frozen")
def test_it_writes_local_times_with_a_tzid_and_the_site_vtimezone(site: Site) -> None:
    CheckInFactory(site=site, scheduled_start=at(date(2026, 6, 9), 10))
    body = site_calendar(site)
    assert b"DTSTART;TZID=America/Toronto:20260609T100000" in body
    assert b"DTEND;TZID=America/Toronto:20260609T110000" in body
    vtimezone(body, "America/Toronto")


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize(
    ("before", "after"),
    [
        (date(2026, 10, 27), date(2026, 11, 3)),  # clocks go back on 1 November 2026
        (date(2027, 3, 2), date(2027, 3, 16)),  # clocks go forward on 14 March 2027
    ],
)
def test_it_keeps_a_ten_oclock_check_in_at_ten_across_a_dst_change(
    site: Site, before: date, after: date
) -> None:
    early = CheckInFactory(site=site, scheduled_start=at(before, 10), status="scheduled")
    late = CheckInFactory(site=site, scheduled_start=at(after, 10), status="scheduled")
    # Same wall time, different UTC offsets: the switch happened in between.
    assert early.scheduled_start.utcoffset() != late.scheduled_start.utcoffset()
    body = site_calendar(site)
    assert f"DTSTART;TZID=America/Toronto:{before:%Y%m%d}T100000".encode() in body
    assert f"DTSTART;TZID=America/Toronto:{after:%Y%m%d}T100000".encode() in body
    # An app that knows nothing of the zone but its VTIMEZONE places both right.
    described = vtimezone(body, "America/Toronto").to_tz(lookup_tzid=False)
    by_uid = {str(e["UID"]): e for e in events_of(body)}
    for checkin in (early, late):
        event = by_uid[f"checkin-{checkin.pk}@hr-police"]
        assert event.start == checkin.scheduled_start
        wall = event.start.replace(tzinfo=None)
        assert wall.replace(tzinfo=described).astimezone(UTC) == checkin.scheduled_start


def onsets(zone: Timezone) -> list[tuple[str, datetime, timedelta, timedelta]]:
    """Each change of offset a VTIMEZONE describes: kind, local onset as written (DTSTART
    and every RDATE), TZOFFSETFROM, TZOFFSETTO."""
    found = []
    for part in zone.subcomponents:
        before, after = part["TZOFFSETFROM"].td, part["TZOFFSETTO"].td
        if before == after:
            continue
        rdates = part.get("RDATE", [])
        days = [
            d.dt for item in (rdates if isinstance(rdates, list) else [rdates]) for d in item.dts
        ]
        for day in [part.decoded("DTSTART"), *days]:
            found.append((part.name, day, before, after))
    return found


@pytest.mark.parametrize(
    "tzid", ["America/Toronto", "America/Vancouver", "America/St_Johns", "Europe/Paris"]
)
def test_each_onset_is_written_in_the_offset_it_ends(tzid: str) -> None:
    """RFC 5545 3.6.5: an onset is local time in TZOFFSETFROM. Toronto's summer time
    starts at 02:00 (standard time), not 03:00: a strict parser would otherwise move the
    change an hour late. Over three years, so that repeated onsets (RDATE) count too."""
    zone_rules = ZoneInfo(tzid)
    events = [
        FeedEvent(
            uid=f"{year}@t",
            start=datetime(year, 7, 1, 10, tzinfo=zone_rules),
            end=datetime(year, 7, 1, 11, tzinfo=zone_rules),
            summary="Check-in",
        )
        for year in (2026, 2027, 2028)
    ]
    body = build_calendar("x", events, generated_at=NOW)
    changes = onsets(vtimezone(body, tzid))
    assert len(changes) == 6  # two a year
    for kind, local, before, after in changes:
        instant = (local - before).replace(tzinfo=UTC)
        assert (instant - timedelta(seconds=1)).astimezone(zone_rules).utcoffset() == before, (
            kind, local)  # fmt: skip
        assert instant.astimezone(zone_rules).utcoffset() == after, (kind, local)


def test_toronto_summer_time_starts_at_two_in_the_feed() -> None:
    body = build_calendar("x", [], generated_at=NOW, timezones=["America/Toronto"])
    [daylight] = vtimezone(body, "America/Toronto").walk("DAYLIGHT")
    assert daylight.decoded("DTSTART") == datetime(2026, 3, 8, 2, 0)
    [change] = [
        s
        for s in vtimezone(body, "America/Toronto").walk("STANDARD")
        if s.get("RDATE") is None and s["TZOFFSETFROM"].td != s["TZOFFSETTO"].td
    ]
    assert change.decoded("DTSTART") == datetime(2026, 11, 1, 2, 0)


@pytest.mark.usefixtures("frozen")
def test_it_handles_a_half_hour_zone() -> None:
    site = SiteFactory(name="Water Street", timezone="America/St_Johns")
    summer = CheckInFactory(site=site, scheduled_start=at(date(2026, 7, 14), 10, tz=ST_JOHNS))
    winter = CheckInFactory(site=site, scheduled_start=at(date(2026, 12, 8), 10, tz=ST_JOHNS))
    body = site_calendar(site)
    assert b"DTSTART;TZID=America/St_Johns:20260714T100000" in body
    assert b"DTSTART;TZID=America/St_Johns:20261208T100000" in body
    zone = vtimezone(body, "America/St_Johns")
    assert b"TZOFFSETTO:-0230" in zone.to_ical()
    assert b"TZOFFSETTO:-0330" in zone.to_ical()
    described = zone.to_tz(lookup_tzid=False)
    assert datetime(2026, 7, 14, 10, tzinfo=described).astimezone(UTC) == datetime(
        2026, 7, 14, 12, 30, tzinfo=UTC
    )
    assert summer.scheduled_start == datetime(2026, 7, 14, 12, 30, tzinfo=UTC)
    assert winter.scheduled_start == datetime(2026, 12, 8, 13, 30, tzinfo=UTC)


@pytest.mark.usefixtures("frozen")
def test_it_keeps_cancelled_check_ins_marked_cancelled(site: Site) -> None:
    cancelled = CheckInFactory(
        site=site, scheduled_start=at(date(2026, 6, 9), 10), status=CheckInStatus.CANCELLED
    )
    held = CheckInFactory(site=site, scheduled_start=at(date(2026, 5, 12), 10))
    status = {str(e["UID"]): str(e["STATUS"]) for e in events_of(site_calendar(site))}
    assert status == {
        f"checkin-{cancelled.pk}@hr-police": "CANCELLED",
        f"checkin-{held.pk}@hr-police": "CONFIRMED",
    }


@pytest.mark.usefixtures("frozen")
def test_it_puts_no_notes_and_no_interaction_in_the_feed(site: Site) -> None:
    CheckInFactory(
        site=site,
        scheduled_start=at(date(2026, 5, 12), 10),
        notes="Discussed the sergeant's concerns about the rota",
    )
    InteractionFactory(site=site, narrative="Cruiser parked across from the door.")
    body = site_calendar(site).decode()
    assert "rota" not in body
    assert "Cruiser" not in body
    assert "vehicle" not in body.lower()
    assert {str(e["UID"]) for e in events_of(body.encode())} == {
        f"checkin-{c.pk}@hr-police" for c in CheckIn.objects.all()
    }


@pytest.mark.usefixtures("frozen")
def test_it_covers_six_months_back_and_a_year_ahead(site: Site) -> None:
    inside = [
        CheckInFactory(site=site, scheduled_start=NOW - timedelta(days=180)),
        CheckInFactory(site=site, scheduled_start=NOW + timedelta(days=360), status="scheduled"),
    ]
    CheckInFactory(site=site, scheduled_start=NOW - timedelta(days=200))
    CheckInFactory(site=site, scheduled_start=NOW + timedelta(days=400), status="scheduled")
    CheckInFactory(scheduled_start=NOW)  # another site's
    assert [e.uid for e in site_events(site)] == [f"checkin-{c.pk}@hr-police" for c in inside]


# --- an officer's feed ----------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_it_gives_an_officer_the_check_ins_of_assignments_active_on_their_day(
    site: Site, other_site: Site
) -> None:
    officer = OfficerFactory()
    AssignmentFactory(officer=officer, site=site, start=date(2026, 1, 1), end=date(2026, 6, 30))
    during = CheckInFactory(site=site, scheduled_start=at(date(2026, 3, 10), 10))
    # 22:00 in Toronto on the last day is already 1 July in UTC: still the officer's.
    last_evening = CheckInFactory(site=site, scheduled_start=at(date(2026, 6, 30), 22))
    CheckInFactory(site=site, scheduled_start=at(date(2026, 7, 1), 10), status="scheduled")
    CheckInFactory(site=site, scheduled_start=at(date(2025, 12, 31), 10))
    CheckInFactory(site=other_site, scheduled_start=at(date(2026, 3, 10), 10))
    uids = [e.uid for e in officer_events(officer)]
    assert uids == [f"checkin-{c.pk}@hr-police" for c in (during, last_evening)]


@pytest.mark.usefixtures("frozen")
def test_it_gives_an_officer_the_check_ins_of_schedules_that_expect_them(
    site: Site, other_site: Site
) -> None:
    officer, colleague = OfficerFactory(), OfficerFactory()
    expecting = ScheduleFactory(site=other_site, location="Lobby")
    expecting.expected_officers.add(officer, colleague)  # two: no repeated events
    other = ScheduleFactory(site=other_site)
    mine = CheckInFactory(
        site=other_site, schedule=expecting, scheduled_start=at(date(2026, 6, 9), 10)
    )
    CheckInFactory(site=other_site, schedule=other, scheduled_start=at(date(2026, 6, 9), 14))
    CheckInFactory(site=site, scheduled_start=at(date(2026, 6, 9), 10))
    events = officer_events(officer)
    assert [e.uid for e in events] == [f"checkin-{mine.pk}@hr-police"]
    assert events[0].summary == "Check-in: meeting at Eastside Site"
    assert events[0].location == "Lobby"


@pytest.mark.usefixtures("frozen")
def test_it_limits_an_officer_feed_to_the_sites_asked_for(site: Site, other_site: Site) -> None:
    officer = OfficerFactory()
    for place in (site, other_site):
        AssignmentFactory(officer=officer, site=place)
    here = CheckInFactory(site=site, scheduled_start=at(date(2026, 6, 9), 10))
    CheckInFactory(site=other_site, scheduled_start=at(date(2026, 6, 9), 10))
    assert len(officer_events(officer)) == 2
    assert [e.uid for e in officer_events(officer, site_ids={site.pk})] == [
        f"checkin-{here.pk}@hr-police"
    ]


# --- a fixed number of queries ----------------------------------------------------------------


def add_checkins(site: Site, count: int, schedule: Any = None) -> None:
    CheckIn.objects.bulk_create(
        CheckIn(
            site=site,
            schedule=schedule,
            scheduled_start=NOW + timedelta(days=i % 300, hours=i % 5),
            format="meeting",
            status="scheduled",
        )
        for i in range(count)
    )


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("count", [5, 100])
def test_it_reads_a_site_feed_in_a_fixed_number_of_queries(
    site: Site, count: int, django_assert_max_num_queries: Any
) -> None:
    add_checkins(site, count, ScheduleFactory(site=site, location="Hall"))
    with django_assert_max_num_queries(1):
        events = site_events(site)
    assert len(events) == count


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("count", [5, 100])
def test_it_reads_an_officer_feed_in_a_fixed_number_of_queries(
    site: Site, other_site: Site, count: int, django_assert_max_num_queries: Any
) -> None:
    officer = OfficerFactory()
    AssignmentFactory(officer=officer, site=site)
    schedule = ScheduleFactory(site=other_site)
    schedule.expected_officers.add(officer, OfficerFactory())
    add_checkins(site, count)
    add_checkins(other_site, count, schedule)
    with django_assert_max_num_queries(3):
        events = officer_events(officer)
    assert len(events) == 2 * count
