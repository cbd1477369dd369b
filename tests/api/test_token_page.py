"""`/accounts/tokens/`: a signed-in user's own API tokens, made, listed and revoked."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tokens import TOKEN_PREFIX, token_create, token_revoke
from agreements.audit import Action, AuditEntry
from agreements.models import ApiToken
from tests.conftest import World

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager(world: World) -> User:
    user = world.users["manager"]
    assert user is not None
    return user


@pytest.fixture
def signed_in(client: Client, manager: User) -> Client:
    client.force_login(manager)
    return client


def shown_token(html: str) -> str | None:
    match = re.search(rf'value="({re.escape(TOKEN_PREFIX)}[^"]+)"', html)
    return match.group(1) if match else None


def test_the_urls() -> None:
    assert reverse("api_tokens") == PAGE
    assert reverse("api_token_revoke", kwargs={"pk": 7}) == "/accounts/tokens/7/revoke/"


def test_the_page_lists_only_the_users_own_tokens(
    signed_in: Client, manager: User, world: World
) -> None:
    mine, _ = token_create(user=manager, name="R pipeline")
    admin = world.users["admin"]
    assert admin is not None
    theirs, _ = token_create(user=admin, name="Admin-only-name")
    response = signed_in.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "R pipeline" in html
    assert f"{mine.prefix}…" in html
    assert "Admin-only-name" not in html
    assert theirs.prefix not in html
    assert "never" in html  # not used yet
    assert shown_token(html) is None
    # The page may show a token: no copy is kept by the browser or a proxy.
    assert "no-store" in response["Cache-Control"]


def test_creating_a_token_shows_it_once(signed_in: Client, manager: User) -> None:
    response = signed_in.post(PAGE, {"name": "Dashboard sync"})
    assert response.status_code == 200
    token = shown_token(response.content.decode())
    assert token is not None
    row = ApiToken.objects.get(user=manager)
    assert row.name == "Dashboard sync"
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert AuditEntry.objects.filter(action=Action.CREATE, actor=manager.username).count() == 1
    # It works, and the page never shows it again.
    api = Client()
    assert api.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    again = signed_in.get(PAGE).content.decode()
    assert token not in again
    assert shown_token(again) is None
    assert "Dashboard sync" in again


@pytest.mark.parametrize("name", ["", "x" * 81])
def test_a_bad_name_makes_no_token(signed_in: Client, name: str) -> None:
    response = signed_in.post(PAGE, {"name": name})
    assert response.status_code == 422
    assert "Nothing was saved" in response.content.decode()
    assert shown_token(response.content.decode()) is None
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_at_once(signed_in: Client, manager: User) -> None:
    row, token = token_create(user=manager, name="Old laptop")
    url = reverse("api_token_revoke", kwargs={"pk": row.pk})
    response = signed_in.post(url, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    html = response.content.decode()
    assert "no longer works" in html
    assert "revoked" in html
    row.refresh_from_db()
    assert row.revoked_at is not None
    entry = AuditEntry.objects.get(action=Action.DELETE, object_type="apitoken")
    assert (entry.actor, entry.object_id) == (manager.username, str(row.pk))
    api = Client()
    assert api.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    # Revoking twice changes nothing more.
    signed_in.post(url)
    assert AuditEntry.objects.filter(action=Action.DELETE, object_type="apitoken").count() == 1
    # A revoked token has no revoke button.
    assert f'action="{url}"' not in signed_in.get(PAGE).content.decode()


def test_nobody_revokes_someone_elses_token(signed_in: Client, world: World) -> None:
    admin = world.users["admin"]
    assert admin is not None
    row, _ = token_create(user=admin, name="Admin's")
    url = reverse("api_token_revoke", kwargs={"pk": row.pk})
    assert signed_in.post(url).status_code == 404
    assert signed_in.get(url).status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_revoking_takes_a_post(signed_in: Client, manager: User) -> None:
    row, _ = token_create(user=manager, name="Kept")
    response = signed_in.get(reverse("api_token_revoke", kwargs={"pk": row.pk}))
    assert response.status_code == 405
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_navbar_links_the_page_next_to_password(signed_in: Client) -> None:
    html = signed_in.get("/").content.decode()
    password = html.index(f'href="{reverse("password_change")}"')
    tokens = html.index(f'href="{PAGE}"')
    assert password < tokens
    assert ">API tokens</a>" in html


def test_anonymous_users_are_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post(PAGE, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_the_page_is_behind_the_second_factor(client: Client, manager: User, settings: Any) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    client.force_login(manager)
    response = client.post(PAGE, {"name": "sneaky"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/")
    assert not ApiToken.objects.exists()


def test_the_page_takes_a_constant_number_of_queries(signed_in: Client, manager: User) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(PAGE).status_code == 200
        return len(captured)

    token_create(user=manager, name="first")
    few = count()
    for i in range(15):
        row, _ = token_create(user=manager, name=f"token {i}")
    token_revoke(token=row, actor=manager)
    assert count() == few
