"""No finer time than the hour on anything tied to an interaction (issue 16 item 5).

Logging a stop at 14:37 says it happened between 14:00 and 14:37: the minute it was
logged, shared, read or audited bounds the minute it happened, for anyone who reads the
database or a backup. Each test reads what the database holds, not what a page shows.
"""

from __future__ import annotations

import json
import zoneinfo
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from accounts.tokens import token_create
from agreements.audit import Action, AuditEntry
from agreements.models import Interaction, InteractionShare, TokenScope
from agreements.services import interaction_log
from agreements.sharing import interaction_share
from tests.conftest import World
from tests.factories import InteractionFactory, SiteFactory

UTC = zoneinfo.ZoneInfo("UTC")
TORONTO = zoneinfo.ZoneInfo("America/Toronto")
ST_JOHNS = zoneinfo.ZoneInfo("America/St_Johns")  # UTC−2:30 in summer: a half-hour zone
# 14:37:12.345678 in Toronto, a minute nobody may keep.
NOW = datetime(2026, 6, 12, 14, 37, 12, 345678, tzinfo=TORONTO)
HOUR = datetime(2026, 6, 12, 14, tzinfo=TORONTO)


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> Any:
    cache.clear()
    yield
    cache.clear()


def manager_of(world: World) -> User:
    user = world.users["manager"]
    assert user is not None
    return user


def entries_about(interaction: Interaction) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="interaction", object_id=interaction.pk))


@pytest.mark.django_db
def test_logging_an_interaction_keeps_the_hour_it_was_logged(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        interaction = interaction_log(
            interaction=Interaction(
                site=world.site,
                occurred_at=datetime(2026, 6, 12, 14, 5, tzinfo=TORONTO),
                category="vehicle_in_buffer",
                distance_band="buffer",
            ),
            actor=manager_of(world),
        )
    interaction.refresh_from_db()
    assert interaction.logged_at == HOUR
    [created] = entries_about(interaction)
    assert (created.action, created.at) == (Action.CREATE, HOUR)


@pytest.mark.django_db
def test_changing_reading_and_sharing_keep_the_hour(client: Client, world: World) -> None:
    manager = manager_of(world)
    interaction = InteractionFactory(site=world.site)
    with time_machine.travel(NOW, tick=False):
        interaction.narrative = "Two officers stood at the door."
        interaction_log(interaction=interaction, actor=manager)
        interaction_share(interaction=interaction, summary="A cruiser by the door.", actor=manager)
        client.force_login(manager)
        page = client.get(f"/sites/{world.site.slug}/interactions/{interaction.pk}/edit/")
        assert page.status_code == 200
    share = InteractionShare.objects.get(interaction=interaction)
    assert share.shared_at == HOUR
    kinds = {entry.action: entry.at for entry in entries_about(interaction)}
    assert kinds == {Action.UPDATE: HOUR, Action.SHARE: HOUR, Action.VIEW: HOUR}


@pytest.mark.django_db
def test_an_api_write_keeps_the_hour_in_its_request_entry_and_the_tokens_last_use(
    client: Client, world: World
) -> None:
    row, token = token_create(user=manager_of(world), name="pipeline", scope=TokenScope.WRITE)
    body = {
        "occurred_at": "2026-06-12T14:00",
        "category": "vehicle_in_buffer",
        "distance_band": "buffer",
    }
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/api/v1/sites/{world.site.slug}/interactions",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 201, response.content
    request_entry = AuditEntry.objects.get(detail__startswith="API POST")
    assert request_entry.at == HOUR
    assert request_entry.site_id == world.site.pk
    row.refresh_from_db()
    assert row.last_used_at == HOUR
    created = Interaction.objects.get(pk=response.json()["id"])
    assert created.logged_at == HOUR


@pytest.mark.django_db
def test_reading_the_log_through_the_api_keeps_the_hour_in_every_read_entry(
    client: Client, world: World
) -> None:
    # Each interaction on a page of the log is a read entry of its own, written in one
    # insert (agreements.audit.record_reads): the insert keeps the hour as well.
    read = InteractionFactory.create_batch(3, site=world.site)
    _row, token = token_create(user=manager_of(world), name="pipeline")
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            f"/api/v1/sites/{world.site.slug}/interactions",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 200
    views = [e for i in read for e in entries_about(i) if e.action == Action.VIEW]
    assert len(views) == 3
    assert {e.at for e in views} == {HOUR}


@pytest.mark.django_db
def test_other_api_requests_keep_their_exact_time(client: Client, world: World) -> None:
    _row, token = token_create(user=manager_of(world), name="pipeline")
    with time_machine.travel(NOW, tick=False):
        response = client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert AuditEntry.objects.get(detail__startswith="API GET").at == NOW


@pytest.mark.django_db
def test_a_half_hour_zone_keeps_the_sites_own_hour() -> None:
    """In St. John's the local hour starts at :30 UTC; a UTC hour would cut it in two."""
    site = SiteFactory(slug="harbour-nl", timezone="America/St_Johns")
    moment = datetime(2026, 6, 12, 14, 37, tzinfo=ST_JOHNS)
    with time_machine.travel(moment, tick=False):
        interaction = interaction_log(interaction=InteractionFactory.build(site=site))
    interaction.refresh_from_db()
    assert interaction.logged_at == datetime(2026, 6, 12, 14, tzinfo=ST_JOHNS)
    assert interaction.logged_at.astimezone(zoneinfo.ZoneInfo("UTC")).minute == 30
    [created] = entries_about(interaction)
    assert created.at == datetime(2026, 6, 12, 14, tzinfo=ST_JOHNS)


@pytest.mark.django_db
def test_rows_written_in_bulk_and_entries_written_directly_keep_the_hour(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        [interaction] = Interaction.objects.bulk_create([InteractionFactory.build(site=world.site)])
        entry = AuditEntry.objects.create(
            action=Action.VIEW,
            object_type="interaction",
            object_id=str(interaction.pk),
            site_id=world.site.pk,
        )
    assert Interaction.objects.get(pk=interaction.pk).logged_at == HOUR
    assert AuditEntry.objects.get(pk=entry.pk).at == HOUR


@pytest.mark.django_db(transaction=True)
def test_the_migration_truncates_what_was_kept_to_the_microsecond() -> None:
    executor = MigrationExecutor(connection)
    before = [("agreements", "0017_pii_guard_on_every_field")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldSite = old.get_model("agreements", "Site")
    OldInteraction = old.get_model("agreements", "Interaction")
    OldShare = old.get_model("agreements", "InteractionShare")
    OldAudit = old.get_model("agreements", "AuditEntry")
    OldToken = old.get_model("agreements", "ApiToken")
    OldUser = old.get_model("auth", "User")
    exact = datetime(2026, 6, 12, 18, 37, 12, 345678, tzinfo=zoneinfo.ZoneInfo("UTC"))
    site = OldSite.objects.create(
        slug="harbour-nl", name="Harbour", city="St. John's", timezone="America/St_Johns"
    )
    interaction = OldInteraction.objects.create(
        site=site,
        occurred_at=datetime(2026, 6, 12, 15, tzinfo=ST_JOHNS),
        category="vehicle_in_buffer",
        distance_band="buffer",
    )
    OldInteraction.objects.filter(pk=interaction.pk).update(logged_at=exact)
    share = OldShare.objects.create(interaction=interaction, summary="A cruiser.")
    OldShare.objects.filter(pk=share.pk).update(shared_at=exact)
    user = OldUser.objects.create(username="pipeline-owner")
    token = OldToken.objects.create(
        user=user, name="pipeline", token_hash="0" * 64, prefix="hrp_abcd", last_used_at=exact
    )
    about = OldAudit.objects.create(
        at=exact, action="create", site_id=site.pk, object_type="interaction",
        object_id=str(interaction.pk),
    )  # fmt: skip
    request = OldAudit.objects.create(
        at=exact, action="view", detail="API POST /api/v1/sites/harbour-nl/interactions (hrp_abcd…)"
    )
    login = OldAudit.objects.create(at=exact, action="login", actor="pipeline-owner")

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("agreements", "0018_hour_rule")])
        check_truncated(site.pk, interaction.pk, share.pk, token.pk, about.pk, request.pk, login.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def check_truncated(*pks: int) -> None:
    _site, interaction, share, token, about, request, login = pks
    exact = datetime(2026, 6, 12, 18, 37, 12, 345678, tzinfo=zoneinfo.ZoneInfo("UTC"))

    local_hour = datetime(2026, 6, 12, 16, tzinfo=ST_JOHNS)  # 18:37 UTC is 16:07 there

    # Read with SQL: the current models may have fields the 0018 schema lacks.
    def value(table: str, column: str, pk: int) -> datetime:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
            raw = cursor.fetchone()[0]
        field = AuditEntry._meta.get_field("at")
        converted = field.to_python(raw) if isinstance(raw, str) else raw
        return converted if converted.tzinfo else converted.replace(tzinfo=UTC)

    assert value("agreements_interaction", "logged_at", interaction) == local_hour
    assert value("agreements_interactionshare", "shared_at", share) == local_hour
    assert value("agreements_auditentry", "at", about) == local_hour
    assert value("agreements_auditentry", "at", request) == local_hour
    assert value("agreements_auditentry", "at", login) == exact  # not about an interaction
    hour = exact.replace(minute=0, second=0, microsecond=0)
    assert value("agreements_apitoken", "last_used_at", token) == hour
