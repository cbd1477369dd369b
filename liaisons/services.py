"""Writes for the police side: officers and check-in schedules."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Site
from agreements.services import _save_audited
from agreements.types import Actor
from liaisons.models import CheckInSchedule, LiaisonOfficer, PoliceService

OFFICER_ALREADY_REGISTERED = (
    "An officer with this badge number is already registered for this police service. "
    "An administrator can assign that officer to this site."
)


def officer_save(
    *,
    officer: LiaisonOfficer,
    service_name: str,
    site: Site | None,
    actor: Actor = None,
) -> LiaisonOfficer:
    """Create or update an officer, creating the police service on first mention."""
    with transaction.atomic():
        name = " ".join(service_name.split())
        # "port aldous police" and "Port Aldous Police" are the same service.
        service = PoliceService.objects.filter(name__iexact=name).first()
        if service is None:
            service = PoliceService.objects.create(name=name)
        officer.service = service
        if officer.pk is None and site is not None:
            officer.registered_for = site
        clash = LiaisonOfficer.objects.filter(
            service=service, badge_number=officer.badge_number
        ).exclude(pk=officer.pk)
        if clash.exists():
            raise ValidationError({"badge_number": OFFICER_ALREADY_REGISTERED})
        officer.full_clean()
        _save_audited(officer, actor)
    return officer


def schedule_save(
    *,
    schedule: CheckInSchedule,
    expected_officers: Iterable[LiaisonOfficer],
    actor: Actor = None,
) -> CheckInSchedule:
    with transaction.atomic():
        if (
            CheckInSchedule.objects.filter(site_id=schedule.site_id, key=schedule.key)
            .exclude(pk=schedule.pk)
            .exists()
        ):
            raise ValidationError({"key": "This site already has a schedule with that name."})
        schedule.full_clean()
        wanted = {o.pk for o in expected_officers}
        before = (
            set(schedule.expected_officers.values_list("pk", flat=True)) if schedule.pk else set()
        )
        _save_audited(schedule, actor, extra=["expected_officers"] if wanted != before else [])
        schedule.expected_officers.set(list(wanted))
    return schedule
