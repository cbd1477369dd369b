"""A write that fails half-way leaves nothing behind: a record is never stored without
its audit entry, a signed version never supersedes the old one on its own, a schedule
never leaves check-ins without itself. The audit entry is written last, so making it
fail (as a dropped database connection would) tests the whole transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from accounts.tokens import token_create
from agreements.audit import AuditEntry
from agreements.choices import CheckInStatus, ProtocolStatus
from agreements.models import ApiToken, Interaction, Protocol, ReportJob, Site
from agreements.services import interaction_log, protocol_save
from liaisons.models import CheckIn, CheckInSchedule
from liaisons.services import checkin_record, schedule_save
from reports.network import network_job_create
from tests.factories import (
    TORONTO,
    CheckInFactory,
    SignedProtocolFactory,
    SiteFactory,
    UserFactory,
)

RIVERSIDE = Path(__file__).resolve().parent / "fixtures/riverside.json"
LOST = DatabaseError("server closed the connection unexpectedly")


@pytest.fixture
def audit_fails() -> Iterator[mock.Mock]:
    with mock.patch("agreements.audit.AuditEntry.objects.create", side_effect=LOST) as create:
        yield create


pytestmark = pytest.mark.django_db


def test_an_interaction_is_not_kept_without_its_audit_entry(audit_fails: mock.Mock) -> None:
    site = SiteFactory()
    interaction = Interaction(
        site=site,
        occurred_at=datetime(2026, 6, 1, 14, tzinfo=TORONTO),
        category="vehicle_in_buffer",
        distance_band="buffer",
    )
    with pytest.raises(DatabaseError):
        interaction_log(interaction=interaction, actor=UserFactory())
    assert not Interaction.objects.exists()


def test_a_checkin_outcome_is_not_kept_without_its_audit_entry(audit_fails: mock.Mock) -> None:
    checkin = CheckInFactory(status=CheckInStatus.SCHEDULED)
    with pytest.raises(DatabaseError):
        checkin_record(checkin=checkin, status=CheckInStatus.HELD, notes="Went well.")
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == (CheckInStatus.SCHEDULED, "")


def test_signing_does_not_end_the_old_version_unless_all_of_it_is_saved() -> None:
    old = SignedProtocolFactory()
    new = Protocol(
        site=old.site,
        status=ProtocolStatus.SIGNED,
        created_on=date(2024, 1, 1),
        signed_on=date(2024, 2, 1),
        effective_from=date(2024, 3, 1),
        review_by=date(2027, 3, 1),
    )
    real_create = AuditEntry.objects.create
    calls: list[str] = []

    def second_fails(**kwargs: Any) -> AuditEntry:
        # The new version's entry is written, then the superseded version's entry fails.
        calls.append(kwargs["object_id"])
        if len(calls) == 2:
            raise LOST
        return real_create(**kwargs)

    with (
        mock.patch("agreements.audit.AuditEntry.objects.create", side_effect=second_fails),
        pytest.raises(DatabaseError),
    ):
        protocol_save(protocol=new, actor=None)
    assert len(calls) == 2
    old.refresh_from_db()
    assert (old.status, old.ended_on) == (ProtocolStatus.SIGNED, None)
    assert list(Protocol.objects.values_list("pk", flat=True)) == [old.pk]
    assert not AuditEntry.objects.exists()


def test_a_schedule_leaves_no_checkins_when_it_is_not_saved(audit_fails: mock.Mock) -> None:
    site = SiteFactory()
    schedule = CheckInSchedule(
        site=site,
        key="monthly",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        start=date(2024, 1, 1),
        start_time=datetime(2024, 1, 1, 10).time(),
        format="meeting",
    )
    with pytest.raises(DatabaseError):
        schedule_save(schedule=schedule, expected_officers=[])
    assert not CheckInSchedule.objects.exists()
    assert not CheckIn.objects.exists()


def test_an_api_token_is_not_kept_without_its_audit_entry(audit_fails: mock.Mock) -> None:
    with pytest.raises(DatabaseError):
        token_create(user=UserFactory(), name="R pipeline")
    assert not ApiToken.objects.exists()


def test_a_network_report_job_is_not_kept_without_its_audit_entry(
    audit_fails: mock.Mock,
) -> None:
    with pytest.raises(DatabaseError):
        network_job_create(user=UserFactory(is_superuser=True), as_of=date(2026, 1, 31))
    assert not ReportJob.objects.exists()


def test_an_imported_bundle_is_not_kept_without_its_audit_entry(
    audit_fails: mock.Mock, tmp_path: Path
) -> None:
    path = tmp_path / "riverside.json"
    path.write_text(json.dumps(json.loads(RIVERSIDE.read_text())))
    with pytest.raises((DatabaseError, CommandError)):
        call_command("import_bundle", str(path))
    assert not Site.objects.exists()
    assert not CheckIn.objects.exists()
