"""Check-in reminders (`send_checkin_reminders`): the right people, on the right
site-local day, once, and never a word of notes or interactions."""

from __future__ import annotations

import smtplib
from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from agreements.audit import Action, AuditEntry
from agreements.choices import CheckInStatus, Role
from agreements.models import Site
from liaisons.models import AttendanceConfirmation, CheckIn, LiaisonOfficer, ReminderSent
from liaisons.reminders import send_due_reminders
from tests.conftest import make_user
from tests.factories import (
    TORONTO,
    CheckInFactory,
    InteractionFactory,
    OfficerFactory,
    ScheduleFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db

VANCOUVER = ZoneInfo("America/Vancouver")
CHECKIN_DAY = date(2026, 3, 13)  # a Friday


@pytest.fixture(autouse=True)
def mail_settings(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HR_POLICE_REMINDER_DAYS = 3
    settings.HR_POLICE_BASE_URL = "https://tracker.example.org/"
    settings.DEFAULT_FROM_EMAIL = "hr_police <noreply@example.org>"


def local(day: date, hour: int, minute: int = 0, tz: ZoneInfo = TORONTO) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def run(at: datetime, *args: str) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("send_checkin_reminders", *args, stdout=out)
    return out.getvalue()


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def officer(email: str, **kwargs: Any) -> LiaisonOfficer:
    return OfficerFactory(email=email, **kwargs)  # type: ignore[no-any-return]


@pytest.fixture
def upcoming(site: Site) -> CheckIn:
    """A scheduled meeting on 13 March 2026 at 10:00, Toronto time, expecting one officer."""
    schedule = ScheduleFactory(site=site, location="Community room")
    schedule.expected_officers.add(officer("sgt.lee@police.example"))
    return CheckInFactory(  # type: ignore[no-any-return]
        site=site,
        schedule=schedule,
        scheduled_start=local(CHECKIN_DAY, 10),
        status=CheckInStatus.SCHEDULED,
        notes="Talked through the sergeant's worries about the rota",
    )


# --- upcoming check-ins -----------------------------------------------------------------------


def test_it_reminds_the_expected_officer_three_days_before(upcoming: CheckIn) -> None:
    run(local(date(2026, 3, 9), 18))  # four days before: not yet
    assert mail.outbox == []
    run(local(date(2026, 3, 10), 8))
    assert recipients() == ["sgt.lee@police.example"]
    assert ReminderSent.objects.filter(
        checkin=upcoming, kind="upcoming", recipient="sgt.lee@police.example"
    ).exists()


def test_it_sends_a_reminder_once_however_often_it_runs(upcoming: CheckIn) -> None:
    for hour in (8, 9, 14, 23):
        run(local(date(2026, 3, 10), hour))
    run(local(date(2026, 3, 12), 9))
    assert recipients() == ["sgt.lee@police.example"]
    assert ReminderSent.objects.count() == 1


def test_each_reminder_e_mailed_is_in_the_sites_audit_log(upcoming: CheckIn) -> None:
    run(local(date(2026, 3, 10), 8))
    run(local(date(2026, 3, 10), 9))  # nothing more to send: no second entry
    [entry] = AuditEntry.objects.filter(action=Action.NOTIFY)
    assert (entry.site, entry.actor) == (upcoming.site.slug, "send_checkin_reminders")
    # The kind and the check-in, never the address or the text of the e-mail.
    assert entry.detail == f"upcoming reminder e-mailed for check-in {upcoming.pk}"


def test_it_counts_days_in_the_sites_own_timezone() -> None:
    site = SiteFactory(timezone="America/Vancouver")
    schedule = ScheduleFactory(site=site)
    schedule.expected_officers.add(officer("cst.roy@police.example"))
    CheckInFactory(
        site=site,
        schedule=schedule,
        scheduled_start=local(date(2026, 6, 13), 10, tz=VANCOUVER),
        status=CheckInStatus.SCHEDULED,
    )
    # 18:00 on 9 June in Vancouver is already 10 June in UTC, three days before in UTC
    # but four in the site's own calendar: not yet.
    run(local(date(2026, 6, 9), 18, tz=VANCOUVER))
    assert mail.outbox == []
    run(local(date(2026, 6, 10), 0, 5, tz=VANCOUVER))
    assert recipients() == ["cst.roy@police.example"]


def test_it_still_reminds_when_the_check_in_is_nearer_than_three_days(upcoming: CheckIn) -> None:
    run(local(date(2026, 3, 12), 9))  # the run on the 10th was missed
    assert recipients() == ["sgt.lee@police.example"]


def test_it_reminds_expected_and_confirmed_officers_with_an_address_once_each(
    upcoming: CheckIn,
) -> None:
    assert upcoming.schedule is not None
    upcoming.schedule.expected_officers.add(
        officer(""),  # no address
        officer("gone@police.example", active=False),
        officer("SGT.LEE@police.example", badge_number="9999"),  # same address, other case
    )
    confirmed = officer("cst.ng@police.example")
    AttendanceConfirmation.objects.create(checkin=upcoming, officer=confirmed)
    officer("not.invited@police.example")
    run(local(date(2026, 3, 10), 8))
    assert recipients() == ["cst.ng@police.example", "sgt.lee@police.example"]


def test_it_reminds_the_officer_who_confirmed_an_ad_hoc_check_in(site: Site) -> None:
    checkin = CheckInFactory(
        site=site, scheduled_start=local(CHECKIN_DAY, 15), status=CheckInStatus.SCHEDULED
    )
    AttendanceConfirmation.objects.create(checkin=checkin, officer=officer("cst.ng@police.example"))
    run(local(date(2026, 3, 10), 8))
    assert recipients() == ["cst.ng@police.example"]


@pytest.mark.parametrize("status", [CheckInStatus.CANCELLED, CheckInStatus.HELD])
def test_it_does_not_remind_of_a_check_in_no_longer_scheduled(
    upcoming: CheckIn, status: str
) -> None:
    CheckIn.objects.filter(pk=upcoming.pk).update(status=status)
    run(local(date(2026, 3, 10), 8))
    assert mail.outbox == []


def test_it_says_when_where_and_what_without_notes_or_interactions(
    upcoming: CheckIn, site: Site
) -> None:
    InteractionFactory(site=site, narrative="Cruiser parked across from the door.")
    run(local(date(2026, 3, 10), 8))
    (message,) = mail.outbox
    assert message.from_email == "hr_police <noreply@example.org>"
    english, _french = message.subject.split(" / ")  # the message is bilingual
    assert english == "Check-in reminder: Riverside Health Hub, Friday 13 March 2026 at 10:00"
    body = str(message.body)
    assert "Site: Riverside Health Hub" in body
    assert "When: Friday 13 March 2026, 10:00–11:00 (America/Toronto time)" in body
    assert "Format: Meeting" in body
    assert "Where: Community room" in body
    assert "Confirm your attendance: https://tracker.example.org/sites/riverside/upcoming/" in body
    assert "rota" not in body
    assert "Cruiser" not in body


def test_it_leaves_out_the_sign_in_link_where_police_have_no_accounts(
    upcoming: CheckIn, site: Site
) -> None:
    site.police_accounts = False
    site.save()
    run(local(date(2026, 3, 10), 8))
    assert "tracker.example.org" not in str(mail.outbox[0].body)


def test_it_follows_the_configured_number_of_days(upcoming: CheckIn, settings: Any) -> None:
    settings.HR_POLICE_REMINDER_DAYS = 1
    run(local(date(2026, 3, 10), 8))
    assert mail.outbox == []
    run(local(date(2026, 3, 12), 8))
    assert recipients() == ["sgt.lee@police.example"]


# --- outcomes awaited ---------------------------------------------------------------------


@pytest.fixture
def awaiting(site: Site) -> CheckIn:
    """A meeting held (or not) on 10 March 2026 at 10:00 whose outcome was never recorded."""
    return CheckInFactory(  # type: ignore[no-any-return]
        site=site,
        scheduled_start=local(date(2026, 3, 10), 10),
        status=CheckInStatus.SCHEDULED,
        notes="Talked through the sergeant's worries about the rota",
    )


def managers(site: Site, other_site: Site) -> None:
    for username, role, place, email in (
        ("mgr-a", Role.MANAGER, site, "a@site.example"),
        ("mgr-b", Role.MANAGER, site, "b@site.example"),
        ("mgr-no-mail", Role.MANAGER, site, ""),
        ("mgr-other", Role.MANAGER, other_site, "other@site.example"),
        ("researcher-x", Role.RESEARCHER, None, "research@uni.example"),
    ):
        user = make_user(role, site=place, username=username)
        user.email = email
        user.save()


def test_it_asks_the_sites_managers_for_an_outcome_the_day_after(
    awaiting: CheckIn, site: Site, other_site: Site
) -> None:
    managers(site, other_site)
    run(local(date(2026, 3, 10), 16))  # the same day: the manager may still record it
    assert mail.outbox == []
    run(local(date(2026, 3, 11), 8))
    assert recipients() == ["a@site.example", "b@site.example"]
    assert {r.kind for r in ReminderSent.objects.all()} == {"outcome"}
    body = str(mail.outbox[0].body)
    assert "still marked as scheduled" in body
    # The quick outcome form, at this check-in (its form's own URL takes only a POST).
    link = f"https://tracker.example.org/sites/riverside/checkins/awaiting/#checkin-{awaiting.pk}"
    assert link in body
    assert "rota" not in body
    run(local(date(2026, 3, 11), 9))
    run(local(date(2026, 3, 20), 9))
    assert len(mail.outbox) == 2


def test_it_does_not_ask_for_an_outcome_already_recorded(
    awaiting: CheckIn, site: Site, other_site: Site
) -> None:
    managers(site, other_site)
    CheckIn.objects.filter(pk=awaiting.pk).update(status=CheckInStatus.HELD)
    run(local(date(2026, 3, 11), 8))
    assert mail.outbox == []


def test_it_does_not_ask_about_check_ins_older_than_the_window(
    site: Site, other_site: Site
) -> None:
    managers(site, other_site)
    CheckInFactory(
        site=site, scheduled_start=local(date(2025, 1, 14), 10), status=CheckInStatus.SCHEDULED
    )
    run(local(date(2026, 3, 11), 8))
    assert mail.outbox == []


# --- dry runs and failures ------------------------------------------------------------------


def test_it_sends_nothing_in_a_dry_run(upcoming: CheckIn, awaiting: CheckIn, manager: Any) -> None:
    manager.email = "m@site.example"
    manager.save()
    out = run(local(date(2026, 3, 11), 8), "--dry-run")
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert "would send upcoming reminder to sgt.lee@police.example" in out
    assert "would send outcome reminder to m@site.example" in out
    assert "2 reminder(s) would send." in out
    run(local(date(2026, 3, 11), 8))
    assert recipients() == ["m@site.example", "sgt.lee@police.example"]


def test_it_tries_a_failed_message_again_on_the_next_run(
    upcoming: CheckIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        with pytest.raises(CommandError, match="1 reminder"):
            run(local(date(2026, 3, 10), 8))
    assert not ReminderSent.objects.exists()
    run(local(date(2026, 3, 10), 9))
    assert recipients() == ["sgt.lee@police.example"]


def test_it_sends_in_a_fixed_number_of_queries(
    site: Site, django_assert_max_num_queries: Any
) -> None:
    schedule = ScheduleFactory(site=site)
    schedule.expected_officers.add(*(officer(f"o{i}@police.example") for i in range(5)))
    for day in range(20):
        CheckInFactory(
            site=site,
            schedule=schedule,
            scheduled_start=local(CHECKIN_DAY, 8) + timedelta(minutes=day * 20),
            status=CheckInStatus.SCHEDULED,
        )
    # A handful of reads (check-ins, expected officers, confirmations, reminders already
    # sent; the same for outcomes), then per message sent its record and its audit entry
    # in one transaction (a savepoint inside the test's own): four statements.
    with (
        time_machine.travel(local(date(2026, 3, 10), 8), tick=False),
        django_assert_max_num_queries(8 + 4 * 100),
    ):
        result = send_due_reminders()
    assert len(result.sent) == 100
