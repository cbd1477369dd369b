"""The peer reports API: POST /api/v1/sites/{slug}/peer-reports as each role, and
GET /api/v1/follow-up/{code} without signing in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from accounts.tokens import token_create
from agreements.audit import AuditEntry
from agreements.choices import Consent
from agreements.models import TokenScope
from peer_reports import codes
from peer_reports.models import PeerReport
from tests.conftest import World
from tests.peer_reports.helpers import NARRATIVE, REFUSED, WARNED

pytestmark = pytest.mark.django_db

URL = "/api/v1/sites/riverside/peer-reports"
BODY = {
    "occurred_at": "2026-06-01T14:37",
    "category": "vehicle_in_buffer",
    "distance_band": "buffer",
    "officers_present": 2,
    "vehicle_present": True,
    "narrative": NARRATIVE,
    "consent": "site_only",
}


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    caches["default"].clear()
    yield
    caches["default"].clear()


def api(user: Any) -> Client:
    raw = token_create(user=user, name="api", scope=TokenScope.WRITE)[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, body: dict[str, Any], url: str = URL) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_community_files_and_is_answered_the_code_only(world: World) -> None:
    answer = post(api(world.users["community"]), BODY)
    assert answer.status_code == 201
    body = answer.json()
    assert list(body) == ["code"]
    report = PeerReport.objects.get()
    assert report.code_hash == codes.code_hash(body["code"])
    local = report.occurred_at.astimezone(world.site.tz)
    assert (local.hour, local.minute) == (14, 0)
    assert report.consent == Consent.SITE_ONLY
    assert report.filed_by == world.users["community"]
    # The follow-up answers without any sign-in.
    assert Client().get(f"/api/v1/follow-up/{body['code']}").json() == {"status": "received"}
    assert body["code"] not in repr(list(AuditEntry.objects.values()))


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("admin", 403), ("liaison", 403), ("researcher", 403),
     ("other_manager", 404)],
)  # fmt: skip
def test_every_other_role_is_refused(world: World, role: str, status: int) -> None:
    assert post(api(world.users[role]), BODY).status_code == status
    assert not PeerReport.objects.exists()


def test_anonymous_callers_may_not_file(world: World) -> None:
    assert post(Client(), BODY).status_code == 401


def test_a_site_that_does_not_opt_in_is_out_of_scope(world: World) -> None:
    world.site.community_oversight = False
    world.site.save(update_fields=["community_oversight"])
    assert post(api(world.users["community"]), BODY).status_code == 404


def test_bad_input_is_a_422_naming_the_field(world: World) -> None:
    client = api(world.users["community"])
    for field, value in (("category", "called_by_staff"), ("distance_band", "far"),
                         ("consent", "everyone"), ("narrative", REFUSED),
                         ("occurred_at", "2030-01-01T10:00")):  # fmt: skip
        answer = post(client, {**BODY, field: value})
        assert answer.status_code == 422, field
        assert ["body", field] in [d["loc"] for d in answer.json()["detail"]], field
    assert not PeerReport.objects.exists()


def test_the_reporters_consent_is_never_assumed(world: World) -> None:
    body = {key: value for key, value in BODY.items() if key != "consent"}
    answer = post(api(world.users["community"]), body)
    assert answer.status_code == 422
    assert ["body", "payload", "consent"] in [d["loc"] for d in answer.json()["detail"]]
    assert not PeerReport.objects.exists()


def test_a_warning_needs_pii_confirmed(world: World) -> None:
    client = api(world.users["community"])
    warned = post(client, {**BODY, "narrative": WARNED})
    assert warned.status_code == 422
    assert warned.json()["detail"][0]["type"] == "pii_unconfirmed"
    assert post(client, {**BODY, "narrative": WARNED, "pii_confirmed": True}).status_code == 201


def test_the_follow_up_is_in_the_openapi_document_without_security(world: World) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/follow-up/{code}"]["get"]
    assert operation.get("security") in (None, [])
    assert "/api/v1/sites/{slug}/peer-reports" in document["paths"]
