"""The bundle import applies the services' rules, not copies of them: for each rule, the
import refuses what the service refuses, with the same words. And the bundle's pydantic
models agree with the Django models, and with the JSON Schema published in docs/."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import models
from pydantic.fields import FieldInfo

from agreements.choices import AssignmentRole, CheckInFormat, CheckInStatus, ProtocolStatus
from agreements.models import (
    DailyAttendance,
    EngagementEvent,
    Interaction,
    OperatingHours,
    Protocol,
    ProtocolClause,
    Site,
    SupportStatement,
)
from agreements.services import interaction_log, protocol_save, record_save, site_save
from bundles.bundle import BundleError, import_bundle
from bundles.schema import (
    AcknowledgementRecord,
    AssignmentRecord,
    AttendanceRecord,
    CheckInRecord,
    ClauseRecord,
    EngagementRecord,
    HoursRecord,
    InteractionRecord,
    OfficerRecord,
    ProtocolRecord,
    Record,
    ScheduleRecord,
    SiteRecord,
    StatementRecord,
    bundle_json_schema,
)
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
)
from liaisons.services import checkin_record, officer_save, schedule_save
from tests.factories import (
    AssignmentFactory,
    CheckInFactory,
    OfficerFactory,
    PoliceServiceFactory,
    SignedProtocolFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
RIVERSIDE = ROOT / "tests/fixtures/riverside.json"
SCHEMA = ROOT / "docs/bundle.schema.json"


@pytest.fixture(autouse=True)
def fixed_now() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 7, 1, 16, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def site(db: Any) -> Site:
    """The site the services write to, beside the bundle's (whose slug must stay free)."""
    return SiteFactory(slug="service-side")


@pytest.fixture
def riverside() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RIVERSIDE.read_text(encoding="utf-8"))
    return data


def import_messages(data: dict[str, Any]) -> list[str]:
    with pytest.raises(BundleError) as caught:
        import_bundle(data)
    assert not Site.objects.filter(slug=data["site"]["slug"]).exists()
    return caught.value.messages


def service_messages(call: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


# --- one rule, one place -------------------------------------------------------------------


def test_hours_one_row_per_weekday(riverside: dict[str, Any], site: Site) -> None:
    monday = {"weekday": 0, "opens": time(9), "closes": time(17)}
    (said,) = service_messages(lambda: site_save(site=site, hours=[monday, monday]))

    riverside["site"]["operating_hours"].append({"weekday": 0, "opens": "09:00", "closes": "17:00"})
    assert import_messages(riverside) == [f"site.operating_hours[6].weekday: {said}"]


def test_signed_versions_take_effect_on_different_days(
    riverside: dict[str, Any], site: Site
) -> None:
    SignedProtocolFactory(site=site, version=1, effective_from=date(2019, 9, 15))
    same_day = Protocol(site=site, status=ProtocolStatus.SIGNED, created_on=date(2024, 1, 1),
                        signed_on=date(2024, 1, 2), effective_from=date(2019, 9, 15))  # fmt: skip
    (said,) = service_messages(lambda: protocol_save(protocol=same_day))

    riverside["protocols"][0].update(status="ended", ended_on="2024-01-01")
    riverside["protocols"].append(
        {"version": 2, "status": "signed", "created_on": "2024-01-01", "signed_on": "2024-01-02",
         "effective_from": "2019-09-15", "clauses": [], "acknowledgements": []}
    )  # fmt: skip
    messages = import_messages(riverside)
    assert f"protocols[1].effective_from: {said}" in messages


def test_a_signed_version_superseded_by_a_later_one_has_ended(
    riverside: dict[str, Any], site: Site
) -> None:
    # The service ends it when the later version is signed...
    v1 = SignedProtocolFactory(site=site, version=1, effective_from=date(2019, 9, 15))
    v2 = Protocol(site=site, status=ProtocolStatus.SIGNED, created_on=date(2024, 1, 1),
                  signed_on=date(2024, 1, 2), effective_from=date(2024, 2, 1))  # fmt: skip
    protocol_save(protocol=v2)
    v1.refresh_from_db()
    assert (v1.status, v1.ended_on) == (ProtocolStatus.ENDED, date(2024, 2, 1))

    # ...so a bundle, which records history, must say so: the same versions are refused.
    riverside["protocols"].append(
        {"version": 2, "status": "signed", "created_on": "2024-01-01", "signed_on": "2024-01-02",
         "effective_from": "2024-02-01", "clauses": [], "acknowledgements": []}
    )  # fmt: skip
    assert import_messages(riverside) == [
        "protocols[0].status: a later signed version takes effect on 2024-02-01, so this one "
        'has ended: give status "ended" and its ended_on'
    ]


def test_the_pii_guard(riverside: dict[str, Any], site: Site) -> None:
    text = "Stopped a man at 12 Main Street"
    interaction = Interaction(site=site, occurred_at=datetime(2026, 6, 1, 14, tzinfo=UTC),
                              category="vehicle_in_buffer", distance_band="buffer",
                              narrative=text)  # fmt: skip
    (said,) = service_messages(lambda: interaction_log(interaction=interaction))

    riverside["interactions"][0]["narrative"] = text
    assert import_messages(riverside) == [f"interactions[0].narrative: {said}"]


def test_one_primary_liaison_on_any_day(riverside: dict[str, Any], site: Site) -> None:
    AssignmentFactory(site=site, start=date(2024, 1, 1))
    second = LiaisonAssignment(site=site, officer=OfficerFactory(badge_number="4412"),
                               role=AssignmentRole.PRIMARY, start=date(2025, 1, 1))  # fmt: skip
    (said,) = service_messages(lambda: record_save(instance=second))

    riverside["officers"].append(dict(riverside["officers"][0], badge="4412"))
    riverside["assignments"].append({"badge": "4412", "role": "primary", "start": "2025-01-01"})
    (message,) = import_messages(riverside)
    # The message names the officer already primary, who differs between the two sites.
    assert message.startswith("assignments[1].start: ")
    assert said.split(";")[0] in message


def test_recurrence_rules(riverside: dict[str, Any], site: Site) -> None:
    schedule = CheckInSchedule(site=site, key="hourly", rrule="FREQ=HOURLY",
                               start=date(2024, 1, 1), start_time=time(10),
                               format=CheckInFormat.MEETING)  # fmt: skip
    (said,) = service_messages(lambda: schedule_save(schedule=schedule, expected_officers=[]))

    riverside["schedules"][0]["rrule"] = "FREQ=HOURLY"
    assert import_messages(riverside) == [f"schedules[0].rrule: {said}"]


def test_a_check_in_not_yet_started_is_neither_held_nor_missed(
    riverside: dict[str, Any], site: Site
) -> None:
    checkin = CheckInFactory(site=site, scheduled_start=datetime(2026, 8, 11, 14, tzinfo=UTC))
    (said,) = service_messages(
        lambda: checkin_record(checkin=checkin, status=CheckInStatus.HELD, notes="")
    )

    riverside["checkins"][0]["start"] = "2026-08-11T10:00"
    assert import_messages(riverside) == [f"checkins[0].status: {said}"]


def test_police_services_are_matched_alike(riverside: dict[str, Any], site: Site) -> None:
    service = PoliceServiceFactory(name="Lakeport Police Service")
    officer = LiaisonOfficer(name="Someone", badge_number="9", service=service)
    officer_save(officer=officer, service_name="  lakeport   POLICE service ", site=site)
    assert officer.service == service

    riverside["officers"][0]["service"] = "  lakeport   POLICE service "
    imported = import_bundle(riverside)
    assert PoliceService.objects.get() == service
    assert imported.assignments.get().officer.service == service


# --- the models, the Django models and the published schema --------------------------------

HOLDS = [
    (HoursRecord, OperatingHours),
    (SiteRecord, Site),
    (OfficerRecord, LiaisonOfficer),
    (AssignmentRecord, LiaisonAssignment),
    (EngagementRecord, EngagementEvent),
    (StatementRecord, SupportStatement),
    (ClauseRecord, ProtocolClause),
    (AcknowledgementRecord, Acknowledgement),
    (ProtocolRecord, Protocol),
    (ScheduleRecord, CheckInSchedule),
    (CheckInRecord, CheckIn),
    (InteractionRecord, Interaction),
    (AttendanceRecord, DailyAttendance),
]


def model_fields(
    record: type[Record], model: type[models.Model]
) -> Iterator[tuple[str, FieldInfo, Any]]:
    for name, info in record.model_fields.items():
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if field.concrete and not field.is_relation:
            yield name, info, field


@pytest.mark.parametrize(("record", "model"), HOLDS, ids=[r.__name__ for r, _ in HOLDS])
def test_every_key_agrees_with_the_model_field_it_holds(
    record: type[Record], model: type[models.Model]
) -> None:
    """A key may be left out exactly when the model has a default (empty counts), takes
    that default, may be null when the field may, and offers the field's choices."""
    schema = record.model_json_schema(by_alias=True)
    for name, info, field in model_fields(record, model):
        key = info.alias or name
        blank = field.blank and field.empty_strings_allowed
        may_be_left_out = field.has_default() or field.null or blank
        if (record, name) != (ProtocolRecord, "created_on"):  # today at the site
            assert info.is_required() is not may_be_left_out, key
            if may_be_left_out:
                assert info.default == field.get_default(), key
        prop = schema["properties"][key]
        types = {branch.get("type") for branch in prop.get("anyOf", [prop])}
        assert ("null" in types) is field.null, key
        if field.choices:
            choices = [value for value, _ in field.flatchoices]
            assert prop["enum"] == (["", *choices] if blank else choices), key


def test_the_published_json_schema_is_the_models() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == bundle_json_schema(), (
        "docs/bundle.schema.json is out of date: regenerate it as docs/bundle.md says"
    )


def test_the_json_schema_refuses_unknown_keys_everywhere() -> None:
    schema = json.loads(bundle_json_schema())
    assert schema["additionalProperties"] is False
    assert all(d["additionalProperties"] is False for d in schema["$defs"].values())


def test_a_valid_bundle_is_not_changed_by_reading(riverside: dict[str, Any]) -> None:
    before = copy.deepcopy(riverside)
    riverside["interactions"][0]["category"] = "raid"
    broken = copy.deepcopy(riverside)
    import_messages(riverside)
    assert riverside == broken  # the refused records were set aside in a copy
    import_bundle(before)
