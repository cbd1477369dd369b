"""The API's files (research CSVs, a site's iCalendar feed) are operations like the JSON
routes: the same English, the same 401 answer, the same rate limit and token audit.
Who may have which file is in test_sites_api.py; their contents beside the code that
writes them (tests/agreements/test_exports.py, tests/liaisons/test_calendar_links.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.tokens import token_create
from agreements.audit import Action, AuditEntry
from api.calendar import NO_CALENDAR
from tests.conftest import World
from tests.factories import TORONTO, CheckInFactory

pytestmark = pytest.mark.django_db

CALENDAR = "/api/v1/sites/riverside/calendar.ics"
RESEARCH = "/api/v1/exports/interactions.csv"
TRANSPARENCY = "/api/v1/exports/transparency.csv"
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_the_files_keep_their_urls_under_the_api_namespace() -> None:
    assert reverse("api:site_calendar", args=["riverside"]) == CALENDAR
    assert reverse("api:interactions_csv") == RESEARCH
    assert reverse("api:transparency_csv") == TRANSPARENCY


def test_the_files_stay_english_for_a_french_caller(client: Client, world: World) -> None:
    CheckInFactory(site=world.site, scheduled_start=datetime(2026, 6, 9, 10, tzinfo=TORONTO))
    client.force_login(world.users["manager"])
    # The same caller's page is French: the header does change the language.
    page = client.get(reverse("liaisons:calendar_links", args=["riverside"]), **FRENCH)
    assert page["Content-Language"] == "fr-ca"
    calendar = client.get(CALENDAR, **FRENCH)
    assert calendar.status_code == 200
    assert calendar["Content-Language"] == "en-ca"
    assert b"SUMMARY:Check-in:" in calendar.content
    assert b"Rencontre" not in calendar.content
    for url in (RESEARCH, TRANSPARENCY):
        response = client.get(url, **FRENCH)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en-ca", url
    client.force_login(world.users["researcher"])
    refused = client.get(CALENDAR, **FRENCH)
    assert refused.status_code == 403
    assert refused.json() == {"detail": NO_CALENDAR}
    assert refused["Content-Language"] == "en-ca"


def test_the_openapi_document_stays_english(client: Client) -> None:
    response = client.get("/api/v1/openapi.json", **FRENCH)
    assert response.status_code == 200
    assert response["Content-Language"] == "en-ca"


@pytest.mark.parametrize("url", [CALENDAR, RESEARCH, TRANSPARENCY, "/api/v1/sites"])
@pytest.mark.parametrize("header", ["", "Bearer hrp_not-a-token"])
def test_a_401_is_the_apis_one_answer_and_names_the_scheme(
    client: Client, world: World, url: str, header: str
) -> None:
    response = client.get(url, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert response["WWW-Authenticate"] == 'Bearer realm="hr_police"'
    assert not AuditEntry.objects.filter(action__in=[Action.DOWNLOAD, Action.EXPORT]).exists()


def test_a_bad_query_value_is_a_422_in_english_naming_it(client: Client, world: World) -> None:
    client.force_login(world.users["researcher"])
    response = client.get(RESEARCH, {"from": "2026-13"}, **FRENCH)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "from"]
    assert error["type"] == "value_error"
    assert "YYYY-MM" in error["msg"]


@pytest.mark.parametrize("url", [CALENDAR, RESEARCH])
def test_file_downloads_with_a_token_count_against_its_limit_and_are_audited(
    client: Client, world: World, settings: Any, url: str
) -> None:
    settings.HR_POLICE_API_RATE_PER_MINUTE = 2
    manager = world.users["manager"]
    assert manager is not None
    _row, token = token_create(user=manager, name="pipeline")
    auth = {"Authorization": f"Bearer {token}"}
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, 50, tzinfo=UTC), tick=False):
        assert [client.get(url, headers=auth).status_code for _ in range(2)] == [200, 200]
        throttled = client.get(url, headers=auth)
    assert throttled.status_code == 429
    assert throttled.json() == {"detail": "Too many requests: slow down."}
    assert throttled["Retry-After"] == "10"
    uses = AuditEntry.objects.filter(action=Action.VIEW, actor_id=manager.pk)
    assert [e.detail.split(" (")[0] for e in uses] == [f"API GET {url}"] * 2
    files = AuditEntry.objects.filter(action__in=[Action.DOWNLOAD, Action.EXPORT])
    assert files.count() == 2
