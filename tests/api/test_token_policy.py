"""API tokens expire, need the second factor where roles need it, and write only when
made read-write (issue 16 item 6)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tokens import token_create
from agreements.audit import Action, AuditEntry
from agreements.choices import Role
from agreements.models import ApiToken, EngagementEvent, Interaction, Membership, TokenScope
from liaisons.models import CheckIn
from tests.api.test_records_api import PAYLOADS
from tests.conftest import World
from tests.factories import UserFactory
from tests.hr_police.test_settings import manage_check

PAGE = "/accounts/tokens/"


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def manager_of(world: World) -> User:
    user = world.users["manager"]
    assert user is not None
    return user


# --- expiry -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_token_works_90_days_and_then_no_more(client: Client, world: World) -> None:
    row, token = token_create(user=manager_of(world), name="pipeline")
    assert row.expires_at - row.created_at == pytest.approx(
        timedelta(days=90), abs=timedelta(seconds=5)
    )
    with time_machine.travel(row.expires_at - timedelta(minutes=1)):
        assert client.get("/api/v1/sites", headers=bearer(token)).status_code == 200
    with time_machine.travel(row.expires_at + timedelta(seconds=1)):
        answer = client.get("/api/v1/sites", headers=bearer(token))
        assert answer.status_code == 401
        assert answer.json() == {"detail": "Unauthorized"}
        client.force_login(manager_of(world))
        page = client.get(PAGE).content.decode()
    assert "expired" in page
    assert "Revoke<" not in page  # nothing left to revoke


@pytest.mark.django_db
def test_the_setting_gives_the_default_period(world: World, settings: Any) -> None:
    settings.HR_POLICE_API_TOKEN_DAYS = 30
    row, _ = token_create(user=manager_of(world), name="pipeline")
    assert (row.expires_at - timezone.now()).days == 29  # 30 days less a few microseconds


def test_the_setting_refuses_a_period_out_of_range(tmp_path: Path) -> None:
    for days in ("0", "366"):
        result = manage_check(tmp_path, DJANGO_DEBUG="true", HR_POLICE_API_TOKEN_DAYS=days)
        assert result.returncode != 0
        assert "HR_POLICE_API_TOKEN_DAYS" in result.stderr


@pytest.mark.django_db
def test_the_command_sets_the_period_and_the_scope(world: World) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "api_token", "manager-riverside", "--days", "7", "--scope", "read-write",
        stdout=out, stderr=err,
    )  # fmt: skip
    row = ApiToken.objects.get()
    assert out.getvalue().strip().startswith(row.prefix)
    assert row.expires_at - row.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )
    assert row.scope == TokenScope.WRITE
    assert "read and write" in err.getvalue()
    assert "until" in err.getvalue()
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="apitoken")
    assert "read-write, 7 days" in entry.detail


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "366", "-3"])
def test_the_command_refuses_a_period_out_of_range(world: World, days: str) -> None:
    with pytest.raises(CommandError, match="--days: A token works from 1 to 365 days"):
        call_command("api_token", "manager-riverside", "--days", days, stdout=StringIO())
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_command_makes_read_only_tokens_unless_asked(world: World) -> None:
    call_command("api_token", "manager-riverside", stdout=StringIO(), stderr=StringIO())
    row = ApiToken.objects.get()
    assert row.scope == TokenScope.READ
    assert (row.expires_at - row.created_at) == pytest.approx(
        timedelta(days=90), abs=timedelta(seconds=5)
    )


@pytest.mark.django_db
def test_the_page_offers_the_period_and_the_scope(client: Client, world: World) -> None:
    client.force_login(manager_of(world))
    form = client.get(PAGE).content.decode()
    assert re.search(r'<input type="number" name="days" value="90"', form)
    assert re.search(r'<input type="radio"[^>]* name="scope" value="read"[^>]* checked', form)
    assert 'value="read-write"' in form
    made = client.post(PAGE, {"name": "Sync", "days": "14", "scope": "read-write"})
    assert made.status_code == 200
    row = ApiToken.objects.get()
    assert (row.scope, round((row.expires_at - row.created_at) / timedelta(days=1))) == (
        TokenScope.WRITE,
        14,
    )
    listed = client.get(PAGE).content.decode()
    assert "read and write" in listed


@pytest.mark.django_db
def test_the_page_refuses_a_period_out_of_range(client: Client, world: World) -> None:
    client.force_login(manager_of(world))
    answer = client.post(PAGE, {"name": "Forever", "days": "3650", "scope": "read"})
    assert answer.status_code == 422
    assert "365" in answer.content.decode()
    assert not ApiToken.objects.exists()


# --- the second factor --------------------------------------------------------------------


@pytest.mark.django_db
def test_no_token_for_a_user_who_must_but_has_not_set_up_two_factor(
    world: World, settings: Any
) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    with pytest.raises(CommandError, match="two-factor"):
        call_command("api_token", "manager-riverside", stdout=StringIO())
    assert not ApiToken.objects.exists()
    TOTPDevice.objects.create(user=manager_of(world), name="app", confirmed=True)
    call_command("api_token", "manager-riverside", stdout=StringIO(), stderr=StringIO())
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_a_role_without_the_second_factor_gets_a_token(world: World, settings: Any) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    call_command("api_token", "researcher-all", stdout=StringIO(), stderr=StringIO())
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_a_token_stops_when_its_user_gains_a_role_that_needs_the_second_factor(
    client: Client, world: World, settings: Any
) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    user = UserFactory(username="promoted")
    Membership.objects.create(user=user, role=Role.RESEARCHER)
    _row, token = token_create(user=user, name="pipeline")
    assert client.get("/api/v1/sites", headers=bearer(token)).status_code == 200
    Membership.objects.create(user=user, role=Role.MANAGER, site=world.site)
    assert client.get("/api/v1/sites", headers=bearer(token)).status_code == 401
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    assert client.get("/api/v1/sites", headers=bearer(token)).status_code == 200


# --- scope --------------------------------------------------------------------------------


def write_operations(client: Client) -> list[tuple[str, str]]:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [
        (method, path)
        for path, operations in paths.items()
        for method in operations
        if method not in ("get", "head", "options")
    ]


@pytest.mark.django_db
def test_a_read_only_token_is_refused_every_write(client: Client, world: World) -> None:
    _row, token = token_create(user=manager_of(world), name="reader")
    writes = write_operations(client)
    assert len(writes) >= 4  # interactions, check-ins, engagements, statements
    counts = [Interaction.objects.count(), CheckIn.objects.count(), EngagementEvent.objects.count()]
    for method, path in writes:
        kind = path.rsplit("/", 1)[-1]
        url = path.replace("{slug}", world.site.slug)
        answer = getattr(client, method)(
            url,
            json.dumps(PAYLOADS.get(kind, {})),
            content_type="application/json",
            headers=bearer(token),
        )
        assert answer.status_code == 403, (method, path, answer.content)
        assert "read-only" in answer.json()["detail"]
    assert counts == [
        Interaction.objects.count(),
        CheckIn.objects.count(),
        EngagementEvent.objects.count(),
    ]
    assert client.get(f"/api/v1/sites/{world.site.slug}/interactions", headers=bearer(token))


@pytest.mark.django_db
def test_a_read_write_token_writes(client: Client, world: World) -> None:
    _row, token = token_create(user=manager_of(world), name="writer", scope=TokenScope.WRITE)
    answer = client.post(
        f"/api/v1/sites/{world.site.slug}/engagements",
        json.dumps(PAYLOADS["engagements"]),
        content_type="application/json",
        headers=bearer(token),
    )
    assert answer.status_code == 201, answer.content


def test_the_openapi_document_describes_expiry_and_scope(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    scheme = doc["components"]["securitySchemes"]["BearerToken"]["description"]
    for needed in ("expires", "read-write", "403"):
        assert needed in scheme


# --- tokens made before ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_tokens_made_before_keep_writing_for_the_default_period() -> None:
    executor = MigrationExecutor(connection)
    before = [("agreements", "0018_hour_rule")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="old-pipeline")
    old.get_model("agreements", "ApiToken").objects.create(
        user=user, name="old", token_hash="1" * 64, prefix="hrp_old1"
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([("agreements", "0019_api_token_expiry_and_scope")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT scope FROM agreements_apitoken WHERE prefix = 'hrp_old1'")
            assert cursor.fetchone()[0] == "read-write"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    row = ApiToken.objects.get(prefix="hrp_old1")
    assert row.expires_at - timezone.now() == pytest.approx(
        timedelta(days=90), abs=timedelta(minutes=1)
    )
