"""One write path: the Django admin, the commands and the services keep the same rules and
write the same audit entries. Each admin test is an attack a superuser made in review
(a signed version slipped in before v1, revoked links un-revoked, memberships changed with
no trace); each service test checks an invariant without going through a page."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from io import StringIO
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import grants
from agreements import services
from agreements.admin_base import ReadOnlyAdmin, ServiceAdmin
from agreements.audit import Action, AuditEntry
from agreements.choices import AssignmentRole, CheckInStatus, ProtocolStatus, Role
from agreements.models import Interaction, Membership, Protocol, ProtocolLink, Site
from agreements.sharing import protocol_link_create, protocol_link_revoke
from agreements.versioning import EditConflict
from liaisons.feed_links import feed_create, feed_revoke
from liaisons.models import CalendarFeed, CheckIn, LiaisonAssignment, LiaisonOfficer, PoliceService
from tests.factories import (
    CheckInFactory,
    InteractionFactory,
    OfficerFactory,
    ScheduleFactory,
    SignedProtocolFactory,
    SiteFactory,
    UserFactory,
)
from workspace.retention import purge_narratives

# Account records of Django, django-otp and django-axes keep their own admin pages, and
# django-tasks-db its read-only task results.
THIRD_PARTY = {"auth", "otp_totp", "otp_static", "axes", "django_tasks_database"}


def entries(**filters: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser("root", "root@example.org", "x")


@pytest.fixture
def admin_client(client: Any, superuser: User) -> Any:
    client.force_login(superuser)
    return client


def test_every_model_of_ours_in_the_admin_is_read_only_or_written_through_a_service() -> None:
    plain = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in THIRD_PARTY
        and not isinstance(model_admin, ReadOnlyAdmin | ServiceAdmin)
    ]
    assert plain == []


# --- protocols -------------------------------------------------------------------------------


def test_the_admin_cannot_add_a_signed_version_before_v1(admin_client: Any, site: Site) -> None:
    SignedProtocolFactory(site=site, version=1, effective_from=date(2024, 3, 1))
    response = admin_client.post(
        reverse("admin:agreements_protocol_add"),
        {"site": site.pk, "version": 2, "status": ProtocolStatus.SIGNED,
         "created_on": "2023-01-01", "signed_on": "2023-01-02", "effective_from": "2023-01-03"},
    )  # fmt: skip
    assert response.status_code == 403
    assert Protocol.objects.filter(site=site).count() == 1


def test_the_admin_cannot_change_or_delete_a_protocol(admin_client: Any, site: Site) -> None:
    v1 = SignedProtocolFactory(site=site, version=1)
    change = admin_client.post(
        reverse("admin:agreements_protocol_change", args=[v1.pk]), {"status": "draft"}
    )
    delete = admin_client.post(
        reverse("admin:agreements_protocol_delete", args=[v1.pk]), {"post": "yes"}
    )
    assert (change.status_code, delete.status_code) == (403, 403)
    v1.refresh_from_db()
    assert v1.status == ProtocolStatus.SIGNED


def test_signing_out_of_order_is_refused_by_the_service(site: Site) -> None:
    SignedProtocolFactory(site=site, version=1, effective_from=date(2024, 3, 1))
    late = Protocol(site=site, status=ProtocolStatus.SIGNED, created_on=date(2023, 1, 1),
                    signed_on=date(2023, 1, 2), effective_from=date(2023, 1, 3))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.protocol_save(protocol=late, actor=None)
    assert "effective_from" in refused.value.message_dict
    assert Protocol.objects.filter(site=site).count() == 1
    assert entries(object_type="protocol") == []


def test_signing_a_version_ends_the_one_in_force_so_one_is_in_force(site: Site) -> None:
    v1 = SignedProtocolFactory(site=site, version=1, effective_from=date(2024, 3, 1))
    v2 = Protocol(site=site, status=ProtocolStatus.SIGNED, created_on=date(2025, 1, 1),
                  signed_on=date(2025, 1, 2), effective_from=date(2025, 2, 1))  # fmt: skip
    services.protocol_save(protocol=v2, actor=None)
    v1.refresh_from_db()
    assert (v1.status, v1.ended_on) == (ProtocolStatus.ENDED, date(2025, 2, 1))
    open_signed = Protocol.objects.filter(site=site, status=ProtocolStatus.SIGNED)
    assert list(open_signed) == [v2]
    assert {(e.object_id, e.action) for e in entries(object_type="protocol")} == {
        (str(v2.pk), Action.CREATE),
        (str(v1.pk), Action.UPDATE),
    }


def test_the_delete_service_refuses_a_signed_protocol(site: Site) -> None:
    v1 = SignedProtocolFactory(site=site)
    with pytest.raises(ValidationError):
        services.record_delete(instance=v1, actor=None)
    assert Protocol.objects.filter(pk=v1.pk).exists()
    assert entries(action=Action.DELETE) == []


# --- check-ins and officers ------------------------------------------------------------------


def test_the_delete_service_refuses_a_held_checkin_whatever_the_path(site: Site) -> None:
    held = CheckInFactory(site=site, status=CheckInStatus.HELD)
    with pytest.raises(ValidationError, match="recorded outcome"):
        services.record_delete(instance=held, actor=None)
    assert CheckIn.objects.filter(pk=held.pk).exists()
    assert entries(action=Action.DELETE) == []


def test_the_delete_service_deletes_a_scheduled_checkin_with_its_entry(site: Site) -> None:
    planned = CheckInFactory(site=site, status=CheckInStatus.SCHEDULED)
    planned_id = planned.pk
    services.record_delete(instance=planned, actor=None)
    assert not CheckIn.objects.filter(pk=planned_id).exists()
    [entry] = entries(action=Action.DELETE)
    assert (entry.object_type, entry.object_id, entry.site) == ("checkin", str(planned_id),
                                                                site.slug)  # fmt: skip


def test_the_admin_cannot_delete_or_change_a_checkin(admin_client: Any, site: Site) -> None:
    held = CheckInFactory(site=site, status=CheckInStatus.HELD)
    delete = admin_client.post(reverse("admin:liaisons_checkin_delete", args=[held.pk]),
                               {"post": "yes"})  # fmt: skip
    bulk = admin_client.post(
        reverse("admin:liaisons_checkin_changelist"),
        {"action": "delete_selected", "_selected_action": [held.pk], "post": "yes"},
    )
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    assert CheckIn.objects.filter(pk=held.pk).exists()


def test_the_delete_service_refuses_an_officer_with_assignments(site: Site) -> None:
    officer = OfficerFactory()
    LiaisonAssignment.objects.create(officer=officer, site=site, role=AssignmentRole.PRIMARY,
                                     start=date(2024, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError, match="inactive"):
        services.record_delete(instance=officer, actor=None)
    assert LiaisonOfficer.objects.filter(pk=officer.pk).exists()


def test_the_admin_cannot_change_an_officer(admin_client: Any, site: Site) -> None:
    officer = OfficerFactory(email="liaison@police.example")
    response = admin_client.post(
        reverse("admin:liaisons_liaisonofficer_change", args=[officer.pk]),
        {"service": officer.service_id, "name": officer.name, "badge_number": "9999",
         "email": "someone@else.example", "active": ""},
    )  # fmt: skip
    assert response.status_code == 403
    officer.refresh_from_db()
    assert (officer.email, officer.active) == ("liaison@police.example", True)


def test_police_services_written_in_the_admin_are_audited(admin_client: Any) -> None:
    admin_client.post(reverse("admin:liaisons_policeservice_add"),
                      {"name": "Lakeshore Police", "jurisdiction": "Lakeshore"})  # fmt: skip
    service = PoliceService.objects.get(name="Lakeshore Police")
    admin_client.post(
        reverse("admin:liaisons_policeservice_delete", args=[service.pk]), {"post": "yes"}
    )
    assert not PoliceService.objects.filter(pk=service.pk).exists()
    assert [(e.action, e.actor) for e in entries(object_type="policeservice")] == [
        (Action.CREATE, "root"),
        (Action.DELETE, "root"),
    ]


# --- memberships -----------------------------------------------------------------------------


def test_five_membership_changes_in_the_admin_write_five_audit_entries(
    admin_client: Any, site: Site
) -> None:
    other = SiteFactory(slug="lakeshore", research_consent=True)
    user = UserFactory(username="casey")
    add = reverse("admin:agreements_membership_add")
    admin_client.post(add, {"user": user.pk, "role": Role.MANAGER, "site": site.pk})
    admin_client.post(add, {"user": user.pk, "role": Role.RESEARCHER, "site": other.pk})
    manager = Membership.objects.get(user=user, role=Role.MANAGER)
    admin_client.post(reverse("admin:agreements_membership_change", args=[manager.pk]),
                      {"user": user.pk, "role": Role.MANAGER, "site": other.pk})  # fmt: skip
    admin_client.post(reverse("admin:agreements_membership_delete", args=[manager.pk]),
                      {"post": "yes"})  # fmt: skip
    researcher = Membership.objects.get(user=user, role=Role.RESEARCHER)
    admin_client.post(
        reverse("admin:agreements_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [researcher.pk], "post": "yes"},
    )
    assert not Membership.objects.filter(user=user).exists()
    logged = [(e.action, e.site, e.actor) for e in entries(object_type="membership")]
    assert logged == [
        (Action.CREATE, "riverside", "root"),
        (Action.CREATE, "lakeshore", "root"),
        (Action.UPDATE, "lakeshore", "root"),
        (Action.DELETE, "riverside", "root"),  # moving it took riverside away
        (Action.DELETE, "lakeshore", "root"),
        (Action.DELETE, "lakeshore", "root"),
    ]


def test_a_membership_against_the_role_rules_is_refused_in_the_admin(
    admin_client: Any, site: Site
) -> None:
    site.research_consent = False
    site.save()
    user = UserFactory(username="casey")
    add = reverse("admin:agreements_membership_add")
    refused = [
        admin_client.post(add, {"user": user.pk, "role": Role.RESEARCHER, "site": site.pk}),
        admin_client.post(add, {"user": user.pk, "role": Role.ADMIN, "site": site.pk}),
        admin_client.post(add, {"user": user.pk, "role": Role.MANAGER, "site": ""}),
    ]
    assert [r.status_code for r in refused] == [200, 200, 200]  # the form, with its error
    assert "does not consent to research" in refused[0].content.decode()
    assert not Membership.objects.filter(user=user).exists()
    assert entries(object_type="membership") == []


def test_the_grant_command_writes_its_audit_entries(site: Site, monkeypatch: Any) -> None:
    monkeypatch.setitem(os.environ, "HR_POLICE_PASSWORD", "a-long-enough-passphrase-42")
    officer = OfficerFactory(badge_number="4411", registered_for=site)
    LiaisonAssignment.objects.create(officer=officer, site=site, role=AssignmentRole.PRIMARY,
                                     start=date(2024, 1, 1))  # fmt: skip
    call_command("grant", "alice", "manager", "--site", site.slug, stdout=None)
    call_command("grant", "lee", "liaison", "--officer", "4411")
    call_command("grant", "alice", "manager", "--site", site.slug)  # again: nothing new
    logged = [(e.action, e.object_type, e.actor) for e in entries()]
    assert logged == [
        (Action.CREATE, "user", "grant"),
        (Action.CREATE, "membership", "grant"),
        (Action.CREATE, "user", "grant"),
        (Action.UPDATE, "liaisonofficer", "grant"),
        (Action.CREATE, "membership", "grant"),
    ]


def test_grant_refuses_an_officer_linked_to_another_account_and_writes_nothing(
    site: Site, monkeypatch: Any
) -> None:
    monkeypatch.setitem(os.environ, "HR_POLICE_PASSWORD", "a-long-enough-passphrase-42")
    OfficerFactory(badge_number="4411", user=UserFactory(username="first"))
    second = UserFactory()
    before = entries()  # the two accounts' creation
    with pytest.raises(ValidationError, match="already linked"):
        grants.officer_link(officer=LiaisonOfficer.objects.get(), user=second, actor=None)
    assert entries() == before


# --- secret links and calendar feeds ---------------------------------------------------------


def test_a_revoked_link_cannot_be_unrevoked_in_the_admin(admin_client: Any, site: Site) -> None:
    site.police_accounts = False
    site.save()
    link, _token = protocol_link_create(site=site, label="Desk sergeant", actor=None)
    protocol_link_revoke(link=link, actor=None)
    response = admin_client.post(
        reverse("admin:agreements_protocollink_change", args=[link.pk]),
        {"site": site.pk, "label": "Desk sergeant", "revoked_at_0": "", "revoked_at_1": ""},
    )
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_links_and_feeds_are_revoked_from_the_admin_through_the_service(
    admin_client: Any, site: Site
) -> None:
    site.police_accounts = False
    site.save()
    link, _ = protocol_link_create(site=site, label="Desk sergeant", actor=None)
    feed, _ = feed_create(label="Site calendar", actor=None, site=site)
    for model, row in (("agreements_protocollink", link), ("liaisons_calendarfeed", feed)):
        admin_client.post(
            reverse(f"admin:{model}_changelist"),
            {"action": "revoke_selected", "_selected_action": [row.pk]},
        )
    link.refresh_from_db()
    feed.refresh_from_db()
    assert link.revoked_at is not None
    assert feed.revoked_at is not None
    revoked = [e.detail for e in entries(action=Action.LINK, actor="root")]
    assert revoked == ["revoked: Desk sergeant", "calendar feed revoked: Site calendar"]


def test_revoking_twice_keeps_the_first_time_and_writes_one_entry(site: Site) -> None:
    feed, _ = feed_create(label="Site calendar", actor=None, site=site)
    feed_revoke(feed=feed, actor=None)
    first = CalendarFeed.objects.get(pk=feed.pk).revoked_at
    feed_revoke(feed=CalendarFeed.objects.get(pk=feed.pk), actor=None)
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at == first
    assert len(entries(detail__startswith="calendar feed revoked")) == 1
    assert first is not None
    assert first <= timezone.now()


def test_the_admin_cannot_add_links_feeds_or_change_them(admin_client: Any, site: Site) -> None:
    paths = [
        reverse("admin:agreements_protocollink_add"),
        reverse("admin:liaisons_calendarfeed_add"),
    ]
    assert [admin_client.post(path, {}).status_code for path in paths] == [403, 403]
    assert not ProtocolLink.objects.exists()
    assert not CalendarFeed.objects.exists()


# --- commands --------------------------------------------------------------------------------


def test_generate_checkins_says_in_the_log_what_it_created(site: Site) -> None:
    schedule = ScheduleFactory(site=site, rrule="FREQ=WEEKLY;BYDAY=TU", start=date(2024, 1, 2))
    call_command("generate_checkins", "--months", "2", stdout=StringIO())
    created = CheckIn.objects.filter(schedule=schedule).count()
    [entry] = entries(detail__startswith="check-ins generated")
    assert created > 0
    assert (entry.actor, entry.site, entry.fields) == ("generate_checkins", site.slug,
                                                       ["checkins"])  # fmt: skip
    assert entry.detail == (
        f"check-ins generated from schedule {schedule.key}: {created} created, 0 removed"
    )
    call_command("generate_checkins", "--months", "2", stdout=StringIO())  # nothing new
    assert len(entries(detail__startswith="check-ins generated")) == 1


def test_a_page_opened_before_the_purge_cannot_write_the_narrative_back(site: Site) -> None:
    old = InteractionFactory(site=site, occurred_at=datetime(2020, 5, 1, 14, tzinfo=UTC),
                             narrative="Officer parked at the door for an hour.")  # fmt: skip
    opened = Interaction.objects.get(pk=old.pk)  # an edit page loads it
    purge_narratives(older_than_days=365)
    opened.resolution = "Raised at the next meeting."
    with pytest.raises(EditConflict):
        services.record_save(instance=opened, actor=None)
    assert Interaction.objects.get(pk=old.pk).narrative == ""


def test_an_officer_page_opened_before_grant_cannot_unlink_the_account(site: Site) -> None:
    officer = OfficerFactory(badge_number="4411", registered_for=site)
    opened = LiaisonOfficer.objects.get(pk=officer.pk)
    grants.officer_link(officer=officer, user=UserFactory(username="lee"), actor=None)
    opened.rank = "Sergeant"
    with pytest.raises(EditConflict):
        services.record_save(instance=opened, actor=None)
    assert LiaisonOfficer.objects.get(pk=officer.pk).user.username == "lee"
