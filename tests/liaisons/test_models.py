"""The police side's own rules: assignments, schedules, check-ins, acknowledgements,
officers, and the services that write them (SPEC §3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.choices import AssignmentRole, CheckInFormat, CheckInStatus
from agreements.hours import OpeningSpan
from agreements.models import Site
from liaisons.models import (
    Acknowledgement,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
)
from liaisons.services import OFFICER_ALREADY_REGISTERED, officer_save, schedule_save
from tests.factories import (
    TORONTO,
    AssignmentFactory,
    CheckInFactory,
    OfficerFactory,
    OperatingHoursFactory,
    PoliceServiceFactory,
    ProtocolFactory,
    ScheduleFactory,
    SignedProtocolFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(instance: object) -> dict[str, list[str]]:
    """Run full_clean and return the errors by field (empty when valid)."""
    try:
        instance.full_clean()  # type: ignore[attr-defined]
    except ValidationError as exc:
        return exc.message_dict
    return {}


# --- LiaisonAssignment -------------------------------------------------------------------


def assignment(site: Site, start: date, end: date | None, role: str = AssignmentRole.PRIMARY):
    return LiaisonAssignment(officer=OfficerFactory(), site=site, role=role, start=start, end=end)


def test_it_refuses_an_assignment_that_ends_before_it_starts(site: Site) -> None:
    errors = errors_of(assignment(site, date(2024, 6, 1), date(2024, 5, 31)))
    assert "end" in errors


def test_it_accepts_a_one_day_assignment(site: Site) -> None:
    assert errors_of(assignment(site, date(2024, 6, 1), date(2024, 6, 1))) == {}


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        # identical ranges
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 1, 1), date(2024, 6, 30))),
        # new one starts inside the existing one
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 3, 1), date(2024, 12, 31))),
        # new one lies wholly inside
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 2, 1), date(2024, 2, 2))),
        # new one ends inside the existing one
        ((date(2024, 3, 1), date(2024, 6, 30)), (date(2024, 1, 1), date(2024, 3, 1))),
        # touching: both are active on 2024-06-30
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 6, 30), None)),
        # the existing primary is open-ended
        ((date(2024, 1, 1), None), (date(2030, 1, 1), date(2030, 2, 1))),
        # the new primary is open-ended and starts before a closed one
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2023, 1, 1), None)),
        # both open-ended
        ((date(2024, 1, 1), None), (date(2020, 1, 1), None)),
    ],
)
def test_it_refuses_two_primary_liaisons_at_a_site_on_the_same_day(
    site: Site,
    existing: tuple[date, date | None],
    new: tuple[date, date | None],
) -> None:
    AssignmentFactory(site=site, start=existing[0], end=existing[1])
    errors = errors_of(assignment(site, *new))
    assert "at most one primary liaison" in " ".join(errors["start"])


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 7, 1), None)),
        ((date(2024, 7, 1), None), (date(2024, 1, 1), date(2024, 6, 30))),
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2023, 1, 1), date(2023, 12, 31))),
    ],
)
def test_it_accepts_a_primary_liaison_handover_without_overlap(
    site: Site,
    existing: tuple[date, date | None],
    new: tuple[date, date | None],
) -> None:
    AssignmentFactory(site=site, start=existing[0], end=existing[1])
    assert errors_of(assignment(site, *new)) == {}


def test_it_lets_backup_liaisons_overlap_the_primary_and_each_other(site: Site) -> None:
    AssignmentFactory(site=site, start=date(2024, 1, 1), end=None)
    AssignmentFactory(site=site, start=date(2024, 1, 1), end=None, role=AssignmentRole.BACKUP)
    backup = assignment(site, date(2024, 3, 1), None, role=AssignmentRole.BACKUP)
    assert errors_of(backup) == {}


def test_it_ignores_a_primary_liaison_at_another_site(site: Site, other_site: Site) -> None:
    AssignmentFactory(site=other_site, start=date(2024, 1, 1), end=None)
    assert errors_of(assignment(site, date(2024, 1, 1), None)) == {}


def test_it_does_not_count_an_assignment_as_clashing_with_itself(site: Site) -> None:
    existing = AssignmentFactory(site=site, start=date(2024, 1, 1), end=None)
    existing.end = date(2024, 12, 31)
    assert errors_of(existing) == {}


def test_it_refuses_turning_a_backup_into_a_second_primary(site: Site) -> None:
    AssignmentFactory(site=site, start=date(2024, 1, 1), end=None)
    backup = AssignmentFactory(
        site=site, start=date(2024, 2, 1), end=None, role=AssignmentRole.BACKUP
    )
    backup.role = AssignmentRole.PRIMARY
    assert "start" in errors_of(backup)


def test_it_knows_on_which_days_an_assignment_is_active(site: Site) -> None:
    closed = AssignmentFactory(site=site, start=date(2024, 1, 1), end=date(2024, 6, 30))
    assert not closed.is_active_on(date(2023, 12, 31))
    assert closed.is_active_on(date(2024, 1, 1))
    assert closed.is_active_on(date(2024, 6, 30))
    assert not closed.is_active_on(date(2024, 7, 1))
    closed.end = None
    assert closed.is_active_on(date(2099, 1, 1))


# --- CheckInSchedule -----------------------------------------------------------------------


def schedule(site: Site, rrule: str, **fields: object) -> CheckInSchedule:
    values: dict[str, object] = {
        "site": site,
        "key": "monthly",
        "rrule": rrule,
        "start": date(2024, 1, 1),
        "start_time": time(10),
        "format": CheckInFormat.MEETING,
    }
    values.update(fields)
    return CheckInSchedule(**values)


@pytest.mark.parametrize(
    ("rrule", "says"),
    [
        ("garbage", "NAME=VALUE"),
        ("BYDAY=TU", "FREQ"),
        ("FREQ=HOURLY", "FREQ=HOURLY is refused"),
        ("FREQ=MINUTELY;INTERVAL=30", "FREQ=MINUTELY is refused"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is refused"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY takes days"),
        ("FREQ=WEEKLY;UNTIL=20250101T000000Z", "UNTIL"),
        ("DTSTART:20240101T100000\nRRULE:FREQ=WEEKLY", "DTSTART"),
        ("FREQ=WEEKLY;DTSTART=20240101T100000", "DTSTART"),
    ],
)
def test_it_refuses_a_recurrence_rule_it_cannot_use(site: Site, rrule: str, says: str) -> None:
    errors = errors_of(schedule(site, rrule))
    assert list(errors) == ["rrule"]
    assert says in " ".join(errors["rrule"])


@pytest.mark.parametrize(
    ("rrule", "stored"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=2TU"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
        ("  rrule:freq=weekly;byday=tu ", "FREQ=WEEKLY;BYDAY=TU"),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH", "FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH"),
    ],
)
def test_it_accepts_and_normalises_a_valid_recurrence_rule(
    site: Site, rrule: str, stored: str
) -> None:
    candidate = schedule(site, rrule)
    assert errors_of(candidate) == {}
    assert candidate.rrule == stored


def test_it_refuses_a_schedule_that_ends_before_it_starts(site: Site) -> None:
    errors = errors_of(schedule(site, "FREQ=WEEKLY", end=date(2023, 12, 31)))
    assert "end" in errors


# --- CheckIn -------------------------------------------------------------------------------


def test_it_refuses_a_check_in_on_another_sites_schedule(site: Site, other_site: Site) -> None:
    theirs = ScheduleFactory(site=other_site)
    checkin = CheckInFactory.build(site=site, schedule=theirs)
    assert "schedule" in errors_of(checkin)


def test_it_accepts_a_check_in_on_its_own_sites_schedule_or_ad_hoc(site: Site) -> None:
    ours = ScheduleFactory(site=site)
    assert errors_of(CheckInFactory.build(site=site, schedule=ours)) == {}
    assert errors_of(CheckInFactory.build(site=site, schedule=None)) == {}


@pytest.mark.parametrize("status", [CheckInStatus.HELD, CheckInStatus.MISSED])
def test_it_refuses_an_outcome_for_a_check_in_that_has_not_started(site: Site, status: str) -> None:
    future = CheckInFactory.build(
        site=site, scheduled_start=timezone.now() + timedelta(hours=2), status=status
    )
    assert "status" in errors_of(future)


@pytest.mark.parametrize("status", [CheckInStatus.SCHEDULED, CheckInStatus.CANCELLED])
def test_it_accepts_a_future_check_in_that_is_scheduled_or_cancelled(
    site: Site, status: str
) -> None:
    future = CheckInFactory.build(
        site=site, scheduled_start=timezone.now() + timedelta(days=7), status=status
    )
    assert errors_of(future) == {}


@pytest.mark.parametrize("status", [CheckInStatus.HELD, CheckInStatus.MISSED])
def test_it_accepts_an_outcome_for_a_past_check_in(site: Site, status: str) -> None:
    past = CheckInFactory.build(
        site=site, scheduled_start=timezone.now() - timedelta(hours=2), status=status
    )
    assert errors_of(past) == {}


# 2026-06-06 is a Saturday; the site is open Saturday noon until 02:00 on Sunday.
@pytest.mark.parametrize(
    ("local_start", "minutes", "expected"),
    [
        (datetime(2026, 6, 6, 11), 60, False),  # ends when the site opens
        (datetime(2026, 6, 6, 11, 30), 60, True),
        (datetime(2026, 6, 6, 23, 30), 60, True),  # across midnight
        (datetime(2026, 6, 7, 1), 30, True),  # Sunday 01:00: still Saturday's opening
        (datetime(2026, 6, 7, 1, 45), 60, True),
        (datetime(2026, 6, 7, 2), 60, False),  # Sunday 02:00: closed
        (datetime(2026, 6, 7, 10), 60, False),  # Sunday has no hours of its own
    ],
)
def test_it_tells_whether_a_check_in_falls_in_hours_that_run_past_midnight(
    local_start: datetime, minutes: int, expected: bool
) -> None:
    site = SiteFactory(timezone="America/Toronto")
    OperatingHoursFactory(site=site, weekday=5, opens=time(12), closes=time(2))
    checkin = CheckInFactory(
        site=site,
        scheduled_start=local_start.replace(tzinfo=TORONTO),
        duration_minutes=minutes,
        status=CheckInStatus.SCHEDULED,
    )
    assert checkin.overlaps_operating_hours() is expected


def test_it_compares_a_check_in_with_hours_in_the_sites_local_time() -> None:
    site = SiteFactory(timezone="America/Vancouver")
    # Sunday 01:00 in Vancouver is Sunday 08:00 UTC, long after a 02:00 close in UTC terms.
    checkin = CheckInFactory.build(
        site=site,
        scheduled_start=datetime(2026, 6, 7, 8, tzinfo=UTC),
        duration_minutes=30,
    )
    saturday_late = [OpeningSpan(weekday=5, opens=time(12), closes=time(2))]
    assert checkin.overlaps_operating_hours(saturday_late) is True


# --- Acknowledgement -----------------------------------------------------------------------


def test_it_refuses_an_acknowledgement_of_an_unsigned_protocol(site: Site) -> None:
    draft = ProtocolFactory(site=site)
    ack = Acknowledgement(officer=OfficerFactory(), protocol=draft, acknowledged_at=timezone.now())
    assert "protocol" in errors_of(ack)


def test_it_accepts_an_acknowledgement_of_a_signed_protocol(site: Site) -> None:
    signed = SignedProtocolFactory(site=site)
    ack = Acknowledgement(officer=OfficerFactory(), protocol=signed, acknowledged_at=timezone.now())
    assert errors_of(ack) == {}


# --- LiaisonOfficer ------------------------------------------------------------------------


@pytest.mark.parametrize("badge", ["4411", "A-12", "TPS-0042", "X", "123456789012"])
def test_it_accepts_a_badge_number_of_letters_digits_and_hyphens(badge: str) -> None:
    officer = LiaisonOfficer(
        service=PoliceServiceFactory(), name="Sgt. Example", badge_number=badge
    )
    assert errors_of(officer) == {}


@pytest.mark.parametrize("badge", ["", "44 11", "#4411", "4411/2", "1234567890123", "Ø12"])
def test_it_refuses_a_badge_number_in_another_format(badge: str) -> None:
    officer = LiaisonOfficer(
        service=PoliceServiceFactory(), name="Sgt. Example", badge_number=badge
    )
    assert "badge_number" in errors_of(officer)


# --- services ------------------------------------------------------------------------------


def new_officer(badge: str = "4411") -> LiaisonOfficer:
    return LiaisonOfficer(name="Sgt. Example", rank="Sergeant", badge_number=badge)


def test_it_creates_the_police_service_on_first_mention(site: Site) -> None:
    officer = officer_save(officer=new_officer(), service_name=" Lakeport Police ", site=site)
    assert officer.pk is not None
    assert officer.service.name == "Lakeport Police"
    assert officer.registered_for == site
    officer_save(officer=new_officer("4412"), service_name="Lakeport Police", site=site)
    assert PoliceService.objects.filter(name="Lakeport Police").count() == 1
    assert LiaisonOfficer.objects.filter(service__name="Lakeport Police").count() == 2


def test_it_refuses_a_second_officer_with_the_same_badge_in_a_service(site: Site) -> None:
    officer_save(officer=new_officer(), service_name="Lakeport Police", site=site)
    with pytest.raises(ValidationError) as refused:
        officer_save(officer=new_officer(), service_name="Lakeport Police", site=site)
    assert refused.value.message_dict == {"badge_number": [OFFICER_ALREADY_REGISTERED]}
    assert LiaisonOfficer.objects.count() == 1


def test_it_accepts_the_same_badge_in_another_police_service(site: Site) -> None:
    officer_save(officer=new_officer(), service_name="Lakeport Police", site=site)
    officer_save(officer=new_officer(), service_name="Regional Police", site=site)
    assert LiaisonOfficer.objects.filter(badge_number="4411").count() == 2


def test_it_saves_changes_to_an_existing_officer_without_a_clash(site: Site) -> None:
    officer = officer_save(officer=new_officer(), service_name="Lakeport Police", site=site)
    officer.rank = "Staff Sergeant"
    officer_save(officer=officer, service_name="Lakeport Police", site=site)
    officer.refresh_from_db()
    assert officer.rank == "Staff Sergeant"


def test_it_refuses_a_second_schedule_with_the_same_key_at_a_site(site: Site) -> None:
    ScheduleFactory(site=site, key="monthly")
    with pytest.raises(ValidationError) as refused:
        schedule_save(schedule=schedule(site, "FREQ=WEEKLY"), expected_officers=[])
    assert "key" in refused.value.message_dict
    assert CheckInSchedule.objects.filter(site=site).count() == 1


def test_it_saves_a_schedule_with_its_expected_officers(site: Site, other_site: Site) -> None:
    ScheduleFactory(site=other_site, key="monthly")  # same key elsewhere does not clash
    officers = [OfficerFactory(), OfficerFactory()]
    saved = schedule_save(
        schedule=schedule(site, "rrule:freq=monthly;byday=2tu"), expected_officers=officers
    )
    saved.refresh_from_db()
    assert saved.rrule == "FREQ=MONTHLY;BYDAY=2TU"
    assert set(saved.expected_officers.all()) == set(officers)
    schedule_save(schedule=saved, expected_officers=officers[:1])
    assert list(saved.expected_officers.all()) == officers[:1]


def test_it_saves_nothing_for_a_schedule_with_an_invalid_rule(site: Site) -> None:
    with pytest.raises(ValidationError) as refused:
        schedule_save(schedule=schedule(site, "FREQ=HOURLY"), expected_officers=[OfficerFactory()])
    assert "rrule" in refused.value.message_dict
    assert not CheckInSchedule.objects.exists()
