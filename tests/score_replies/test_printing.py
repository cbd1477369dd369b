"""The reply printed beside the score in the manager and liaison editions, and in nothing
a researcher reads: the research edition, the research CSV, the dashboard."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from pypdf import PdfReader

from reports.editions import build_report
from score_replies.services import score_reply_write
from tests.conftest import World
from tests.score_replies.conftest import REPLY

pytestmark = pytest.mark.django_db
MAY_END = date(2026, 5, 31)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def replied(world: World) -> World:
    score_reply_write(site=world.site, month="2026-05", text=REPLY, actor=world.users["liaison"])
    return world


@pytest.mark.parametrize("edition", ["manager", "liaison"])
def test_the_manager_and_liaison_editions_print_the_reply_marked_as_police_words(
    replied: World, edition: str
) -> None:
    text = text_of(build_report(replied.site, edition, as_of=MAY_END))
    assert "The police service's reply (their words, not the site's)" in text
    assert "Lakeport Police Service, about the May 2026 scorecard" in text
    assert "Reply-5e1d: our officers kept out of the buffer all month" in text


def test_an_edition_of_an_earlier_month_prints_no_later_reply(replied: World) -> None:
    text = text_of(build_report(replied.site, "manager", as_of=date(2026, 5, 15)))
    assert "Reply-5e1d" not in text


def test_the_research_edition_never_prints_a_reply(replied: World) -> None:
    for day in (MAY_END, date(2026, 6, 9)):
        assert "Reply-5e1d" not in text_of(build_report(replied.site, "research", as_of=day))


def test_nothing_a_researcher_downloads_holds_the_reply(replied: World) -> None:
    client = Client()
    client.force_login(replied.users["researcher"])
    for url in (
        "/sites/riverside/report/research.pdf?as_of=2026-05-31",
        "/api/v1/exports/interactions.csv?from=2026-01&to=2026-05",
        "/api/v1/sites/riverside/score?as_of=2026-05-31",
        "/sites/riverside/score/?as_of=2026-05-31",
        "/dashboard/",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = answer.getvalue()
        if body.startswith(b"%PDF"):
            body = text_of(body).encode()
        assert b"Reply-5e1d" not in body, url
