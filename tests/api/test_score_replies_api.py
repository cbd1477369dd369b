"""GET|POST /api/v1/sites/{slug}/score-replies: who reads, who writes, 201/200, and the
422 answers naming `month` or `text`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from accounts.tokens import token_create
from agreements.audit import Action, AuditEntry
from agreements.choices import Role
from agreements.models import TokenScope
from score_replies.models import ScoreReply
from tests.conftest import World, make_user
from tests.factories import AssignmentFactory, OfficerFactory
from tests.score_replies.conftest import NOW, REPLY, REWORDED

pytestmark = pytest.mark.django_db

URL = "/api/v1/sites/riverside/score-replies"


@pytest.fixture(autouse=True)
def fixed_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def headers(user: User | None) -> dict[str, str]:
    if user is None:
        return {}
    token = token_create(user=user, name="tests", scope=TokenScope.WRITE)[1]
    return {"Authorization": f"Bearer {token}"}


def post(client: Client, user: User | None, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json", headers=headers(user))


def test_the_liaison_writes_201_then_rewords_200_and_everyone_allowed_reads(
    client: Client, world: World
) -> None:
    liaison = world.users["liaison"]
    created = post(client, liaison, {"month": "2026-05", "text": REPLY})
    assert created.status_code == 201, created.json()
    assert created.json() == {
        "month": "2026-05",
        "text": REPLY,
        "service": "Lakeport Police Service",
        "updated_at": "2026-06-10T16:00:00Z",
        "versions": 1,
    }
    changed = post(client, liaison, {"month": "2026-05", "text": REWORDED})
    assert changed.status_code == 200
    assert (changed.json()["text"], changed.json()["versions"]) == (REWORDED, 2)
    for role in ("manager", "liaison", "admin"):
        listed = client.get(URL, headers=headers(world.users[role]))
        assert listed.status_code == 200, role
        assert [(r["month"], r["text"], r["versions"]) for r in listed.json()] == [
            ("2026-05", REWORDED, 2)
        ]


def test_each_role_gets_the_expected_status(client: Client, world: World) -> None:
    post(client, world.users["liaison"], {"month": "2026-05", "text": REPLY})
    reads = {role: client.get(URL, headers=headers(world.users[role])).status_code
             for role in world.users}  # fmt: skip
    assert reads == {"anonymous": 401, "manager": 200, "other_manager": 404, "liaison": 200,
                     "researcher": 403, "admin": 200, "community": 403}  # fmt: skip
    writes = {role: post(client, world.users[role], {"month": "2026-04", "text": REPLY}).status_code
              for role in world.users}  # fmt: skip
    assert writes == {"anonymous": 401, "manager": 403, "other_manager": 404, "liaison": 201,
                      "researcher": 403, "admin": 403, "community": 403}  # fmt: skip


def test_a_researcher_gets_no_reply_text(client: Client, world: World) -> None:
    post(client, world.users["liaison"], {"month": "2026-05", "text": REPLY})
    answer = client.get(URL, headers=headers(world.users["researcher"]))
    assert "Reply-5e1d" not in answer.content.decode()


def test_a_liaison_of_another_site_gets_404_and_writes_nothing(
    client: Client, world: World
) -> None:
    other = make_user(Role.LIAISON, username="liaison-east")
    AssignmentFactory(officer=OfficerFactory(user=other), site=world.other_site)
    assert client.get(URL, headers=headers(other)).status_code == 404
    assert post(client, other, {"month": "2026-05", "text": REPLY}).status_code == 404
    assert not ScoreReply.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"month": "2026-06", "text": REPLY}, "month"),  # not complete at the site
        ({"month": "2019-12", "text": REPLY}, "month"),  # before the opening
        ({"month": "2026-5", "text": REPLY}, "month"),
        ({"month": "9999-01", "text": REPLY}, "month"),
        ({"month": 202605, "text": REPLY}, "month"),
        ({"text": REPLY}, "month"),
        ({"month": "2026-05"}, "text"),
        ({"month": "2026-05", "text": ""}, "text"),
        ({"month": "2026-05", "text": 12}, "text"),
        ({"month": "2026-05", "text": "Phone 416-555-0199 for details."}, "text"),
        ({"month": "2026-05", "text": "nul \u0000 char"}, "text"),
        ({"month": "2026-05", "text": "x" * 4001}, "text"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(
    client: Client, world: World, body: dict[str, Any], field: str
) -> None:
    answer = post(client, world.users["liaison"], body)
    assert answer.status_code == 422, answer.content
    assert [e["loc"][-1] for e in answer.json()["detail"]] == [field]
    assert not ScoreReply.objects.exists()


def test_a_lone_surrogate_is_a_422_not_a_database_error(client: Client, world: World) -> None:
    raw = '{"month": "2026-05", "text": "bad \\ud800 text"}'
    answer = client.post(URL, raw, content_type="application/json",
                         headers=headers(world.users["liaison"]))  # fmt: skip
    assert answer.status_code == 422
    assert not ScoreReply.objects.exists()


def test_a_pii_warning_needs_pii_confirmed(client: Client, world: World) -> None:
    warned = "We saw the man with the spiderweb tattoo near the door."
    answer = post(client, world.users["liaison"], {"month": "2026-05", "text": warned})
    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert (error["loc"], error["type"]) == (["body", "text"], "pii_unconfirmed")
    confirmed = post(client, world.users["liaison"],
                     {"month": "2026-05", "text": warned, "pii_confirmed": True})  # fmt: skip
    assert confirmed.status_code == 201
    entry = AuditEntry.objects.get(object_type="scorereply", action=Action.CREATE)
    assert "PII warnings confirmed" in entry.detail


def test_a_read_only_token_may_not_write(client: Client, world: World) -> None:
    token = token_create(user=world.users["liaison"], name="ro")[1]
    answer = client.post(URL, {"month": "2026-05", "text": REPLY}, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 403


def test_the_list_keeps_its_query_count(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    liaison = world.users["liaison"]
    auth = headers(world.users["manager"])
    post(client, liaison, {"month": "2026-05", "text": REPLY})

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, headers=auth).status_code == 200
        return len(captured)

    one = count()
    for month in ("2026-04", "2026-03", "2026-02", "2026-01"):
        post(client, liaison, {"month": month, "text": REPLY})
        post(client, liaison, {"month": month, "text": REWORDED})
    assert count() == one
