"""Check-in schedules: rules in words, occurrences generated idempotently, edits that
change only future unrecorded occurrences, daylight saving and outcomes."""

from __future__ import annotations

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from agreements.models import Site
from liaisons.models import CheckIn
from liaisons.schedules import describe_rrule, occurrences
from liaisons.services import checkin_record, schedule_generate
from tests.factories import CheckInFactory, ScheduleFactory

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 1, 5, 9, tzinfo=TORONTO)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", "second Tuesday of every month at 10:00"),
        ("FREQ=WEEKLY;BYDAY=TU", "every Tuesday at 10:00"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "every Monday and Wednesday at 10:00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "Thursdays, every other week at 10:00"),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH", "first Thursday of every 3 months at 10:00"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "last Friday of every month at 10:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "day 15 of every month at 10:00"),
        ("RRULE:FREQ=DAILY", "every day at 10:00"),
    ],
)
def test_rules_are_described_in_plain_words(rule: str, words: str) -> None:
    assert describe_rrule(rule, time(10)) == words


def test_occurrences_keep_the_local_time_across_daylight_saving() -> None:
    days = occurrences("FREQ=WEEKLY;BYDAY=SU", start=date(2026, 3, 1), end=None, at=time(10),
                       until=date(2026, 3, 15))  # fmt: skip
    assert [d.hour for d in days] == [10, 10, 10]  # 8 March is the spring-forward Sunday


pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_a_new_schedule_creates_its_future_occurrences_once(site: Site, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HR_POLICE_SCHEDULE_MONTHS_AHEAD = 3
    schedule = ScheduleFactory(site=site, start=date(2025, 6, 1), rrule="FREQ=MONTHLY;BYDAY=2TU")
    first = schedule_generate(schedule=schedule)
    again = schedule_generate(schedule=schedule)
    starts = list(CheckIn.objects.filter(schedule=schedule).order_by("scheduled_start")
                  .values_list("scheduled_start", flat=True))  # fmt: skip
    assert first.created == 3
    assert again.created == 0
    # Only from today on: 2026-01-13, 02-10, 03-10 (not last year's).
    assert [s.astimezone(TORONTO).date() for s in starts] == [
        date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10),
    ]  # fmt: skip
    assert all(s.astimezone(TORONTO).hour == 10 for s in starts)  # 10:00 after the DST change


@time_machine.travel(NOW, tick=False)
def test_editing_a_schedule_changes_future_unrecorded_occurrences_only(
    site: Site, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.HR_POLICE_SCHEDULE_MONTHS_AHEAD = 3
    schedule = ScheduleFactory(site=site, start=date(2025, 6, 1), rrule="FREQ=MONTHLY;BYDAY=2TU")
    past = CheckInFactory(site=site, schedule=schedule, status="held",
                          scheduled_start=datetime(2025, 12, 9, 10, tzinfo=TORONTO))  # fmt: skip
    schedule_generate(schedule=schedule)
    recorded = CheckIn.objects.get(
        schedule=schedule, scheduled_start=datetime(2026, 2, 10, 10, tzinfo=TORONTO)
    )
    recorded.status = "cancelled"
    recorded.save()

    schedule.rrule = "FREQ=MONTHLY;BYDAY=2WE"
    schedule.duration_minutes = 90
    schedule.save()
    counts = schedule_generate(schedule=schedule)

    assert counts.removed == 2  # 13 January and 10 March moved to Wednesdays
    kept = CheckIn.objects.filter(schedule=schedule)
    days = sorted(c.scheduled_start.astimezone(TORONTO).date() for c in kept)
    assert days == [date(2025, 12, 9), date(2026, 1, 14), date(2026, 2, 10), date(2026, 2, 11),
                    date(2026, 3, 11)]  # fmt: skip
    past.refresh_from_db()
    recorded.refresh_from_db()
    assert (past.status, past.duration_minutes) == ("held", 60)
    assert recorded.status == "cancelled"
    assert (
        kept.get(scheduled_start=datetime(2026, 1, 14, 10, tzinfo=TORONTO)).duration_minutes == 90
    )


@time_machine.travel(NOW, tick=False)
def test_the_command_extends_every_active_schedule(site: Site) -> None:
    ScheduleFactory(site=site, start=date(2026, 1, 1), rrule="FREQ=WEEKLY;BYDAY=MO")
    ScheduleFactory(site=site, start=date(2024, 1, 1), end=date(2025, 1, 1))  # ended
    out = StringIO()
    call_command("generate_checkins", "--months", "1", stdout=out)
    assert "Created 5 check-ins" in out.getvalue()  # Mondays 5 Jan (at 10:00) … 2 Feb
    call_command("generate_checkins", "--months", "1", stdout=out)
    assert CheckIn.objects.count() == 5


def test_an_outcome_is_recorded_with_notes(site: Site) -> None:
    checkin = CheckInFactory(site=site, status="scheduled",
                             scheduled_start=datetime(2026, 1, 2, 10, tzinfo=TORONTO))  # fmt: skip
    checkin_record(checkin=checkin, status="held", notes="Walked the buffer together.")
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == ("held", "Walked the buffer together.")
    with pytest.raises(ValidationError):
        checkin_record(checkin=checkin, status="scheduled", notes="")
    with pytest.raises(ValidationError):
        checkin_record(checkin=checkin, status="held", notes="Call her at 416-555-0123")


def test_a_check_in_across_the_clock_change_ends_at_the_right_local_time(site: Site) -> None:
    # 2026-11-01 01:30 EDT + 60 minutes = 01:30 EST (the clock went back at 02:00 EDT).
    start = datetime(2026, 11, 1, 5, 30, tzinfo=ZoneInfo("UTC"))
    checkin = CheckInFactory(site=site, duration_minutes=60, scheduled_start=start)
    assert checkin.local_start.strftime("%H:%M %Z") == "01:30 EDT"
    assert checkin.local_end.strftime("%H:%M %Z") == "01:30 EST"
