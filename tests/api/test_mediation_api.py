"""The mediation API: GET/POST/PATCH /api/v1/sites/{slug}/shared/{id}/replies and the
list of shared threads, as each role, with a token and with a session."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from accounts.tokens import token_create
from agreements.models import TokenScope
from agreements.sharing import interaction_unshare
from mediation.models import SharedThread, ThreadReply
from mediation.services import thread_reply_post
from tests.mediation.fixtures import (
    NARRATIVE,
    OUTCOME,
    POLICE_REPLY,
    REFUSED,
    SITE_REPLY,
    SUMMARY,
    WARNED,
    Mediation,
    mediation,
)

__all__ = ["mediation"]  # the fixture

pytestmark = pytest.mark.django_db


class Api:
    """A client with a read-write token for one user."""

    def __init__(self, user: Any) -> None:
        raw = token_create(user=user, name="api", scope=TokenScope.WRITE)[1]
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, url: str) -> Any:
        return self.client.get(url)

    def send(self, method: str, url: str, body: dict[str, Any]) -> Any:
        call = getattr(self.client, method)
        return call(url, data=json.dumps(body), content_type="application/json")


def _url(mediation: Mediation, slug: str = "riverside") -> str:
    return f"/api/v1/sites/{slug}/shared/{mediation.thread.pk}/replies"


def test_share_reply_resolve_and_both_read_the_outcome(mediation: Mediation) -> None:
    liaison, manager = Api(mediation.liaison), Api(mediation.manager)
    listed = liaison.get("/api/v1/sites/riverside/shared").json()["items"]
    assert [(t["id"], t["summary"], t["status"]) for t in listed] == [
        (mediation.thread.pk, SUMMARY, "open")
    ]
    posted = liaison.send("post", _url(mediation), {"text": POLICE_REPLY})
    assert posted.status_code == 201
    assert posted.json()["author_role"] == "liaison"
    assert manager.get("/api/v1/sites/riverside/shared").json()["items"][0]["waiting"] is True
    answered = manager.send("post", _url(mediation), {"text": SITE_REPLY})
    assert answered.status_code == 201
    resolved = manager.send("patch", _url(mediation), {"status": "resolved", "outcome": OUTCOME})
    assert resolved.status_code == 200
    assert resolved.json()["outcome"] == OUTCOME
    police = liaison.get(_url(mediation)).json()
    assert (police["status"], police["outcome"]) == ("resolved", OUTCOME)
    assert [(r["author_role"], r["author"], r["text"]) for r in police["replies"]] == [
        ("liaison", None, POLICE_REPLY),
        ("site", None, SITE_REPLY),
    ]
    site = manager.get(_url(mediation)).json()
    assert [(r["author_role"], r["author"]) for r in site["replies"]] == [
        ("liaison", "liaison-all"),
        ("manager", "manager-riverside"),
    ]
    # At the site (Toronto), kept to the hour.
    posted = datetime.fromisoformat(site["replies"][0]["posted_at"])
    assert (posted.minute, posted.second) == (0, 0)
    assert posted.utcoffset() in (timedelta(hours=-4), timedelta(hours=-5))
    assert NARRATIVE not in json.dumps(police)


def test_a_liaison_cannot_set_the_status(mediation: Mediation) -> None:
    body = {"status": "resolved", "outcome": OUTCOME}
    response = Api(mediation.liaison).send("patch", _url(mediation), body)
    assert response.status_code == 403
    assert SharedThread.objects.get().status == "open"


def test_a_liaison_of_another_site_gets_404(mediation: Mediation) -> None:
    other = Api(mediation.other_liaison)
    assert other.get(_url(mediation)).status_code == 404
    assert other.send("post", _url(mediation), {"text": POLICE_REPLY}).status_code == 404
    assert other.get(_url(mediation, "eastside")).status_code == 404
    assert other.get("/api/v1/sites/eastside/shared").json()["items"] == []
    assert not ThreadReply.objects.exists()


def test_after_unsharing_police_get_404_and_the_thread_leaves_their_list(
    mediation: Mediation,
) -> None:
    thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                      author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    interaction_unshare(interaction=mediation.interaction, actor=mediation.manager)
    liaison = Api(mediation.liaison)
    assert liaison.get(_url(mediation)).status_code == 404
    assert liaison.send("post", _url(mediation), {"text": POLICE_REPLY}).status_code == 404
    assert liaison.get("/api/v1/sites/riverside/shared").json()["items"] == []
    site = Api(mediation.manager).get(_url(mediation)).json()
    assert site["shared"] is False
    assert [r["text"] for r in site["replies"]] == [POLICE_REPLY]


def test_a_researcher_gets_403_and_no_text(mediation: Mediation) -> None:
    thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                      author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    researcher = Api(mediation.world.users["researcher"])
    for response in (researcher.get(_url(mediation)),
                     researcher.get("/api/v1/sites/riverside/shared"),
                     researcher.send("post", _url(mediation), {"text": SITE_REPLY})):  # fmt: skip
        assert response.status_code == 403
        assert POLICE_REPLY not in response.content.decode()


def test_anonymous_callers_get_401(mediation: Mediation) -> None:
    assert Client().get(_url(mediation)).status_code == 401


def test_bad_input_is_422_naming_the_field_and_changes_nothing(mediation: Mediation) -> None:
    manager = Api(mediation.manager)
    refused = manager.send("post", _url(mediation), {"text": REFUSED, "pii_confirmed": True})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "text"]
    warned = manager.send("post", _url(mediation), {"text": WARNED})
    assert warned.status_code == 422
    assert warned.json()["detail"][0] == {**warned.json()["detail"][0], "loc": ["body", "text"],
                                          "type": "pii_unconfirmed"}  # fmt: skip
    empty = manager.send("post", _url(mediation), {"text": ""})
    assert (empty.status_code, empty.json()["detail"][0]["loc"]) == (422, ["body", "text"])
    missing = manager.send("patch", _url(mediation), {"status": "resolved"})
    assert (missing.status_code, missing.json()["detail"][0]["loc"]) == (422, ["body", "outcome"])
    wrong = manager.send("patch", _url(mediation), {"status": "closed", "outcome": OUTCOME})
    assert (wrong.status_code, wrong.json()["detail"][0]["loc"]) == (422, ["body", "status"])
    nul = manager.send("post", _url(mediation), {"text": "a\x00b"})
    assert nul.status_code == 422
    assert not ThreadReply.objects.exists()
    assert SharedThread.objects.get().status == "open"
    confirmed = manager.send("post", _url(mediation), {"text": WARNED, "pii_confirmed": True})
    assert confirmed.status_code == 201


def test_the_thread_takes_the_same_queries_with_one_reply_or_many(
    mediation: Mediation, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    liaison = Api(mediation.liaison)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert liaison.get(_url(mediation)).status_code == 200
        return len(captured)

    thread_reply_post(thread=mediation.thread, author=mediation.manager,
                      author_role="manager", text=SITE_REPLY)  # fmt: skip
    one = count()
    for _ in range(15):
        thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                          author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    assert count() == one
