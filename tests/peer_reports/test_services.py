"""The services of peer reports, without a page: filing, review, the follow-up status and
the sharing hook keep their invariants and write their audit entries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from agreements.audit import Action, AuditEntry
from agreements.choices import Category, Consent, Source
from agreements.models import Interaction
from agreements.periods import Month
from agreements.research_release import finest_counts
from agreements.sharing import interaction_share
from peer_reports import codes
from peer_reports.models import CODE_DAYS, Decision, FollowUpStatus, PeerReport
from peer_reports.services import (
    ALREADY_REVIEWED,
    interaction_from,
    peer_report_file,
    peer_report_review,
    peer_report_set_status,
)
from tests.conftest import World
from tests.factories import TORONTO
from tests.peer_reports.helpers import NARRATIVE, REFUSED, WARNED, WHEN, file

pytestmark = pytest.mark.django_db


def _entered(world: World, consent: str = Consent.AGGREGATE) -> PeerReport:
    report, _code = file(world.site, world.users["community"], consent=consent)
    return peer_report_review(report=report, decision=Decision.ENTERED,
                              actor=world.users["manager"])  # fmt: skip


# --- filing ----------------------------------------------------------------------------------


def test_filing_keeps_the_hour_and_the_hash_of_the_code_only(world: World) -> None:
    report, code = file(world.site, world.users["community"])
    report.refresh_from_db()
    local = report.occurred_at.astimezone(TORONTO)
    assert (local.hour, local.minute, local.second) == (14, 0, 0)
    filed = report.filed_at.astimezone(TORONTO)
    assert (filed.hour, filed.minute, filed.second, filed.microsecond) == (14, 0, 0, 0)
    assert report.code_expires_at == report.filed_at + timedelta(days=CODE_DAYS)
    assert report.code_hash == codes.code_hash(code)
    assert report.status == FollowUpStatus.RECEIVED
    assert report.filed_by == world.users["community"]
    # The code itself is nowhere: not in the row, not in the audit log.
    row = PeerReport.objects.filter(pk=report.pk).values().get()
    assert code not in repr(row)
    assert all(code not in repr(e.__dict__) for e in AuditEntry.objects.all())


def test_filing_is_audited_to_the_hour_and_the_managers_get_a_link_only(world: World) -> None:
    manager = world.users["manager"]
    manager.email = "manager@site.example"
    manager.save()
    report, _code = file(world.site, world.users["community"])
    entries = AuditEntry.objects.filter(object_type="peerreport").order_by("id")
    assert [(e.action, e.detail) for e in entries] == [
        (Action.CREATE, "peer report filed"),
        (Action.NOTIFY, "peer report notice e-mailed to 1 (managers)"),
    ]
    assert all(e.at.astimezone(TORONTO).minute == 0 and e.at.second == 0 for e in entries)
    [message] = mail.outbox
    assert message.to == ["manager@site.example"]
    assert f"/sites/riverside/peer-reports/{report.pk}/" in message.body
    for secret in (NARRATIVE, "stationed", "Officers stationed", "2026-06-01"):
        assert secret not in message.body


def test_the_guard_refuses_an_identifier_in_the_narrative(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        file(world.site, world.users["community"], narrative=REFUSED)
    assert "narrative" in refused.value.message_dict
    assert not PeerReport.objects.exists()
    assert not AuditEntry.objects.filter(object_type="peerreport").exists()


def test_a_passage_that_may_describe_a_client_needs_confirmation(world: World) -> None:
    with pytest.raises(ValidationError):
        file(world.site, world.users["community"], narrative=WARNED)
    report = PeerReport(site=world.site, occurred_at=WHEN, category="stop_or_search",
                        distance_band="buffer", narrative=WARNED)  # fmt: skip
    peer_report_file(report=report, actor=world.users["community"], pii_confirmed=True)
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="peerreport")
    assert "PII warnings confirmed: narrative" in entry.detail


def test_an_incident_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        file(world.site, world.users["community"], occurred_at=WHEN + timedelta(days=3))
    assert "occurred_at" in refused.value.message_dict


def test_what_the_site_does_is_not_a_peer_category(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        file(world.site, world.users["community"], category=Category.CALLED_BY_STAFF)
    assert "category" in refused.value.message_dict


# --- review ----------------------------------------------------------------------------------


def test_entering_logs_an_interaction_with_the_source_and_the_reporters_consent(
    world: World,
) -> None:
    report, _code = file(world.site, world.users["community"], consent=Consent.SITE_ONLY)
    corrected = interaction_from(report)
    corrected.category = Category.STOP_OR_SEARCH
    corrected.consent = Consent.MEDIATION  # not the manager's to raise
    corrected.source = Source.STAFF
    report = peer_report_review(report=report, decision=Decision.ENTERED,
                                actor=world.users["manager"], interaction=corrected)  # fmt: skip
    interaction = Interaction.objects.get()
    assert (interaction.source, interaction.consent) == (Source.PEER_REPORTED, Consent.SITE_ONLY)
    assert interaction.category == Category.STOP_OR_SEARCH
    assert interaction.narrative == NARRATIVE
    assert interaction.logged_by == world.users["manager"]
    report.refresh_from_db()
    assert (report.status, report.decision, report.interaction) == (
        FollowUpStatus.REVIEWED, Decision.ENTERED, interaction)  # fmt: skip
    assert report.narrative == ""  # one copy: the interaction's
    assert report.reviewed_at is not None
    assert report.reviewed_at.minute == 0
    entry = AuditEntry.objects.filter(object_type="peerreport", action=Action.UPDATE).get()
    assert entry.detail == "peer report entered; follow-up status received → reviewed"
    assert entry.at.astimezone(TORONTO).minute == 0


def test_the_managers_narrative_meets_the_guard_and_nothing_is_kept_half_way(
    world: World,
) -> None:
    report, _code = file(world.site, world.users["community"])
    corrected = interaction_from(report)
    corrected.narrative = REFUSED
    with pytest.raises(ValidationError) as refused:
        peer_report_review(report=report, decision=Decision.ENTERED,
                           actor=world.users["manager"], interaction=corrected)  # fmt: skip
    assert "narrative" in refused.value.message_dict
    assert not Interaction.objects.exists()
    report.refresh_from_db()
    assert (report.status, report.narrative) == (FollowUpStatus.RECEIVED, NARRATIVE)


def test_declining_keeps_the_reason_for_the_site(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    with pytest.raises(ValidationError):
        peer_report_review(report=report, decision=Decision.DECLINED,
                           actor=world.users["manager"], reason=" ")  # fmt: skip
    report = peer_report_review(report=report, decision=Decision.DECLINED,
                                actor=world.users["manager"],
                                reason="Duplicate of an entry already logged.")  # fmt: skip
    report.refresh_from_db()
    assert (report.status, report.decision) == (FollowUpStatus.REVIEWED, Decision.DECLINED)
    assert report.decline_reason == "Duplicate of an entry already logged."
    assert report.interaction is None
    assert not Interaction.objects.exists()


def test_a_report_is_reviewed_once(world: World) -> None:
    report = _entered(world)
    with pytest.raises(ValidationError, match=str(ALREADY_REVIEWED)):
        peer_report_review(report=report, decision=Decision.DECLINED,
                           actor=world.users["manager"], reason="Duplicate.")  # fmt: skip
    assert Interaction.objects.count() == 1


# --- status ----------------------------------------------------------------------------------


def test_the_status_only_moves_forward_and_each_change_is_audited(world: World) -> None:
    report, _code = file(world.site, world.users["community"], consent=Consent.MEDIATION)
    manager = world.users["manager"]
    with pytest.raises(ValidationError):  # review first
        peer_report_set_status(report=report, status=FollowUpStatus.RESOLVED, actor=manager)
    report = peer_report_review(report=report, decision=Decision.ENTERED, actor=manager)
    report = peer_report_set_status(report=report, status=FollowUpStatus.RESOLVED, actor=manager)
    for backwards in (FollowUpStatus.RAISED_WITH_POLICE, FollowUpStatus.REVIEWED,
                      FollowUpStatus.RESOLVED):  # fmt: skip
        with pytest.raises(ValidationError):
            peer_report_set_status(report=report, status=backwards, actor=manager)
    details = list(
        AuditEntry.objects.filter(object_type="peerreport", action=Action.UPDATE)
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [
        "peer report entered; follow-up status received → reviewed",
        "follow-up status reviewed → resolved",
    ]


def test_raising_with_police_needs_the_reporters_consent_to_mediation(world: World) -> None:
    report = _entered(world, consent=Consent.AGGREGATE)
    with pytest.raises(ValidationError, match="did not agree"):
        peer_report_set_status(report=report, status=FollowUpStatus.RAISED_WITH_POLICE,
                               actor=world.users["manager"])  # fmt: skip


def test_sharing_the_interaction_raises_the_report_with_police(world: World) -> None:
    report = _entered(world, consent=Consent.MEDIATION)
    interaction_share(interaction=report.interaction, summary="A cruiser by the door.",
                      actor=world.users["manager"])  # fmt: skip
    report.refresh_from_db()
    assert report.status == FollowUpStatus.RAISED_WITH_POLICE
    # Sharing again (a new wording) changes nothing more.
    interaction_share(interaction=report.interaction, summary="Two officers at the door.",
                      actor=world.users["manager"])  # fmt: skip
    report.refresh_from_db()
    assert report.status == FollowUpStatus.RAISED_WITH_POLICE
    assert (
        AuditEntry.objects.filter(detail="follow-up status reviewed → raised_with_police").count()
        == 1
    )


def test_sharing_is_refused_unless_the_reporter_consented_to_mediation(world: World) -> None:
    for consent in (Consent.SITE_ONLY, Consent.AGGREGATE):
        report = _entered(world, consent=consent)
        with pytest.raises(ValidationError):
            interaction_share(interaction=report.interaction, summary="A cruiser by the door.",
                              actor=world.users["manager"])  # fmt: skip
        report.refresh_from_db()
        assert report.status == FollowUpStatus.REVIEWED


# --- the research release ------------------------------------------------------------------


def test_only_reviewed_reports_with_consent_are_counted_outside_the_site(world: World) -> None:
    june = Month(2026, 6)

    def counted() -> int:
        cells = finest_counts([world.site], june, june).get(world.site.id, {})
        return sum(cells.values())  # type: ignore[arg-type]

    file(world.site, world.users["community"], consent=Consent.AGGREGATE)  # not reviewed
    assert counted() == 0
    _entered(world, consent=Consent.SITE_ONLY)
    assert counted() == 0
    _entered(world, consent=Consent.AGGREGATE)
    assert counted() == 1


def test_the_retention_purge_blanks_the_texts_of_old_reports(world: World) -> None:
    from workspace.retention import purge_narratives

    declined, _code = file(world.site, world.users["community"])
    peer_report_review(report=declined, decision=Decision.DECLINED,
                       actor=world.users["manager"], reason="A duplicate.")  # fmt: skip
    fresh, _code = file(
        world.site, world.users["community"], occurred_at=WHEN + timedelta(hours=20)
    )
    counts = purge_narratives(older_than_days=1)
    assert counts.peer_reports == 1
    declined.refresh_from_db()
    fresh.refresh_from_db()
    assert (declined.narrative, declined.decline_reason) == ("", "")
    assert fresh.narrative == NARRATIVE


# --- nothing half-written ----------------------------------------------------------------------

LOST = DatabaseError("server closed the connection unexpectedly")


def test_a_report_is_not_kept_without_its_audit_entry(world: World) -> None:
    with (
        mock.patch("agreements.audit.AuditEntry.objects.create", side_effect=LOST),
        pytest.raises(DatabaseError),
    ):
        file(world.site, world.users["community"])
    assert not PeerReport.objects.exists()


def test_a_review_leaves_no_interaction_without_its_audit_entry(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    real_create = AuditEntry.objects.create

    def report_entry_fails(**kwargs: Any) -> AuditEntry:
        # The interaction's entry is written, then the report's entry fails.
        if kwargs["object_type"] == "peerreport":
            raise LOST
        return real_create(**kwargs)

    with (
        mock.patch("agreements.audit.AuditEntry.objects.create", side_effect=report_entry_fails),
        pytest.raises(DatabaseError),
    ):
        peer_report_review(report=report, decision=Decision.ENTERED, actor=world.users["manager"])
    assert not Interaction.objects.exists()
    report.refresh_from_db()
    assert (report.status, report.narrative) == (FollowUpStatus.RECEIVED, NARRATIVE)
