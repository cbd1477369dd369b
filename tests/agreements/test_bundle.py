"""Bundles (SPEC §7): the example imports, export then import gives the same record and
the same scores, and a broken bundle changes nothing and names the record and key."""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from agreements.choices import (
    AssignmentRole,
    Category,
    CheckInFormat,
    CheckInStatus,
    Consent,
    DistanceBand,
    EngagementKind,
    Impact,
    LegalBasis,
    ProtocolStatus,
    Role,
    SiteStatus,
    Source,
    SpeakerRank,
    Stance,
    StatementKind,
)
from agreements.models import (
    EngagementEvent,
    Interaction,
    Membership,
    Protocol,
    Site,
)
from bundles.bundle import BundleError, dump_bundle, export_bundle, import_bundle
from bundles.schema import Bundle, Record, nested
from liaisons.models import (
    Acknowledgement,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
)
from scoring.scorecards import score_site
from tests.factories import (
    AcknowledgementFactory,
    AssignmentFactory,
    AttendanceFactory,
    CheckInFactory,
    ClauseFactory,
    EngagementFactory,
    InteractionFactory,
    OfficerFactory,
    OperatingHoursFactory,
    PoliceServiceFactory,
    ProtocolFactory,
    ScheduleFactory,
    SiteFactory,
    SupportStatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A copy of the worked example of the specification (shared/examples), kept with the tests.
RIVERSIDE = Path(__file__).resolve().parents[1] / "fixtures/riverside.json"
DOCS = Path(__file__).resolve().parents[2] / "docs/bundle.md"
TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 7, 1, 16, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_now() -> Iterator[None]:
    # Records of what happened may not lie in the future: fix "today" for every test.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def riverside() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RIVERSIDE.read_text(encoding="utf-8"))
    return data


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model (with many-to-many tables), to prove nothing changed."""
    models = [
        *apps.get_app_config("agreements").get_models(include_auto_created=True),
        *apps.get_app_config("liaisons").get_models(include_auto_created=True),
        get_user_model(),
    ]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


def empty_database() -> None:
    Site.objects.all().delete()
    LiaisonOfficer.objects.all().delete()
    PoliceService.objects.all().delete()


def refused(data: Any, *, replace: bool = False) -> list[str]:
    """The messages of a refused import, checking that the database did not change."""
    before = snapshot()
    with pytest.raises(BundleError) as caught:
        import_bundle(data, replace=replace)
    assert snapshot() == before
    return caught.value.messages


# --- the example bundle --------------------------------------------------------------------


def test_the_example_bundle_creates_its_records(riverside: dict[str, Any]) -> None:
    site = import_bundle(riverside)

    assert (site.slug, site.name, site.status, site.opened_on) == (
        "riverside",
        "Riverside Health Hub",
        SiteStatus.OPEN,
        date(2019, 10, 1),
    )
    assert site.police_accounts  # left out: the model default
    saturday = site.hours.get(weekday=5)
    assert (saturday.opens, saturday.closes) == (time(12), time(2))
    officer = LiaisonOfficer.objects.get()
    assert (officer.badge_number, officer.service.name, officer.registered_for) == (
        "4411",
        "Lakeport Police Service",
        site,
    )
    assignment = LiaisonAssignment.objects.get()
    assert (assignment.officer, assignment.role, assignment.end) == (officer, "primary", None)
    protocol = Protocol.objects.get()
    assert protocol.status == ProtocolStatus.SIGNED
    assert [(c.position, c.topic) for c in protocol.clauses.all()] == [
        (0, "entry_during_hours"),
        (1, "proximity_buffer"),
        (2, "entry_exceptions"),
        (3, "notification"),
    ]
    ack = Acknowledgement.objects.get()
    assert ack.acknowledged_at == datetime(2024, 1, 5, 10, tzinfo=TORONTO)
    assert site.checkins.count() == 5
    assert site.checkins.filter(schedule__key="monthly").count() == 4
    ad_hoc = site.checkins.get(schedule=None)
    assert (ad_hoc.format, ad_hoc.duration_minutes) == (CheckInFormat.TOUR, 90)
    parked, request = site.interactions.order_by("occurred_at")
    # Stored to the hour, in the site's local time.
    assert parked.occurred_at == datetime(2026, 6, 1, 14, tzinfo=TORONTO)
    assert (parked.officers_present, parked.vehicle_present) == (2, True)
    assert (request.legal_basis, request.disclosed) == (LegalBasis.NONE, False)
    assert site.attendance.get().visits == 84
    assert site.engagements.count() == 2
    assert site.support_statements.count() == 1


def test_exporting_the_example_gives_it_back_with_the_time_kept_to_the_hour(
    riverside: dict[str, Any],
) -> None:
    exported = export_bundle(import_bundle(copy.deepcopy(riverside)))

    riverside["interactions"][0]["occurred_at"] = "2026-06-01T14:00"
    # Plain records give exactly the keys of the SPEC example: no optional key appears.
    assert exported == riverside


# --- a rich site, export then import -----------------------------------------------------


def build_rich_site(status: str) -> Site:
    """A site with a record of every kind and every optional key in use."""
    planned = status == SiteStatus.PLANNED
    site = SiteFactory(
        slug="rich",
        name="Rivière Rich Site (fictional)",
        organisation="Example Health",
        address="1 Example Street",
        timezone="America/St_Johns" if planned else "America/Vancouver",
        status=status,
        opened_on=None if planned else date(2020, 3, 1),
        buffer_metres=150,
        research_consent=False,
        police_accounts=False,
        community_oversight=True,
    )
    for weekday in range(5):
        OperatingHoursFactory(site=site, weekday=weekday, opens=time(9), closes=time(21))
    OperatingHoursFactory(site=site, weekday=5, opens=time(20), closes=time(2))  # past midnight
    OperatingHoursFactory(site=site, weekday=6, opens=time(8, 30), closes=time(8, 30))

    lakeport = PoliceServiceFactory(name="Lakeport Police Service", jurisdiction="Lakeport")
    regional = PoliceServiceFactory(name="Regional Police", jurisdiction="")
    current = OfficerFactory(
        service=lakeport,
        badge_number="4411",
        email="a@police.example",
        phone="555-0101",
        contact_verified_on=date(2026, 3, 1),
    )
    former = OfficerFactory(service=lakeport, badge_number="4412", rank="")
    backup = OfficerFactory(service=regional, badge_number="R-77")
    OfficerFactory(service=lakeport, badge_number="5000", registered_for=site)  # roster only
    AssignmentFactory(officer=former, site=site, start=date(2021, 1, 1), end=date(2023, 12, 31))
    AssignmentFactory(officer=current, site=site, start=date(2024, 1, 1))
    AssignmentFactory(officer=backup, site=site, role=AssignmentRole.BACKUP, start=date(2022, 6, 1))
    former.active = False  # left after the assignment ended
    former.save()

    EngagementFactory(site=site, date=date(2019, 3, 2), police_ranks_present="Inspector, Sergeant")
    EngagementFactory(site=site, date=date(2019, 3, 2), kind=EngagementKind.COMMUNITY_PLANNING)
    EngagementFactory(
        site=site, date=date(2020, 2, 1), kind=EngagementKind.EXEMPTION_BRIEFING, summary=""
    )
    SupportStatementFactory(site=site, source="https://example.org/record", summary="Chief spoke.")
    SupportStatementFactory(
        site=site,
        date=date(2025, 6, 1),
        rank=SpeakerRank.DEPUTY_CHIEF,
        stance=Stance.OPPOSITION,
        kind=StatementKind.LETTER,
    )

    v1 = ProtocolFactory(
        site=site,
        version=1,
        status=ProtocolStatus.ENDED,
        created_on=date(2019, 8, 1),
        signed_on=date(2019, 9, 10),
        effective_from=date(2019, 9, 15),
        review_by=date(2021, 9, 15),
        ended_on=date(2024, 1, 1),
        signatories="Site director\nDivision superintendent",
    )
    v2 = ProtocolFactory(
        site=site,
        version=2,
        status=ProtocolStatus.SIGNED,
        created_on=date(2023, 10, 1),
        signed_on=date(2023, 12, 1),
        effective_from=date(2024, 1, 1),
        review_by=date(2026, 1, 1),
    )
    v3 = ProtocolFactory(site=site, version=3, created_on=date(2026, 5, 1))
    for position, topic in enumerate(("entry_during_hours", "proximity_buffer", "notification")):
        ClauseFactory(protocol=v1, topic=topic, text=f"v1 {topic}", position=position)
    for position, topic in enumerate(("information_sharing", "plainclothes", "other")):
        ClauseFactory(protocol=v2, topic=topic, text=f"v2 {topic}", position=position)
    ClauseFactory(protocol=v3, topic="conflict_resolution", text="Draft text.")
    AcknowledgementFactory(
        officer=former, protocol=v1, acknowledged_at=datetime(2021, 2, 1, 10, 0, 30, tzinfo=UTC)
    )
    AcknowledgementFactory(officer=current, protocol=v2)
    AcknowledgementFactory(
        officer=backup, protocol=v2, acknowledged_at=datetime(2024, 2, 1, 18, tzinfo=UTC)
    )

    monthly = ScheduleFactory(site=site, key="monthly", location="Site meeting room")
    monthly.expected_officers.set([current, backup])
    tours = ScheduleFactory(
        site=site,
        key="tours",
        rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH",
        start=date(2024, 2, 1),
        end=date(2026, 12, 31),
        start_time=time(7, 30),
        duration_minutes=90,
        format=CheckInFormat.TOUR,
    )
    tz = site.tz
    CheckInFactory(
        site=site,
        schedule=monthly,
        scheduled_start=datetime(2026, 5, 12, 10, tzinfo=tz),
        notes="Talked about parking.",
    )
    CheckInFactory(
        site=site,
        schedule=monthly,
        scheduled_start=datetime(2026, 6, 9, 10, tzinfo=tz),
        status=CheckInStatus.MISSED,
    )
    CheckInFactory(
        site=site,
        schedule=tours,
        scheduled_start=datetime(2026, 4, 2, 7, 30, tzinfo=tz),
        duration_minutes=90,
        format=CheckInFormat.TOUR,
        status=CheckInStatus.CANCELLED,
    )
    CheckInFactory(
        site=site,
        scheduled_start=datetime(2026, 6, 20, 23, tzinfo=tz),
        format=CheckInFormat.VISIT,
        duration_minutes=45,
    )
    CheckInFactory(
        site=site,
        schedule=monthly,
        scheduled_start=datetime(2026, 7, 14, 10, tzinfo=tz),
        status=CheckInStatus.SCHEDULED,
    )

    InteractionFactory(
        site=site,
        occurred_at=datetime(2026, 6, 1, 14, tzinfo=tz),
        officers_present=2,
        vehicle_present=True,
        impact=Impact.CLIENTS_LEFT,
        liaison_contacted=True,
        resolution="Liaison asked them to park further away.",
        badge_numbers="4411, R-77",
        clause_topic="proximity_buffer",
        source=Source.CLIENT_REPORTED,
        consent=Consent.SITE_ONLY,
    )
    InteractionFactory(
        site=site,
        occurred_at=datetime(2026, 6, 12, 11, tzinfo=tz),
        category=Category.INFORMATION_REQUEST,
        distance_band=DistanceBand.INSIDE,
        legal_basis=LegalBasis.NONE,
        disclosed=False,
        site_notified=True,
        clause_topic="information_sharing",
        narrative="Asked for the visitor log; staff declined.",
    )
    InteractionFactory(
        site=site,
        occurred_at=datetime(2026, 6, 12, 11, tzinfo=tz),
        category=Category.INFORMATION_REQUEST,
        distance_band=DistanceBand.INSIDE,
        legal_basis=LegalBasis.WARRANT,
        disclosed=True,
        source=Source.PEER_REPORTED,
        consent=Consent.AGGREGATE,
    )
    InteractionFactory(
        site=site,
        occurred_at=datetime(2026, 6, 20, 22, tzinfo=tz),
        category=Category.PLAINCLOTHES_PRESENCE,
        distance_band=DistanceBand.ENTRANCE,
        plain_clothes=True,
        staff_requested=False,
        narrative="",
    )
    for day, visits in ((date(2026, 6, 1), 84), (date(2026, 6, 2), 0), (date(2026, 6, 3), 91)):
        AttendanceFactory(site=site, date=day, visits=visits)
    return site


def optional_keys(model: type[Record], prefix: str = "") -> set[str]:
    """Every optional key of the format, as "record.key"."""
    found = {f"{prefix}{key}" for key in model.OPTIONAL}
    for key, inner, _ in nested(model):
        found |= optional_keys(inner, f"{key}.")
    return found


def keys_in_use(value: Any, prefix: str = "") -> set[str]:
    """The keys a bundle uses, as "record.key" (the record being its list's name)."""
    found: set[str] = set()
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            for name, child in item.items():
                found.add(f"{prefix}{name}")
                found |= keys_in_use(child, f"{name}.")
    return found


@pytest.mark.parametrize("status", [SiteStatus.CLOSED, SiteStatus.PLANNED])
def test_export_then_import_into_an_empty_database_gives_the_same_bundle(status: str) -> None:
    site = build_rich_site(status)
    exported = export_bundle(site)
    counts = {label: len(rows) for label, rows in snapshot().items()}
    # The rich site exercises every optional key, so the round trip covers all of them.
    assert optional_keys(Bundle) <= keys_in_use(exported)

    empty_database()
    imported = import_bundle(copy.deepcopy(exported))

    assert export_bundle(imported) == exported
    assert {label: len(rows) for label, rows in snapshot().items()} == counts


def test_the_round_trip_keeps_what_the_bundle_does_not_spell_out() -> None:
    build_rich_site(SiteStatus.CLOSED)
    exported = export_bundle(Site.objects.get(slug="rich"))
    empty_database()

    site = import_bundle(exported)

    former = LiaisonOfficer.objects.get(badge_number="4412")
    assert not former.active
    assert former.assignments.get().end == date(2023, 12, 31)
    assert LiaisonOfficer.objects.get(badge_number="5000").registered_for == site
    assert PoliceService.objects.get(name="Lakeport Police Service").jurisdiction == "Lakeport"
    ack = Acknowledgement.objects.get(officer=former)
    assert ack.acknowledged_at == datetime(2021, 2, 1, 10, 0, 30, tzinfo=UTC)
    v3 = site.protocols.get(version=3)
    assert v3.status == ProtocolStatus.DRAFT
    assert site.interactions.filter(badge_numbers="4411, R-77").exists()


@pytest.mark.parametrize("status", [SiteStatus.CLOSED, SiteStatus.PLANNED])
def test_export_then_import_gives_the_same_scores(status: str) -> None:
    site = build_rich_site(status)
    days = [date(2020, 1, 15), date(2024, 1, 10), date(2025, 12, 31), date(2026, 6, 30)]
    before = [score_site(site, day).as_json() for day in days]
    exported = export_bundle(site)
    empty_database()

    imported = import_bundle(exported)

    assert [score_site(imported, day).as_json() for day in days] == before


def test_a_time_in_the_repeated_hour_is_read_as_its_first_occurrence(
    riverside: dict[str, Any],
) -> None:
    # Clocks went back at 02:00 on 2025-11-02 in Toronto; forms read 01:30 the same way.
    riverside["checkins"][0]["start"] = "2025-11-02T01:30"
    site = import_bundle(riverside)
    checkin = site.checkins.order_by("scheduled_start").first()
    assert checkin is not None
    assert checkin.scheduled_start == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)


def test_a_protocol_left_without_creation_day_is_created_today_at_the_site(
    riverside: dict[str, Any],
) -> None:
    riverside["site"]["timezone"] = "America/Vancouver"
    del riverside["protocols"][0]["created_on"]
    riverside["protocols"][0]["signed_on"] = None
    riverside["protocols"][0]["status"] = "draft"
    riverside["protocols"][0]["acknowledgements"] = []
    # 03:00 on 2 July in UTC is still 1 July in Vancouver.
    with time_machine.travel(datetime(2026, 7, 2, 3, tzinfo=UTC), tick=False):
        site = import_bundle(riverside)
    assert site.protocols.get().created_on == date(2026, 7, 1)


# --- officers already on record ----------------------------------------------------------


def test_an_officer_of_another_site_is_never_rewritten_by_an_import(
    riverside: dict[str, Any], other_site: Site
) -> None:
    service = PoliceServiceFactory(name="LAKEPORT POLICE SERVICE")
    officer = OfficerFactory(
        service=service, badge_number="4411", name="Old Name", registered_for=other_site
    )
    before = snapshot()
    messages = refused(riverside)
    assert messages[0].startswith("officers[0].badge: officer 4411 of LAKEPORT POLICE SERVICE")
    assert "eastside" in messages[0]
    assert snapshot() == before
    officer.refresh_from_db()
    assert officer.name == "Old Name"


def test_an_officer_on_record_is_matched_by_service_and_badge(
    riverside: dict[str, Any], other_site: Site
) -> None:
    service = PoliceServiceFactory(name="LAKEPORT POLICE SERVICE")
    officer = OfficerFactory(
        service=service, badge_number="4411", registered_for=other_site,
        name="Sgt. Sample Officer", rank="Sergeant", email="liaison@police.example",
        phone="", contact_verified_on=date(2026, 3, 1), active=True,
    )  # fmt: skip
    OfficerFactory(service=PoliceServiceFactory(name="Regional Police"), badge_number="4411")

    site = import_bundle(riverside)

    # Still on the roster of the site that registered it; assigned to the new one.
    officer.refresh_from_db()
    assert officer.registered_for == other_site
    assert site.assignments.get().officer == officer
    assert LiaisonOfficer.objects.count() == 2
    assert PoliceService.objects.count() == 2


def test_an_officer_of_this_site_only_is_updated_on_replace(riverside: dict[str, Any]) -> None:
    import_bundle(copy.deepcopy(riverside))
    riverside["officers"][0]["name"] = "Sgt. Renamed Officer"
    import_bundle(riverside, replace=True)
    assert LiaisonOfficer.objects.get().name == "Sgt. Renamed Officer"


def test_a_new_officer_is_registered_for_the_imported_site(riverside: dict[str, Any]) -> None:
    site = import_bundle(riverside)
    assert LiaisonOfficer.objects.get().registered_for == site


# --- slugs that exist --------------------------------------------------------------------


def test_a_slug_that_exists_is_refused_without_replace(riverside: dict[str, Any]) -> None:
    import_bundle(copy.deepcopy(riverside))
    messages = refused(riverside)
    assert messages == [
        'site.slug: a site with slug "riverside" exists already; import with replace '
        "(--replace) to delete it and its records first"
    ]


def test_replace_deletes_the_old_site_and_its_records_but_keeps_who_may_see_it(
    riverside: dict[str, Any],
) -> None:
    old = import_bundle(copy.deepcopy(riverside))
    EngagementFactory(site=old, date=date(2020, 1, 1), summary="Only in the old record.")
    manager = UserFactory(username="manager")
    Membership.objects.create(user=manager, role=Role.MANAGER, site=old)
    riverside["site"]["name"] = "Riverside, corrected"

    new = import_bundle(riverside, replace=True)

    assert not Site.objects.filter(pk=old.pk).exists()
    assert list(Site.objects.values_list("slug", "name")) == [("riverside", "Riverside, corrected")]
    assert not EngagementEvent.objects.filter(summary="Only in the old record.").exists()
    assert new.engagements.count() == 2
    assert LiaisonOfficer.objects.count() == 1
    assert Membership.objects.get(user=manager).site == new


def test_replace_with_a_broken_bundle_keeps_the_old_site(riverside: dict[str, Any]) -> None:
    import_bundle(copy.deepcopy(riverside))
    riverside["interactions"][0]["category"] = "raid"
    messages = refused(riverside, replace=True)
    assert messages[0].startswith('interactions[0].category: "raid" is not one of')


# --- broken bundles ----------------------------------------------------------------------

DELETE = object()
STEP = re.compile(r"([a-z_]+)|\[(\d+)\]")


def set_at(data: Any, path: str, value: Any) -> None:
    """Set (or with DELETE remove) the value at a path written as errors name it."""
    steps: list[str | int] = [name or int(index) for name, index in STEP.findall(path)]
    *parents, last = steps
    for step in parents:
        data = data[step]
    if value is DELETE:
        del data[last]
    elif isinstance(last, int) and last == len(data):
        data.append(value)
    else:
        data[last] = value


RECORD_PATHS = [
    "site.operating_hours[0]",
    "officers[0]",
    "assignments[0]",
    "engagements[0]",
    "support_statements[0]",
    "protocols[0]",
    "protocols[0].clauses[0]",
    "protocols[0].acknowledgements[0]",
    "schedules[0]",
    "checkins[0]",
    "interactions[0]",
    "attendance[0]",
]


@pytest.mark.parametrize("path", ["", "site", *RECORD_PATHS])
def test_an_unknown_key_is_refused_at_every_level(riverside: dict[str, Any], path: str) -> None:
    where = f"{path}.surprise" if path else "surprise"
    set_at(riverside, where, 1)
    messages = refused(riverside)
    assert any(m.startswith(f"{where}: unknown key; the keys here are ") for m in messages)


SECOND_OFFICER = {
    "badge": "4411",
    "name": "Someone Else",
    "rank": "",
    "service": "Regional Police",
    "email": "",
    "phone": "",
    "contact_verified_on": None,
    "active": True,
}
SIGNED_V2 = {
    "version": 2,
    "status": "signed",
    "created_on": "2023-10-01",
    "effective_from": "2024-01-01",
    "review_by": None,
    "signed_on": "2023-12-01",
    "ended_on": None,
    "clauses": [],
    "acknowledgements": [],
}

BROKEN = [
    # (path, new value, the message expected)
    ("interactions[0].category", "raid", 'interactions[0].category: "raid" is not one of "unin'),
    ("support_statements[0].stance", "Support", 'support_statements[0].stance: "Support" is not'),
    ("site.status", "open ", 'site.status: "open " is not one of "planned", "open", "closed"'),
    ("engagements[0].date", "2019-02-30", 'engagements[0].date: "2019-02-30" is not a date in'),
    ("engagements[0].date", "02/03/2019", "engagements[0].date: expected a date as YYYY-MM-DD, "),
    ("site.opened_on", 20191001, "site.opened_on: expected a date as YYYY-MM-DD, got 20191001"),
    ("schedules[0].time", "10h", 'schedules[0].time: expected a time as HH:MM, got "10h"'),
    ("officers", "x", 'officers: expected a list [{…}, …], got "x"'),
    ("site", [], "site: expected an object {…}, got a list"),
    ("interactions[0]", "x", 'interactions[0]: expected an object {…}, got "x"'),
    ("interactions[0].officers", "2", 'interactions[0].officers: expected a whole number, got "2"'),
    ("interactions[0].officers", True, "interactions[0].officers: expected a whole number, got t"),
    ("interactions[0].officers", 2.0, "interactions[0].officers: expected a whole number, got 2.0"),
    ("site.research_consent", 1, "site.research_consent: expected true or false, got 1"),
    ("site.operating_hours[0].weekday", True, "site.operating_hours[0].weekday: true is not one"),
    ("site.name", None, "site.name: expected text, got null"),
    ("site.name", DELETE, "site.name: missing; this key is required"),
    ("interactions[0].category", DELETE, "interactions[0].category: missing; this key is requi"),
    ("attendance", DELETE, "attendance: missing; this key is required"),
    ("protocols[0].clauses", DELETE, "protocols[0].clauses: missing; this key is required"),
    ("schedules[0].rrule", "FREQ=HOURLY", "schedules[0].rrule: Check-ins recur YEARLY, MONTHLY"),
    ("schedules[0].rrule", "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "schedules[0].rrule: This r"),
    ("checkins[0].schedule", "weekly", 'checkins[0].schedule: "weekly" is not the key of any rec'),
    ("checkins[0].schedule", 3, "checkins[0].schedule: expected text, got 3"),
    ("assignments[0].badge", "9999", 'assignments[0].badge: "9999" is not the badge of any reco'),
    ("protocols[0].acknowledgements[0].badge", "1", 'protocols[0].acknowledgements[0].badge: "1"'),
    ("schedules[0].expected", ["9999"], 'schedules[0].expected[0]: "9999" is not the badge of an'),
    ("site.timezone", "Mars/Olympus", "site.timezone: 'Mars/Olympus' is not a known IANA timez"),
    ("site.slug", "new", "site.slug: 'new' is reserved by the app"),
    ("site.buffer_metres", 5, "site.buffer_metres: Ensure this value is greater than or eq"),
    ("site.status", "planned", "site.opened_on: A planned site has no opening date yet"),
    ("engagements[1].date", "2026-08-01", "engagements[1].date: This has not happened yet"),
    ("interactions[1].legal_basis", DELETE, "interactions[1].legal_basis: Record the legal basis"),
    ("interactions[0].disclosed", False, "interactions[0].disclosed: Only a request for informa"),
    ("interactions[0].badges", ["44 11"], "interactions[0].badges[0]: A badge number has 1–12 "),
    ("interactions[0].badges", "4411", "interactions[0].badges: expected a list of text values,"),
    ("interactions[0].occurred_at", "2026-06-01T14:30+02:00", "interactions[0].occurred_at: ex"),
    ("interactions[0].occurred_at", "0001-01-01T00:00", "interactions[0].occurred_at: Enter a"),
    ("interactions[0].narrative", "a\x00b", "interactions[0].narrative: contains a NUL character"),
    ("interactions[0].narrative", "\ud800", "interactions[0].narrative: contains an unpaired s"),
    ("officers[0].email", "not-an-email", "officers[0].email: Enter a valid email address."),
    ("officers[0].service", "", "officers[0].service: This field cannot be blank."),
    ("checkins[3].start", "2026-08-11T10:00", "checkins[3].status: A check-in that has not sta"),
    ("protocols[0].status", "draft", "protocols[0].acknowledgements[0]: Only a signed protoc"),
    ("protocols[0].signed_on", None, "protocols[0].signed_on: A signed version needs the day"),
    # The rule and wording of `site_save`, which the import calls.
    ("site.operating_hours[1].weekday", 0, "site.operating_hours[1].weekday: Enter at most one"),
    ("attendance[1]", {"date": "2026-06-01", "visits": 3}, 'attendance[1].date: "2026-06-01" h'),
    ("officers[1]", SECOND_OFFICER, 'officers[1].badge: "4411" is the badge of an earlier offi'),
    ("protocols[1]", dict(SIGNED_V2, version=1), "protocols[1].version: 1 is the number of an"),
    ("protocols[1]", SIGNED_V2, "protocols[0].status: a later signed version takes effect on "),
    ("format", "hr-police-bundle/2", 'format: expected "hr-police-bundle/1", got "hr-police-bu'),
    ("format", DELETE, 'format: expected "hr-police-bundle/1", got null'),
]


@pytest.fixture
def prior(other_site: Site) -> None:
    """Records already in the database, which a refused import must leave as they are."""
    service = PoliceServiceFactory(name="Lakeport Police Service")
    # The same officer as in the bundle, shared with another site.
    officer = OfficerFactory(
        service=service, badge_number="4411", registered_for=other_site,
        name="Sgt. Sample Officer", rank="Sergeant", email="liaison@police.example",
        phone="", contact_verified_on=date(2026, 3, 1), active=True,
    )  # fmt: skip
    AssignmentFactory(officer=officer, site=other_site)
    InteractionFactory(site=other_site)


@pytest.mark.usefixtures("prior")
@pytest.mark.parametrize(("path", "value", "expected"), BROKEN)
def test_a_broken_bundle_changes_nothing_and_names_the_record_and_key(
    riverside: dict[str, Any], path: str, value: Any, expected: str
) -> None:
    set_at(riverside, path, value)
    messages = refused(riverside)
    assert any(m.startswith(expected) for m in messages), messages


def test_every_error_is_reported_at_once(riverside: dict[str, Any]) -> None:
    riverside["interactions"][0]["category"] = "raid"
    riverside["engagements"][1]["date"] = "2030-01-01"
    riverside["schedules"][0]["rrule"] = "FREQ=HOURLY"
    del riverside["attendance"][0]["visits"]

    messages = refused(riverside)

    assert [m.split(":")[0] for m in messages] == [
        "interactions[0].category",
        "attendance[0].visits",
        "engagements[1].date",
        "schedules[0].rrule",
    ]


def test_overlapping_primary_assignments_are_refused(riverside: dict[str, Any]) -> None:
    riverside["officers"].append(dict(SECOND_OFFICER, badge="4412"))
    riverside["assignments"].append(
        {"badge": "4412", "role": "primary", "start": "2025-01-01", "end": None}
    )
    messages = refused(riverside)
    assert len(messages) == 1
    assert messages[0].startswith(
        "assignments[1].start: A site has at most one primary liaison on any day"
    )


def test_a_broken_site_still_reports_the_shape_of_the_other_records(
    riverside: dict[str, Any],
) -> None:
    del riverside["site"]["city"]
    riverside["checkins"][0]["status"] = "done"
    messages = refused(riverside)
    assert messages[0] == "site.city: missing; this key is required"
    assert messages[1].startswith('checkins[0].status: "done" is not one of')
    assert messages[2].startswith("site: every record belongs to the site")


@pytest.mark.parametrize("data", [[], "bundle", None, 3])
def test_a_bundle_that_is_not_an_object_is_refused(data: Any) -> None:
    messages = refused(data)
    assert messages[0].startswith("A bundle is one JSON object {…}, not ")


# --- commands ----------------------------------------------------------------------------


def run(name: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_bundle_reads_a_file_and_prints_a_summary() -> None:
    out, _ = run("import_bundle", str(RIVERSIDE))
    assert out == (
        "Imported site riverside — officers: 1, assignments: 1, engagements: 2, "
        "support statements: 1, protocols: 1, schedules: 1, checkins: 5, interactions: 2, "
        "attendance: 1.\n"
    )
    assert Site.objects.get().checkins.count() == 5


def test_import_bundle_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RIVERSIDE.read_bytes())))
    out, _ = run("import_bundle", "-")
    assert out.startswith("Imported site riverside — ")


def test_import_bundle_replaces_with_the_flag(tmp_path: Path, riverside: dict[str, Any]) -> None:
    run("import_bundle", str(RIVERSIDE))
    riverside["site"]["name"] = "Renamed"
    path = tmp_path / "b.json"
    path.write_text(json.dumps(riverside), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was changed"):
        run("import_bundle", str(path))
    run("import_bundle", str(path), "--replace")
    assert Site.objects.get().name == "Renamed"


def test_import_bundle_prints_every_error_and_fails(
    tmp_path: Path, riverside: dict[str, Any]
) -> None:
    riverside["interactions"][0]["category"] = "raid"
    riverside["attendance"][0]["visits"] = "84"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(riverside), encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"Import refused \(2 errors\); nothing was changed"):
        call_command("import_bundle", str(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith('interactions[0].category: "raid" is not one of')
    assert lines[1] == 'attendance[0].visits: expected a whole number, got "84"'
    assert not Site.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"format": "hr-police-bundle/1",', "The file is not valid JSON: Expecting"),
        (b"", "The file is not valid JSON: Expecting value at line 1, column 1."),
        (b'{"format": "\xff"}', "The file is not UTF-8 text (byte 12 is invalid)."),
        (b"[1, 2]", "A bundle is one JSON object {…}, not a list."),
        (b'{"format": 1, "site": {"a": 1, "a": 2}}', 'The file repeats the key "a" within one'),
        (b"[" * 100_000 + b"]" * 100_000, "The file is not usable JSON"),
        (b"1" * 5000, "The file is not usable JSON"),
    ],
)
def test_import_bundle_explains_a_file_that_is_not_a_bundle(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"Import refused \(1 error\)"):
        call_command("import_bundle", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith(expected)


def test_import_bundle_explains_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.json: No such file"):
        run("import_bundle", str(tmp_path / "nowhere.json"))


def test_export_bundle_writes_the_bundle_to_stdout() -> None:
    site = build_rich_site(SiteStatus.CLOSED)
    out, _ = run("export_bundle", "rich")
    assert out.startswith('{\n "format": "hr-police-bundle/1",\n "site": {\n  "slug": "rich",')
    assert "Rivière" in out  # not escaped
    assert json.loads(out) == export_bundle(site)
    assert list(json.loads(out)) == Bundle.bundle_keys()


def test_export_bundle_writes_a_file_that_imports(tmp_path: Path) -> None:
    site = build_rich_site(SiteStatus.CLOSED)
    path = tmp_path / "rich.json"
    out, _ = run("export_bundle", "rich", "-o", str(path))
    assert out == f"Exported site rich to {path}.\n"
    assert path.read_text(encoding="utf-8") == dump_bundle(export_bundle(site)) + "\n"
    empty_database()
    run("import_bundle", str(path))
    assert export_bundle(Site.objects.get()) == json.loads(path.read_text(encoding="utf-8"))


def test_export_bundle_refuses_an_unknown_slug() -> None:
    with pytest.raises(CommandError, match="No site with slug 'nowhere'"):
        run("export_bundle", "nowhere")


def test_export_refuses_a_badge_that_two_services_share(site: Site) -> None:
    AssignmentFactory(site=site, officer=OfficerFactory(badge_number="4411"))
    OfficerFactory(
        service=PoliceServiceFactory(name="Regional Police"),
        badge_number="4411",
        registered_for=site,
    )
    with pytest.raises(CommandError, match="badge 4411 belongs to officers of several"):
        run("export_bundle", site.slug)


# --- documentation -------------------------------------------------------------------------


def record_models(model: type[Record]) -> Iterator[type[Record]]:
    yield model
    for _, inner, _ in nested(model):
        yield from record_models(inner)


def test_docs_describe_every_key_and_mark_the_optional_ones() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for model in record_models(Bundle):
        for key in model.bundle_keys():
            assert f"`{key}`" in text, key
    for name in optional_keys(Bundle):
        assert f"| `{name.split('.')[-1]}` | optional" in text, name


def test_interactions_written_in_bulk_are_still_kept_to_the_hour(
    riverside: dict[str, Any],
) -> None:
    riverside["interactions"][1]["occurred_at"] = "2026-06-12T11:59:59"
    import_bundle(riverside)
    times = Interaction.objects.order_by("occurred_at").values_list("occurred_at", flat=True)
    assert list(times) == [
        datetime(2026, 6, 1, 14, tzinfo=TORONTO),
        datetime(2026, 6, 12, 11, tzinfo=TORONTO),
    ]


def test_the_worked_example_scores_exactly_as_the_specification_says() -> None:
    import json as _json
    from io import StringIO as _StringIO

    from django.core.management import call_command as _call

    expected = _json.loads((RIVERSIDE.parent / "riverside.score-2026-06-30.json").read_text())
    _call("import_bundle", str(RIVERSIDE), stdout=_StringIO())
    out = _StringIO()
    _call("score", "riverside", "--as-of", "2026-06-30", stdout=out)
    got = _json.loads(out.getvalue())
    assert (got["total"], got["band"], got["rubric"]) == (75.0, "developing", "v1")
    points = {
        (f["key"], c["key"]): (c["points"], c["max"]) for f in got["factors"] for c in f["criteria"]
    }
    for factor in expected["factors"]:
        assert [f["score"] for f in got["factors"] if f["key"] == factor["key"]] == [
            factor["score"]
        ]
        for c in factor["criteria"]:
            assert points[(factor["key"], c["key"])] == (c["points"], c["max"])


# --- the reporter's consent and community oversight (issue 19) ----------------------------


def test_source_consent_and_oversight_default_when_left_out(riverside: dict[str, Any]) -> None:
    site = import_bundle(copy.deepcopy(riverside))
    assert not site.community_oversight
    assert {(i.source, i.consent) for i in site.interactions.all()} == {
        (Source.STAFF, Consent.AGGREGATE)
    }


def test_source_consent_and_oversight_are_imported_as_given(riverside: dict[str, Any]) -> None:
    riverside["site"]["community_oversight"] = True
    riverside["interactions"][0] |= {"source": "client_reported", "consent": "site_only"}
    site = import_bundle(copy.deepcopy(riverside))
    assert site.community_oversight
    first = site.interactions.order_by("occurred_at", "id").first()
    assert first is not None
    assert (first.source, first.consent) == (Source.CLIENT_REPORTED, Consent.SITE_ONLY)
    exported = export_bundle(site)
    assert exported["site"]["community_oversight"] is True
    assert exported["interactions"][0]["source"] == "client_reported"
    assert exported["interactions"][0]["consent"] == "site_only"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("interactions[0].consent", "everyone"),
        ("interactions[0].consent", None),
        ("interactions[0].source", "police"),
        ("site.community_oversight", "yes"),
    ],
)
def test_an_unknown_source_or_consent_names_the_record_and_imports_nothing(
    riverside: dict[str, Any], path: str, value: Any
) -> None:
    before = snapshot()
    set_at(riverside, path, value)
    messages = refused(riverside)
    assert any(m.startswith(f"{path}: ") for m in messages), messages
    assert snapshot() == before


def test_the_round_trip_keeps_consent_and_the_research_figures() -> None:
    """A site_only report stays out of the research release before and after the trip."""
    from agreements.periods import Month
    from agreements.research_release import finest_counts

    site = build_rich_site(SiteStatus.CLOSED)
    june = Month(2026, 6)
    before = finest_counts([site], june, june)
    pairs = sorted(site.interactions.values_list("occurred_at", "source", "consent"))
    exported = export_bundle(site)
    empty_database()

    imported = import_bundle(copy.deepcopy(exported))

    assert sorted(imported.interactions.values_list("occurred_at", "source", "consent")) == pairs
    assert imported.community_oversight
    after = finest_counts([imported], june, june)
    assert list(after.values()) == list(before.values())
    assert sum(sum(cells.values()) for cells in after.values()) < imported.interactions.count()
