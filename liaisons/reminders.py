"""Reminder e-mails about check-ins, sent by `send_checkin_reminders` from cron.

Two kinds:

- `upcoming`, to the officers expected at a check-in (its schedule's expected officers)
  and those who confirmed they will attend: once the check-in is
  `HR_POLICE_REMINDER_DAYS` days away or nearer, in the site's local dates, while it is
  still `scheduled` and has not started. "Or nearer" makes a missed cron run, or a
  check-in arranged at two days' notice, still get its reminder, late rather than never.
- `outcome`, to the site's managers: from the site-local day after a check-in that is
  still `scheduled`, so its outcome gets recorded (until then it counts neither for nor
  against the site's regular-contact score). Only for check-ins of the last
  `HR_POLICE_OUTCOME_REMINDER_WINDOW_DAYS` days, so that years of imported history do
  not flood the first run.

Never twice: each message sent is recorded in `ReminderSent` (unique per check-in, kind
and recipient) right after it goes out, so running the command many times a day sends
nothing new; a crash between sending and recording can repeat one message, never lose
one. Messages name the site, day, time, format and place and carry a link; the queries
never read notes, and nothing here touches interactions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements import audit
from agreements.audit import Action
from agreements.choices import CheckInStatus, Role
from agreements.models import Membership, Site
from agreements.notices import in_both_languages, unique_addresses
from liaisons.models import AttendanceConfirmation, CheckIn, LiaisonOfficer, ReminderSent
from liaisons.schedules import clock

logger = logging.getLogger(__name__)
Kind = ReminderSent.Kind

# The check-in columns a reminder reads: `notes` is deliberately absent.
_FIELDS = (
    "id", "site_id", "schedule_id", "scheduled_start", "duration_minutes", "format", "status",
    "site__name", "site__slug", "site__timezone", "site__police_accounts", "schedule__location",
)  # fmt: skip


@dataclass(frozen=True)
class Reminder:
    checkin_id: int
    kind: str
    recipient: str
    subject: str
    body: str
    site: Site | None = None


@dataclass
class SendResult:
    sent: list[Reminder] = field(default_factory=list)  # or, in a dry run, due
    failed: list[tuple[Reminder, str]] = field(default_factory=list)


def due_reminders(*, now: datetime | None = None) -> list[Reminder]:
    """Every reminder due now that has not been sent yet. A fixed number of queries."""
    now = now or timezone.now()
    return _upcoming(now) + _outcomes(now)


def send_due_reminders(*, now: datetime | None = None, dry_run: bool = False) -> SendResult:
    """Send what is due (or, in a dry run, only list it). A message that fails is left
    unrecorded, so the next run tries it again; the others still go out."""
    due = due_reminders(now=now)
    if dry_run:
        return SendResult(sent=due)
    result = SendResult()
    with get_connection() as connection:
        for reminder in due:
            message = EmailMessage(
                reminder.subject,
                reminder.body,
                settings.DEFAULT_FROM_EMAIL,
                [reminder.recipient],
                connection=connection,
            )
            try:
                message.send()
            except OSError as error:  # smtplib's errors are OSErrors too
                logger.warning("Reminder to %s not sent: %s", reminder.recipient, error)
                result.failed.append((reminder, str(error)))
                continue
            # One insert, ignoring a row that a second run at the same moment wrote first.
            record = ReminderSent(
                checkin_id=reminder.checkin_id, kind=reminder.kind, recipient=reminder.recipient
            )
            with transaction.atomic():  # the record of the e-mail with its audit entry
                ReminderSent.objects.bulk_create([record], ignore_conflicts=True)
                # An e-mail left with a check-in's details: the site's log says so (the
                # kind, not the address or the text).
                audit.record(Action.NOTIFY, site=reminder.site, actor="send_checkin_reminders",
                             detail=f"{reminder.kind} reminder e-mailed for check-in "
                             f"{reminder.checkin_id}")  # fmt: skip
            result.sent.append(reminder)
    return result


# --- who is due what ------------------------------------------------------------------------


def _scheduled() -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(status=CheckInStatus.SCHEDULED)
        .select_related("site", "schedule")
        .only(*_FIELDS)
        .order_by("scheduled_start", "id")
    )


def _upcoming(now: datetime) -> list[Reminder]:
    days = settings.HR_POLICE_REMINDER_DAYS
    attendees = LiaisonOfficer.objects.filter(active=True).exclude(email="")
    confirmed = AttendanceConfirmation.objects.filter(officer__in=attendees).select_related(
        "officer"
    )
    # Two days beyond the horizon covers every zone's "today"; the exact cut is local.
    checkins = (
        _scheduled()
        .filter(scheduled_start__gt=now, scheduled_start__lt=now + timedelta(days=days + 2))
        .prefetch_related(
            Prefetch("schedule__expected_officers", queryset=attendees),
            Prefetch("confirmations", queryset=confirmed),
        )
    )
    due = [c for c in checkins if _local_day_offset(c, now) <= days]
    sent = _already_sent(due, Kind.UPCOMING)
    reminders = []
    for checkin in due:
        for email in _attendee_emails(checkin):
            if (checkin.pk, email.casefold()) not in sent:
                reminders.append(_upcoming_message(checkin, email))
    return reminders


def _outcomes(now: datetime) -> list[Reminder]:
    window = timedelta(days=settings.HR_POLICE_OUTCOME_REMINDER_WINDOW_DAYS + 1)
    checkins = _scheduled().filter(scheduled_start__lt=now, scheduled_start__gte=now - window)
    due = [c for c in checkins if _local_day_offset(c, now) < 0 and _end(c) <= now]
    managers = Membership.objects.filter(
        role=Role.MANAGER, site_id__in={c.site_id for c in due}, user__is_active=True
    ).exclude(user__email="")
    emails_by_site: dict[int, list[str]] = {}
    for site_id, email in managers.values_list("site_id", "user__email").order_by("user_id"):
        emails_by_site.setdefault(site_id, []).append(email)
    sent = _already_sent(due, Kind.OUTCOME)
    return [
        _outcome_message(checkin, email)
        for checkin in due
        for email in unique_addresses(emails_by_site.get(checkin.site_id, []))
        if (checkin.pk, email.casefold()) not in sent
    ]


def _local_day_offset(checkin: CheckIn, now: datetime) -> int:
    """Days from the site's today to the check-in's local day (negative in the past)."""
    tz = checkin.site.tz
    return (checkin.scheduled_start.astimezone(tz).date() - now.astimezone(tz).date()).days


def _end(checkin: CheckIn) -> datetime:
    return checkin.scheduled_start + timedelta(minutes=checkin.duration_minutes)


def _already_sent(checkins: list[CheckIn], kind: str) -> set[tuple[int, str]]:
    rows = ReminderSent.objects.filter(
        checkin_id__in=[c.pk for c in checkins], kind=kind
    ).values_list("checkin_id", "recipient")
    return {(checkin_id, recipient.casefold()) for checkin_id, recipient in rows}


def _attendee_emails(checkin: CheckIn) -> list[str]:
    expected = checkin.schedule.expected_officers.all() if checkin.schedule else []
    confirmed = [c.officer for c in checkin.confirmations.all()]
    return unique_addresses(o.email for o in [*expected, *confirmed])


# --- what the messages say ------------------------------------------------------------------

# Reminders go out from cron: the text in English then French (agreements.notices).


def _upcoming_message(checkin: CheckIn, recipient: str) -> Reminder:
    subject, body = in_both_languages(lambda: _upcoming_text(checkin))
    return Reminder(checkin.pk, Kind.UPCOMING, recipient, subject, body, checkin.site)


def _upcoming_text(checkin: CheckIn) -> tuple[str, str]:
    site = checkin.site
    start = checkin.scheduled_start.astimezone(site.tz)
    lines = [
        _("A check-in with %(site)s is coming up.") % {"site": site.name},
        "",
        *_details(checkin),
    ]
    if site.police_accounts:  # officers of a site that refuses police accounts cannot sign in
        upcoming = reverse("agreements:liaison_checkins", kwargs={"slug": site.slug})
        lines.append(_("Confirm your attendance: %(url)s") % {"url": _absolute(upcoming)})
    lines += [
        "",
        _("You receive this because you are expected at this check-in or confirmed that you "
          "will attend. If you cannot come, please tell the site."),
    ]  # fmt: skip
    subject = _("Check-in reminder: %(site)s, %(day)s at %(time)s") % {
        "site": site.name,
        "day": _day(start),
        "time": clock(start.time()),
    }
    return subject, "\n".join(lines) + "\n"


def _outcome_message(checkin: CheckIn, recipient: str) -> Reminder:
    subject, body = in_both_languages(lambda: _outcome_text(checkin))
    return Reminder(checkin.pk, Kind.OUTCOME, recipient, subject, body, checkin.site)


def _outcome_text(checkin: CheckIn) -> tuple[str, str]:
    site = checkin.site
    start = checkin.scheduled_start.astimezone(site.tz)
    # The quick outcome form, at this check-in's row (its own URL takes only a POST).
    edit = reverse("agreements:checkins_awaiting", kwargs={"slug": site.slug})
    edit = f"{edit}#checkin-{checkin.pk}"
    lines = [
        _("This check-in at %(site)s is still marked as scheduled:") % {"site": site.name},
        "",
        *_details(checkin),
        "",
        _("Please record whether it was held, missed or cancelled. Until then it counts "
          "neither for nor against the site's regular-contact score."),
        _("Record the outcome: %(url)s") % {"url": _absolute(edit)},
    ]  # fmt: skip
    subject = _("Outcome to record: check-in at %(site)s on %(day)s") % {
        "site": site.name,
        "day": _day(start),
    }
    return subject, "\n".join(lines) + "\n"


def _details(checkin: CheckIn) -> list[str]:
    site: Site = checkin.site
    start = checkin.scheduled_start.astimezone(site.tz)
    end = _end(checkin).astimezone(site.tz)
    location = checkin.schedule.location if checkin.schedule else ""
    when = _("When: %(day)s, %(start)s–%(end)s (%(timezone)s time)") % {
        "day": _day(start),
        "start": clock(start.time()),
        "end": clock(end.time()),
        "timezone": site.timezone,
    }
    return [
        _("Site: %(site)s") % {"site": site.name},
        when,
        _("Format: %(format)s") % {"format": checkin.get_format_display()},
        _("Where: %(place)s") % {"place": location or _("at the site (no place given)")},
    ]


def _day(moment: datetime) -> str:
    """ "Friday 13 March 2026", "vendredi 13 mars 2026": names in the active language."""
    return date_format(moment, "l j F Y")


def _absolute(path: str) -> str:
    return settings.HR_POLICE_BASE_URL.rstrip("/") + path
