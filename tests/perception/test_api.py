"""The self-assessment API: every role, independence, validation naming the answer's
field, the PII confirm path, the perception and its research form."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.tokens import token_create
from agreements.models import TokenScope
from perception.models import SelfAssessmentResponse, SelfAssessmentRound
from perception.services import round_close
from tests.conftest import World
from tests.perception.helpers import DESCRIBED, EMAIL, KEYS, answered, liaison_of, opened

pytestmark = pytest.mark.django_db

ROUNDS = "/api/v1/sites/{slug}/self-assessments"
MANAGER_COMMENT = "Meetings slipped twice this spring."


@pytest.fixture(autouse=True)
def generous_rate_limit(settings: Any) -> None:
    settings.HR_POLICE_API_RATE_PER_MINUTE = 100_000


def bearer(user: User | None) -> dict[str, str]:
    assert user is not None
    _, token = token_create(user=user, name="tests", scope=TokenScope.WRITE)
    return {"Authorization": f"Bearer {token}"}


def get(client: Client, user: User | None, url: str) -> Any:
    return client.get(url, headers=bearer(user))


def post(client: Client, user: User | None, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json",
                       headers=bearer(user))  # fmt: skip


def body(rating: int = 3, comment: str = "", **extra: Any) -> dict[str, Any]:
    return {"answers": [{"statement": k, "rating": rating, "comment": comment} for k in KEYS],
            **extra}  # fmt: skip


def responses_url(world: World, round_id: int, slug: str | None = None) -> str:
    return f"{ROUNDS.format(slug=slug or world.site.slug)}/{round_id}/responses"


def test_a_manager_opens_a_round_and_others_may_not(client: Client, world: World) -> None:
    url = ROUNDS.format(slug=world.site.slug)
    day = f"{world.site.today() + timedelta(days=30):%Y-%m-%d}"
    expected = {"liaison": 403, "researcher": 403, "other_manager": 404}
    for role, status in expected.items():
        assert post(client, world.users[role], url, {"closes_on": day}).status_code == status
    created = post(client, world.users["manager"], url, {"closes_on": day})
    assert created.status_code == 201
    assert created.json()["status"] == "open"
    assert len(created.json()["statements"]) == len(KEYS)
    again = post(client, world.users["admin"], url, {"closes_on": day})
    assert again.status_code == 422
    assert "already open" in again.json()["detail"][0]["msg"]


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", None])
def test_a_bad_closing_day_is_422_naming_it(client: Client, world: World, value: Any) -> None:
    response = post(client, world.users["manager"], ROUNDS.format(slug=world.site.slug),
                    {"closes_on": value})  # fmt: skip
    assert response.status_code == 422
    assert "closes_on" in response.json()["detail"][0]["loc"]
    assert not SelfAssessmentRound.objects.exists()


def test_a_past_closing_day_is_422_naming_it(client: Client, world: World) -> None:
    day = f"{world.site.today() - timedelta(days=1):%Y-%m-%d}"
    response = post(client, world.users["manager"], ROUNDS.format(slug=world.site.slug),
                    {"closes_on": day})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "closes_on"]


def test_each_side_answers_and_reads_the_other_only_once_both_have(
    client: Client, world: World
) -> None:
    round_ = opened(world.site, world.users["manager"])
    url = ROUNDS.format(slug=world.site.slug)
    mine = post(client, world.users["manager"], responses_url(world, round_.pk),
                body(5, MANAGER_COMMENT))  # fmt: skip
    assert mine.status_code == 201
    before = get(client, world.users["liaison"], url).json()["items"][0]
    assert before["answered"] == {"manager": True, "liaison": False}
    assert before["responses"] == []
    assert before["can_answer"] is True
    assert MANAGER_COMMENT not in json.dumps(get(client, world.users["liaison"], url).json())
    theirs = post(client, world.users["liaison"], responses_url(world, round_.pk), body(3))
    assert theirs.status_code == 201
    after = theirs.json()
    assert after["revealed"] is True
    assert {r["side"] for r in after["responses"]} == {"manager", "liaison"}
    assert [r["mine"] for r in after["responses"] if r["side"] == "liaison"] == [True]
    assert MANAGER_COMMENT in json.dumps(after)
    again = post(client, world.users["liaison"], responses_url(world, round_.pk), body(3))
    assert again.status_code == 422
    assert SelfAssessmentResponse.objects.count() == 2


def test_answer_errors_name_the_answer_and_its_field(client: Client, world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    answers = body(3)
    answers["answers"][2]["rating"] = 9
    del answers["answers"][4]
    response = post(client, world.users["liaison"], responses_url(world, round_.pk), answers)
    assert response.status_code == 422
    locs = {tuple(d["loc"]): d["msg"] for d in response.json()["detail"]}
    assert ("body", "answers", 2, "rating") in locs
    assert KEYS[4] in locs[("body", "answers")]
    assert not SelfAssessmentResponse.objects.exists()


def test_a_warned_comment_needs_pii_confirmed_and_a_refusal_cannot_be_confirmed(
    client: Client, world: World
) -> None:
    round_ = opened(world.site, world.users["manager"])
    warned = body(3)
    warned["answers"][1]["comment"] = DESCRIBED
    refused = post(client, world.users["liaison"], responses_url(world, round_.pk), warned)
    assert refused.status_code == 422
    [detail] = refused.json()["detail"]
    assert detail["loc"] == ["body", "answers", 1, "comment"]
    assert detail["type"] == "pii_unconfirmed"
    email = body(3, pii_confirmed=True)
    email["answers"][0]["comment"] = EMAIL
    still = post(client, world.users["liaison"], responses_url(world, round_.pk), email)
    assert still.status_code == 422
    assert still.json()["detail"][0]["type"] == "value_error"
    ok = post(client, world.users["liaison"], responses_url(world, round_.pk),
              warned | {"pii_confirmed": True})  # fmt: skip
    assert ok.status_code == 201


def test_scope_of_the_answer_endpoint(client: Client, world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    stranger = liaison_of(world.other_site, "liaison-eastside", "5522")
    assert post(client, stranger, responses_url(world, round_.pk), body()).status_code == 404
    assert post(client, world.users["researcher"], responses_url(world, round_.pk),
                body()).status_code == 403  # fmt: skip
    assert post(client, world.users["admin"], responses_url(world, round_.pk),
                body()).status_code == 403  # fmt: skip
    # A round of another site, under this site's slug.
    other_manager = world.users["other_manager"]
    assert other_manager is not None
    theirs = opened(world.other_site, other_manager)
    assert post(client, world.users["manager"], responses_url(world, theirs.pk),
                body()).status_code == 404  # fmt: skip
    assert get(client, stranger, ROUNDS.format(slug=world.site.slug)).status_code == 404
    assert get(client, world.users["researcher"],
               ROUNDS.format(slug=world.site.slug)).status_code == 403  # fmt: skip
    assert not SelfAssessmentResponse.objects.exists()


def perception_of(client: Client, user: User | None, world: World) -> Any:
    return get(client, user, f"/api/v1/sites/{world.site.slug}/perception")


def test_the_perception_per_role(client: Client, world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    answered(round_, world.users["manager"], 5, comment=MANAGER_COMMENT)
    answered(round_, world.users["liaison"], 3)
    managed = perception_of(client, world.users["manager"], world).json()
    assert managed["form"] == "site"
    assert managed["round"] == round_.pk
    assert next(f["key"] for f in managed["factors"]) == "early_engagement"
    assert all(f["gap"] == 50.0 and f["flagged"] for f in managed["factors"])
    assert all(f["computed"] is not None for f in managed["factors"])
    police = perception_of(client, world.users["liaison"], world).json()
    computed = {f["key"]: f["computed"] for f in police["factors"]}
    assert [k for k, v in computed.items() if v is not None] == ["dedicated_liaison"]
    assert perception_of(client, world.users["other_manager"], world).status_code == 404
    research = perception_of(client, world.users["researcher"], world).json()
    assert research["form"] == "research"
    assert research["rounds"] == []  # the round is still open: nothing yet
    round_close(round_=round_, actor=world.users["manager"])
    research = perception_of(client, world.users["researcher"], world).json()
    [shown] = research["rounds"]
    assert shown["respondents"] is None
    assert all(c["suppressed"] and c["gap"] is None for c in shown["factors"])
    assert MANAGER_COMMENT not in json.dumps(research)
    assert "50.0" not in json.dumps(research)


def test_the_perception_before_both_sides_answered_shows_no_gap(
    client: Client, world: World
) -> None:
    round_ = opened(world.site, world.users["manager"])
    answered(round_, world.users["manager"], 5)
    police = perception_of(client, world.users["liaison"], world).json()
    assert police["round"] is None
    assert police["factors"] == []
    assert police["trend"] == []


def count(client: Client, user: User | None, url: str) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = bearer(user)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured)


def closed_round(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    answered(round_, world.users["manager"], 4)
    answered(round_, world.users["liaison"], 2)
    round_close(round_=round_, actor=world.users["manager"])
    SelfAssessmentRound.objects.filter(pk=round_.pk).update(
        opened_on=world.site.today() - timedelta(days=1)
    )


@pytest.mark.parametrize("role", ["manager", "liaison", "researcher"])
def test_the_api_takes_the_same_queries_with_1_and_6_rounds(
    client: Client, world: World, role: str
) -> None:
    urls = [f"/api/v1/sites/{world.site.slug}/perception"]
    if role != "researcher":
        urls.append(ROUNDS.format(slug=world.site.slug))
    closed_round(world)
    small = [count(client, world.users[role], url) for url in urls]
    for _ in range(5):
        closed_round(world)
    assert [count(client, world.users[role], url) for url in urls] == small


def answer_validator(document: dict[str, Any], path: str, method: str, status: str) -> Any:
    import jsonschema_rs

    schema = document["paths"][path][method]["responses"][status]["content"]["application/json"]
    root = {**schema["schema"], "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root)


def test_every_answer_conforms_to_the_openapi_document(client: Client, world: World) -> None:
    """The document's own schemas describe the answers (and no other app's schema of the
    same name shadows them): both forms of the perception, the rounds and an answer."""
    document = client.get("/api/v1/openapi.json").json()
    base = "/api/v1/sites/{slug}"
    round_ = opened(world.site, world.users["manager"])
    answered(round_, world.users["manager"], 5, comment=MANAGER_COMMENT)
    created = post(client, world.users["liaison"], responses_url(world, round_.pk), body(2))
    checks = [
        (f"{base}/self-assessments/{{round_id}}/responses", "post", "201", created.json()),
        (f"{base}/self-assessments", "get", "200",
         get(client, world.users["liaison"], ROUNDS.format(slug="riverside")).json()),
    ]  # fmt: skip
    round_close(round_=round_, actor=world.users["manager"])
    for role in ("manager", "liaison", "researcher"):
        answer = perception_of(client, world.users[role], world).json()
        checks.append((f"{base}/perception", "get", "200", answer))
    for path, method, status, answer in checks:
        errors = [str(e) for e in answer_validator(document, path, method, status)
                  .iter_errors(answer)]  # fmt: skip
        assert not errors, (path, errors)
