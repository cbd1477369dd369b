"""Writes for the police side: officers, check-in schedules and their occurrences,
outcomes, acknowledgements and attendance confirmations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import audit, score_revision
from agreements.access import manages_every_site
from agreements.audit import Action
from agreements.choices import CheckInStatus
from agreements.models import Protocol, Site
from agreements.services import _save_audited, acknowledge_refusal
from agreements.types import Actor
from liaisons.models import (
    Acknowledgement,
    AttendanceConfirmation,
    CheckIn,
    CheckInSchedule,
    LiaisonOfficer,
    PoliceService,
)
from liaisons.schedules import occurrences

OFFICER_ALREADY_REGISTERED = gettext_lazy(
    "An officer with this badge number is already registered for this police service. "
    "An administrator can assign that officer to this site."
)


def normalise_service_name(name: str) -> str:
    """A police service's name as stored: extra spaces dropped."""
    return " ".join(name.split())


def find_service(name: str) -> PoliceService | None:
    """The police service `name` designates: "port aldous police" and "Port Aldous
    Police" are the same service (`officer_save` and the bundle import)."""
    return PoliceService.objects.filter(name__iexact=normalise_service_name(name)).first()


SHARED_OFFICER = gettext_lazy(
    "This officer is also a liaison for another site: only an administrator, or a manager "
    "of every site the officer is assigned to, can change their record."
)


def officer_change_refusal(officer: LiaisonOfficer, actor: Actor | str) -> str | None:
    """Why `actor` may not change this officer's record (None: they may). An officer
    serving several sites is theirs together: deactivating them ends every site's liaison
    access, a new e-mail redirects every site's reminders. The message names no other
    site, since a site's existence does not leak to those outside it."""
    if officer.pk is None or actor is None or isinstance(actor, str):
        return None  # a new officer; or a command line, which administrators run
    if manages_every_site(actor, officer.serving_site_ids()):
        return None
    return str(SHARED_OFFICER)


def officer_save(
    *,
    officer: LiaisonOfficer,
    service_name: str,
    site: Site | None,
    actor: Actor = None,
) -> LiaisonOfficer:
    """Create or update an officer, creating the police service on first mention. An
    officer serving several sites changes only by an admin or a manager of all of them
    (`PermissionDenied` otherwise)."""
    with transaction.atomic():
        if (refusal := officer_change_refusal(officer, actor)) is not None:
            raise PermissionDenied(refusal)
        service = find_service(service_name)
        if service is None:
            service = PoliceService.objects.create(name=normalise_service_name(service_name))
        officer.service = service
        if officer.pk is None and site is not None:
            officer.registered_for = site
        clash = LiaisonOfficer.objects.filter(
            service=service, badge_number=officer.badge_number
        ).exclude(pk=officer.pk)
        if clash.exists():
            raise ValidationError({"badge_number": OFFICER_ALREADY_REGISTERED})
        officer.full_clean()
        # Officers belong to no one site: the entry goes to the site whose page changed it.
        _save_audited(officer, actor, site=site)
    return officer


def schedule_save(
    *,
    schedule: CheckInSchedule,
    expected_officers: Iterable[LiaisonOfficer],
    actor: Actor = None,
) -> CheckInSchedule:
    return schedule_save_counted(
        schedule=schedule, expected_officers=expected_officers, actor=actor
    )[0]


def schedule_save_counted(
    *,
    schedule: CheckInSchedule,
    expected_officers: Iterable[LiaisonOfficer],
    actor: Actor = None,
) -> tuple[CheckInSchedule, GenerateCounts]:
    """Save a schedule and bring its check-ins in line: the schedule, and how many
    check-ins that created and removed (the page says so)."""
    with transaction.atomic():
        if (
            CheckInSchedule.objects.filter(site_id=schedule.site_id, key=schedule.key)
            .exclude(pk=schedule.pk)
            .exists()
        ):
            raise ValidationError({"key": _("This site already has a schedule with that name.")})
        schedule.full_clean()
        wanted = {o.pk for o in expected_officers}
        before = (
            set(schedule.expected_officers.values_list("pk", flat=True)) if schedule.pk else set()
        )
        _save_audited(schedule, actor, extra=["expected_officers"] if wanted != before else [])
        schedule.expected_officers.set(list(wanted))
        counts = schedule_generate(schedule=schedule, actor=actor)
    return schedule, counts


def schedule_generate(
    *, schedule: CheckInSchedule, months: int | None = None, actor: Actor | str = None
) -> GenerateCounts:
    """Bring the schedule's future occurrences in line with its rule, idempotently.

    From today at the site up to `months` ahead: occurrences the rule gives and that do not
    exist yet are created; future occurrences still `scheduled` that the rule no longer
    gives are removed, and kept ones take the schedule's duration and format. Past
    occurrences, and any with a recorded outcome, are never touched.
    """
    site = schedule.site
    today = site.today()
    horizon = today + relativedelta(months=months or settings.HR_POLICE_SCHEDULE_MONTHS_AHEAD)
    first = max(schedule.start, today)
    wanted = {
        timezone.make_aware(local, site.tz)
        for local in occurrences(
            schedule.rrule, start=schedule.start, end=schedule.end, at=schedule.start_time,
            until=horizon,
        )
        if local.date() >= first
    }  # fmt: skip
    now = timezone.now()
    with transaction.atomic():
        # update() and bulk_create below send no signal. Bumped first, as writes lock
        # the site first; it commits with them.
        score_revision.bump([site.pk])
        future = CheckIn.objects.filter(schedule=schedule, scheduled_start__gte=now)
        unrecorded = future.filter(status=CheckInStatus.SCHEDULED)
        stale = unrecorded.exclude(scheduled_start__in=wanted)
        removed = stale.count()
        stale.delete()
        unrecorded.filter(scheduled_start__in=wanted).exclude(
            duration_minutes=schedule.duration_minutes, format=schedule.format
        ).update(
            duration_minutes=schedule.duration_minutes,
            format=schedule.format,
            edit_version=F("edit_version") + 1,  # a check-in page opened before is stale
        )
        have = set(future.values_list("scheduled_start", flat=True))
        new = [
            CheckIn(site=site, schedule=schedule, scheduled_start=start,
                    duration_minutes=schedule.duration_minutes, format=schedule.format)
            for start in sorted(wanted - have)
            if start >= now
        ]  # fmt: skip
        CheckIn.objects.bulk_create(new)
        if new or removed:
            # Check-ins created or removed in bulk: one entry for the schedule says how many.
            # An entry of the site's, not of the schedule's record: the schedule itself did
            # not change (its version and the conflict history of its page stay as they were).
            detail = (
                f"check-ins generated from schedule {schedule.key}: "
                f"{len(new)} created, {removed} removed"
            )
            audit.record(Action.UPDATE, actor=actor, site=site, fields=["checkins"],
                         detail=detail)  # fmt: skip
    return GenerateCounts(created=len(new), removed=removed)


@dataclass(frozen=True)
class GenerateCounts:
    created: int
    removed: int


def checkin_record(
    *, checkin: CheckIn, status: str, notes: str, actor: Actor = None, pii_confirmed: bool = False
) -> CheckIn:
    """Record the outcome of a check-in (held, missed, cancelled) with optional notes;
    `pii_confirmed`: the writer confirmed the notes' PII warnings describe police."""
    if status not in (CheckInStatus.HELD, CheckInStatus.MISSED, CheckInStatus.CANCELLED):
        raise ValidationError({"status": _("Choose held, missed or cancelled.")})
    with transaction.atomic():
        checkin.status = status
        checkin.notes = notes
        checkin.pii_confirmed = pii_confirmed
        checkin.full_clean()
        _save_audited(checkin, actor)
    return checkin


def protocol_acknowledge(
    *, protocol: Protocol, officer: LiaisonOfficer, actor: Actor = None
) -> Acknowledgement:
    """Record that the officer read this signed version (once per version): the version
    in force, or a signed one still to take effect (`acknowledge_refusal`)."""
    with transaction.atomic():
        if (refusal := acknowledge_refusal(protocol, protocol.site.today())) is not None:
            raise ValidationError(refusal)
        existing = Acknowledgement.objects.filter(officer=officer, protocol=protocol).first()
        if existing:
            return existing
        ack = Acknowledgement(officer=officer, protocol=protocol, acknowledged_at=timezone.now())
        ack.full_clean()
        ack.save()
        audit.record(Action.CREATE, actor=actor, site=protocol.site, obj=ack,
                     detail=f"acknowledged protocol version {protocol.version}")  # fmt: skip
    return ack


def attendance_confirm(
    *, checkin: CheckIn, officer: LiaisonOfficer, actor: Actor = None
) -> AttendanceConfirmation:
    with transaction.atomic():
        confirmation, created = AttendanceConfirmation.objects.get_or_create(
            checkin=checkin, officer=officer
        )
        if created:
            audit.record(Action.CREATE, actor=actor, site=checkin.site, obj=confirmation,
                         detail="confirmed attendance")  # fmt: skip
    return confirmation
