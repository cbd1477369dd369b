"""The reply page (liaisons write, managers read every wording) and the reply printed
beside the score on the scorecard page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from agreements.choices import Role
from score_replies.models import ScoreReply
from score_replies.services import score_reply_write
from tests.conftest import World, make_user
from tests.factories import AssignmentFactory, OfficerFactory
from tests.score_replies.conftest import REPLY, REWORDED

pytestmark = pytest.mark.django_db

PAGE = "/sites/riverside/score-replies/"
MARK = "The police service's reply (their words, not the site's)"


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def reply(world: World, text: str = REPLY, month: str = "2026-05") -> ScoreReply:
    return score_reply_write(site=world.site, month=month, text=text, actor=world.users["liaison"])[
        0
    ]


def test_the_liaison_writes_the_reply_for_a_chosen_month(world: World) -> None:
    client = signed_in(world, "liaison")
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "What the liaison edition says for May 2026" in html
    assert "Dedicated liaison" in html
    assert "/sites/riverside/report/liaison.pdf?as_of=2026-05-31" in html
    answer = client.post(f"{PAGE}?month=2026-04", {"month": "2026-04", "text": REPLY})
    assert answer.status_code == 302
    assert answer["Location"] == f"{PAGE}?month=2026-04"
    assert ScoreReply.objects.get().month.isoformat() == "2026-04-01"
    shown = client.get(answer["Location"]).content.decode()
    assert REPLY.replace("'", "&#x27;") in shown
    assert MARK in shown


def test_the_liaison_page_shows_no_total_nor_interaction_factor(world: World) -> None:
    html = signed_in(world, "liaison").get(PAGE).content.decode()
    for word in ("Compliance", "Agreement on police entry", "Relationship score", "Total"):
        assert word not in html, word


def test_the_liaison_nav_links_to_the_reply_page(world: World) -> None:
    html = signed_in(world, "liaison").get("/sites/riverside/upcoming/").content.decode()
    assert f'href="{PAGE}"' in html


def test_a_warning_is_confirmed_with_the_box_and_a_refusal_names_the_field(world: World) -> None:
    client = signed_in(world, "liaison")
    warned = "We saw the man with the spiderweb tattoo near the door."
    answer = client.post(PAGE, {"month": "2026-05", "text": warned})
    assert answer.status_code == 422
    assert "pii_confirmed" in answer.content.decode()
    assert not ScoreReply.objects.exists()
    answer = client.post(PAGE, {"month": "2026-05", "text": warned, "pii_confirmed": "on"})
    assert answer.status_code == 302
    refused = client.post(PAGE, {"month": "2026-05", "text": "Write to jo@example.org"})
    assert refused.status_code == 422
    assert "Your service&#x27;s reply" in refused.content.decode()
    assert ScoreReply.objects.get().text == warned


def test_a_month_refused_by_the_rule_is_a_message_on_the_page(world: World) -> None:
    answer = signed_in(world, "liaison").post(PAGE, {"month": "2026-06", "text": REPLY})
    assert answer.status_code == 422
    assert "This month has not ended at the site yet" in answer.content.decode()
    assert not ScoreReply.objects.exists()


@pytest.mark.parametrize("month", ["2026-06", "nonsense", "1989-01", "2026-13"])
def test_a_bad_month_in_the_query_string_says_so_and_shows_the_newest(
    world: World, month: str
) -> None:
    answer = signed_in(world, "manager").get(f"{PAGE}?month={month}")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Month:" in html
    assert 'id="month-error"' in html
    assert "What the liaison edition says for May 2026" in html


def test_managers_read_every_wording_but_may_not_write(world: World) -> None:
    reply(world)
    reply(world, REWORDED)
    client = signed_in(world, "manager")
    html = client.get(f"{PAGE}?month=2026-05").content.decode()
    assert REWORDED in html
    assert REPLY.replace("'", "&#x27;") in html
    assert "2 wordings, newest first" in html
    assert "Save the reply" not in html
    answer = client.post(PAGE, {"month": "2026-05", "text": "From a manager."})
    assert answer.status_code == 403
    assert ScoreReply.objects.get().text == REWORDED


def test_another_sites_liaison_gets_404_and_a_researcher_403(world: World) -> None:
    reply(world)
    other = make_user(Role.LIAISON, username="liaison-east")
    AssignmentFactory(officer=OfficerFactory(user=other), site=world.other_site)
    client = Client()
    client.force_login(other)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"month": "2026-05", "text": "x"}).status_code == 404
    researcher = signed_in(world, "researcher")
    answer = researcher.get(PAGE)
    assert answer.status_code == 403
    assert "Reply-5e1d" not in answer.content.decode()


def test_the_scorecard_prints_the_reply_of_the_month_the_score_closes(world: World) -> None:
    reply(world)
    client = signed_in(world, "manager")
    for day in ("2026-05-31", "2026-06-09"):  # the month's end, and a day of the next month
        html = client.get(f"/sites/riverside/score/?as_of={day}").content.decode()
        assert MARK in html, day
        assert "Lakeport Police Service" in html, day
        assert REPLY.replace("'", "&#x27;") in html, day
    html = client.get("/sites/riverside/score/?as_of=2026-05-30").content.decode()
    assert "Reply-5e1d" not in html  # April's score: May has not closed yet on that day


def test_a_researcher_sees_no_reply_on_the_scorecard(world: World) -> None:
    reply(world)
    html = signed_in(world, "researcher").get("/sites/riverside/score/?as_of=2026-05-31")
    assert html.status_code == 200
    assert "Reply-5e1d" not in html.content.decode()
    assert "their words, not the site" not in html.content.decode()


def test_the_page_keeps_its_query_count_with_many_replies_and_versions(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(world, "manager")
    reply(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{PAGE}?month=2026-05").status_code == 200
        return len(captured)

    client.get(PAGE)  # fill the score cache, as any later visit finds it
    one = count()
    for n in range(6):
        reply(world, f"{REWORDED} ({n})")
    for month in ("2026-04", "2026-03", "2026-02", "2026-01", "2025-12"):
        reply(world, month=month)
    client.get(PAGE)
    assert count() == one
