"""factory_boy factories for every model. Defaults make a valid, open, consenting site."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from agreements.choices import (
    AssignmentRole,
    Category,
    CheckInFormat,
    CheckInStatus,
    Consent,
    DistanceBand,
    EngagementKind,
    ProtocolStatus,
    Role,
    SiteStatus,
    SpeakerRank,
    Stance,
    StatementKind,
)
from agreements.models import (
    DailyAttendance,
    EngagementEvent,
    Interaction,
    Membership,
    OperatingHours,
    Protocol,
    ProtocolClause,
    Site,
    SupportStatement,
)
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
)

TORONTO = ZoneInfo("America/Toronto")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Test Site {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    city = "Lakeport"
    region = "ON"
    timezone = "America/Toronto"
    status = SiteStatus.OPEN
    opened_on = date(2020, 1, 1)
    research_consent = True


class OperatingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatingHours

    site = factory.SubFactory(SiteFactory)
    weekday = 0
    opens = time(9)
    closes = time(21)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.MANAGER
    site = factory.SubFactory(SiteFactory)


class PoliceServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceService
        django_get_or_create = ("name",)

    name = "Lakeport Police Service"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonOfficer

    service = factory.SubFactory(PoliceServiceFactory)
    name = factory.Sequence(lambda n: f"Officer {n}")
    rank = "Sergeant"
    badge_number = factory.Sequence(lambda n: f"{1000 + n}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonAssignment

    officer = factory.SubFactory(OfficerFactory)
    site = factory.SubFactory(SiteFactory)
    role = AssignmentRole.PRIMARY
    start = date(2024, 1, 1)
    end = None


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Protocol

    site = factory.SubFactory(SiteFactory)
    version = factory.Sequence(lambda n: n + 1)
    status = ProtocolStatus.DRAFT
    created_on = date(2023, 1, 1)


class SignedProtocolFactory(ProtocolFactory):
    status = ProtocolStatus.SIGNED
    signed_on = date(2023, 2, 1)
    effective_from = date(2023, 3, 1)
    review_by = date(2026, 3, 1)


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtocolClause

    protocol = factory.SubFactory(ProtocolFactory)
    topic = "entry_during_hours"
    text = "No entry during operating hours."


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acknowledgement

    officer = factory.SubFactory(OfficerFactory)
    protocol = factory.SubFactory(SignedProtocolFactory)
    acknowledged_at = datetime(2024, 1, 5, 10, tzinfo=TORONTO)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementEvent

    site = factory.SubFactory(SiteFactory)
    date = date(2019, 3, 2)
    kind = EngagementKind.DIALOGUE
    summary = "First dialogue with the division."


class SupportStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportStatement

    site = factory.SubFactory(SiteFactory)
    date = date(2025, 5, 1)
    rank = SpeakerRank.CHIEF
    stance = Stance.SUPPORT
    kind = StatementKind.PUBLIC_STATEMENT


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckInSchedule

    site = factory.SubFactory(SiteFactory)
    key = factory.Sequence(lambda n: f"schedule-{n}")
    rrule = "FREQ=MONTHLY;BYDAY=2TU"
    start = date(2024, 1, 1)
    start_time = time(10)
    format = CheckInFormat.MEETING


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    site = factory.SubFactory(SiteFactory)
    scheduled_start = datetime(2026, 3, 10, 10, tzinfo=TORONTO)
    format = CheckInFormat.MEETING
    status = CheckInStatus.HELD


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    site = factory.SubFactory(SiteFactory)
    occurred_at = datetime(2026, 6, 1, 14, tzinfo=TORONTO)
    category = Category.VEHICLE_IN_BUFFER
    distance_band = DistanceBand.BUFFER
    narrative = "Cruiser parked across from the door."
    # The reporter agreed to every use, so a test may share the interaction without saying
    # so; tests of the consent rules set it (the model's default is `aggregate`).
    consent = Consent.MEDIATION


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyAttendance

    site = factory.SubFactory(SiteFactory)
    # Distinct days in the past however many rows a whole run makes (a sequence from a
    # recent day ran into the future, which the model refuses, late in long runs).
    date = factory.Sequence(lambda n: date.fromordinal(date(2014, 1, 1).toordinal() + n % 3650))
    visits = 80
