"""Translatable names for liaisons' models and fields (admin, filters, Django's messages).

As in `agreements.models.MODEL_NAMES`, the names are assigned after the classes exist, not
passed as `verbose_name=`: the migration state is built from the arguments a field was
made with (and from `Meta`), so this adds no migration. The English is what Django made
from the attribute and class names, except three admin plurals Django got wrong
("check ins", "check in schedules", "reminder sents").
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import name_models
from liaisons.models import (
    Acknowledgement,
    AttendanceConfirmation,
    CalendarFeed,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
    ReminderSent,
)

MODEL_NAMES: dict[type[models.Model], tuple[Any, Any, dict[str, Any]]] = {
    PoliceService: (
        _("police service"),
        _("police services"),
        {"name": _("name"), "jurisdiction": _("jurisdiction")},
    ),
    LiaisonOfficer: (
        _("liaison officer"),
        _("liaison officers"),
        {
            "service": _("service"),
            "name": _("name"),
            "rank": _("rank"),
            "badge_number": _("badge number"),
            "email": _("email"),
            "phone": _("phone"),
            "contact_verified_on": _("contact verified on"),
            "active": _("active"),
            "user": _("user"),
            "registered_for": _("registered for"),
        },
    ),
    LiaisonAssignment: (
        _("liaison assignment"),
        _("liaison assignments"),
        {
            "officer": _("officer"),
            "site": _("site"),
            "role": _("role"),
            "start": _("start"),
            "end": _("end"),
        },
    ),
    Acknowledgement: (
        _("acknowledgement"),
        _("acknowledgements"),
        {
            "officer": _("officer"),
            "protocol": _("protocol"),
            "acknowledged_at": _("acknowledged at"),
        },
    ),
    CheckInSchedule: (
        _("check-in schedule"),
        _("check-in schedules"),
        {
            "site": _("site"),
            "start": _("start"),
            "end": _("end"),
            "start_time": _("start time"),
            "format": _("format"),
            "location": _("location"),
            "expected_officers": _("expected officers"),
        },
    ),
    CheckIn: (
        _("check-in"),
        _("check-ins"),
        {
            "site": _("site"),
            "schedule": _("schedule"),
            "scheduled_start": _("scheduled start"),
            "format": _("format"),
            "status": _("status"),
            "notes": _("notes"),
        },
    ),
    AttendanceConfirmation: (
        _("attendance confirmation"),
        _("attendance confirmations"),
        {"checkin": _("check-in"), "officer": _("officer"), "confirmed_at": _("confirmed at")},
    ),
    CalendarFeed: (
        _("calendar feed"),
        _("calendar feeds"),
        {
            "site": _("site"),
            "officer": _("officer"),
            "label": _("label"),
            "created_by": _("created by"),
            "created_at": _("created at"),
            "revoked_at": _("revoked at"),
        },
    ),
    ReminderSent: (
        _("reminder sent"),
        _("reminders sent"),
        {
            "checkin": _("check-in"),
            "kind": _("kind"),
            "recipient": _("recipient"),
            "sent_at": _("sent at"),
        },
    ),
}


def name_liaisons_models() -> None:
    name_models(MODEL_NAMES)
