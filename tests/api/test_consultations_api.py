"""The consultations API: GET /api/v1/sites/{slug}/consultations and POST
/api/v1/sites/{slug}/consultations/{id}/comments (and the managers' POST that opens one),
as each role, with tokens."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from accounts.tokens import token_create
from agreements.models import TokenScope
from consultations.models import Answer, Comment
from consultations.services import comment_add, comment_answer, consultation_close
from tests.consultations.fixtures import (
    ANSWER,
    COMMENT,
    NEW_CLAUSE,
    REFUSED,
    REWORDED,
    WARNED,
    Setting,
    setting,
)

__all__ = ["setting"]  # the fixture

pytestmark = pytest.mark.django_db

LIST = "/api/v1/sites/riverside/consultations"


class Api:
    """A client with a read-write token for one user."""

    def __init__(self, user: Any) -> None:
        raw = token_create(user=user, name="api", scope=TokenScope.WRITE)[1]
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, url: str) -> Any:
        return self.client.get(url)

    def post(self, url: str, body: dict[str, Any]) -> Any:
        return self.client.post(url, data=json.dumps(body), content_type="application/json")


def comments_url(consultation_id: int, slug: str = "riverside") -> str:
    return f"/api/v1/sites/{slug}/consultations/{consultation_id}/comments"


def test_the_community_reads_comments_and_the_manager_answers(setting: Setting) -> None:
    consultation = setting.open()
    community, manager = Api(setting.community), Api(setting.manager)
    [listed] = community.get(LIST).json()["items"]
    assert (listed["id"], listed["version"], listed["status"]) == (consultation.pk, 2, "open")
    assert listed["version_status"] == "draft"
    assert listed["closes_on"] == consultation.closes_on.isoformat()
    assert listed["clauses"] == [{"topic": "entry_during_hours", "text": NEW_CLAUSE}]
    posted = community.post(comments_url(consultation.pk), {"text": COMMENT})
    assert posted.status_code == 201
    comment = posted.json()
    assert (comment["text"], comment["mine"], comment["author"], comment["answer"]) == (
        COMMENT, True, None, None,
    )  # fmt: skip
    answered = manager.post(comments_url(consultation.pk), {"answers": comment["id"],
                                                           "text": ANSWER})  # fmt: skip
    assert answered.status_code == 201
    assert answered.json()["answer"]["text"] == ANSWER
    assert answered.json()["author"] == setting.community.username
    manager.post(comments_url(consultation.pk), {"answers": comment["id"], "text": REWORDED})
    [seen] = community.get(LIST).json()["items"][0]["comments"]
    assert seen["answer"] == {"text": REWORDED, "answered_at": seen["answer"]["answered_at"],
                              "answered_by": None}  # fmt: skip
    assert [a["text"] for a in seen["earlier_answers"]] == [ANSWER]
    [site_view] = manager.get(LIST).json()["items"][0]["comments"]
    assert site_view["answer"]["answered_by"] == setting.manager.username
    assert site_view["mine"] is False


def test_a_manager_opens_one_through_the_api(setting: Setting) -> None:
    manager = Api(setting.manager)
    day = setting.world.site.today() + timedelta(days=20)
    opened = manager.post(LIST, {"version": 2, "closes_on": day.isoformat()})
    assert opened.status_code == 201
    assert (opened.json()["version"], opened.json()["status"]) == (2, "open")
    signed = manager.post(LIST, {"version": 1, "closes_on": day.isoformat()})
    assert signed.status_code == 422
    missing = manager.post(LIST, {"version": 9, "closes_on": day.isoformat()})
    assert missing.json()["detail"][0]["loc"] == ["body", "version"]
    late = (setting.world.site.today() + timedelta(days=91)).isoformat()
    Comment.objects.all().delete()
    assert Api(setting.community).post(LIST, {"version": 2, "closes_on": late}).status_code == 403


def test_a_closed_consultation_is_422_naming_the_problem(setting: Setting) -> None:
    consultation = setting.open()
    consultation_close(consultation=consultation, actor=setting.manager)
    answer = Api(setting.community).post(comments_url(consultation.pk), {"text": COMMENT})
    assert answer.status_code == 422
    assert "closed" in answer.json()["detail"][0]["msg"]
    assert not Comment.objects.exists()
    [listed] = Api(setting.community).get(LIST).json()["items"]
    assert (listed["status"], listed["closed_reason"]) == ("closed", "manager")


def test_pii_is_refused_and_warnings_need_confirmation(setting: Setting) -> None:
    consultation = setting.open()
    community = Api(setting.community)
    refused = community.post(comments_url(consultation.pk), {"text": REFUSED})
    assert refused.status_code == 422
    [detail] = refused.json()["detail"]
    assert detail["loc"] == ["body", "text"]
    assert "phone number" in detail["msg"]
    warned = community.post(comments_url(consultation.pk), {"text": WARNED})
    assert warned.json()["detail"][0]["type"] == "pii_unconfirmed"
    confirmed = community.post(comments_url(consultation.pk),
                               {"text": WARNED, "pii_confirmed": True})  # fmt: skip
    assert confirmed.status_code == 201
    nul = community.post(comments_url(consultation.pk), {"text": "A\x00B"})
    assert nul.status_code == 422
    assert Comment.objects.count() == 1


def test_who_may_post_what(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    url = comments_url(consultation.pk)
    # A manager comments not; the community answers not.
    assert Api(setting.manager).post(url, {"text": COMMENT}).status_code == 403
    answer = Api(setting.community).post(url, {"answers": comment.pk, "text": ANSWER})
    assert answer.status_code == 403
    unknown = Api(setting.manager).post(url, {"answers": 999_999, "text": ANSWER})
    assert (unknown.status_code, unknown.json()["detail"][0]["loc"]) == (422, ["body", "answers"])
    assert not Answer.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("liaison", 403), ("researcher", 403),
                                              ("other_manager", 404)])  # fmt: skip
def test_police_researchers_and_other_sites_get_nothing(
    setting: Setting, role: str, status: int
) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    api = Api(setting.world.users[role])
    listed = api.get(LIST)
    assert listed.status_code == status
    assert COMMENT not in listed.content.decode()
    url = comments_url(consultation.pk)
    assert api.post(url, {"text": COMMENT}).status_code == status
    assert api.post(url, {"answers": comment.pk, "text": ANSWER}).status_code == status
    day = (setting.world.site.today() + timedelta(days=5)).isoformat()
    assert api.post(LIST, {"version": 2, "closes_on": day}).status_code == status
    assert Comment.objects.count() == 1


def test_an_admin_reads_and_answers(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    admin = Api(setting.world.users["admin"])
    assert admin.get(LIST).status_code == 200
    posted = admin.post(comments_url(consultation.pk), {"answers": comment.pk, "text": ANSWER})
    assert posted.status_code == 201


def test_anonymous_callers_get_401(setting: Setting) -> None:
    consultation = setting.open()
    assert Client().get(LIST).status_code == 401
    answer = Client().post(comments_url(consultation.pk), data="{}",
                           content_type="application/json")  # fmt: skip
    assert answer.status_code == 401


def test_the_list_takes_the_same_queries_with_one_comment_or_many(
    setting: Setting, django_assert_max_num_queries: Any
) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    comment_answer(comment=comment, author=setting.manager, text=ANSWER)
    community = Api(setting.community)
    community.get(LIST)
    with django_assert_max_num_queries(40) as few:
        assert community.get(LIST).status_code == 200
    for i in range(5):
        more = comment_add(consultation=consultation, author=setting.community,
                           text=f"{COMMENT} Point {i}.")  # fmt: skip
        comment_answer(comment=more, author=setting.manager, text=ANSWER)
    consultation_close(consultation=consultation, actor=setting.manager)
    for _ in range(3):
        consultation_close(consultation=setting.open(), actor=setting.manager)
    with django_assert_max_num_queries(len(few)):
        items = community.get(LIST).json()["items"]
    assert len(items) == 4
