"""The self-assessment pages, the liaison's perception page and the scorecard's section:
what each role reads, the independence rule, scope, bad input and query counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.choices import Role
from perception.models import SelfAssessmentResponse, SelfAssessmentRound
from perception.services import round_close
from tests.conftest import World, make_user
from tests.factories import CheckInFactory
from tests.perception.helpers import (
    DESCRIBED,
    KEYS,
    answered,
    form_data,
    liaison_of,
    opened,
)

pytestmark = pytest.mark.django_db

MANAGER_COMMENT = "Meetings slipped twice this spring."
POLICE_COMMENT = "Our shift changes made the monthly meeting hard."


def as_user(client: Client, user: User | None) -> Client:
    assert user is not None
    client.force_login(user)
    return client


def rounds_url(world: World) -> str:
    return reverse("perception:rounds", kwargs={"slug": world.site.slug})


def detail_url(round_: SelfAssessmentRound) -> str:
    return reverse("perception:round_detail", kwargs={"slug": round_.site.slug, "pk": round_.pk})


def perception_url(world: World) -> str:
    return reverse("agreements:site_perception", kwargs={"slug": world.site.slug})


def score_url(world: World) -> str:
    return reverse("agreements:site_score", kwargs={"slug": world.site.slug})


def test_a_manager_opens_a_round_from_the_page(client: Client, world: World) -> None:
    as_user(client, world.users["manager"])
    page = client.get(rounds_url(world))
    assert "Open a round" in page.content.decode()
    day = world.site.today() + timedelta(days=20)
    url = reverse("perception:round_open", kwargs={"slug": world.site.slug})
    response = client.post(url, {"closes_on": f"{day:%Y-%m-%d}"})
    assert response.status_code == 302
    assert SelfAssessmentRound.objects.get().closes_on == day


@pytest.mark.parametrize("value", ["", "not-a-day", "1989-01-01", "2999-12-31"])
def test_a_bad_closing_day_names_the_field_and_opens_nothing(
    client: Client, world: World, value: str
) -> None:
    as_user(client, world.users["manager"])
    url = reverse("perception:round_open", kwargs={"slug": world.site.slug})
    response = client.post(url, {"closes_on": value})
    assert response.status_code == 422
    assert "Last day to answer" in response.content.decode()
    assert not SelfAssessmentRound.objects.exists()


def test_a_liaison_answers_on_the_page(client: Client, world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    as_user(client, world.users["liaison"])
    page = client.get(detail_url(round_)).content.decode()
    assert "Your answers, for police" in page
    response = client.post(detail_url(round_), form_data(4, POLICE_COMMENT))
    assert response.status_code == 302
    response_row = SelfAssessmentResponse.objects.get()
    assert response_row.side == "liaison"
    assert response_row.respondent == world.users["liaison"]


def test_a_missing_rating_is_named_and_nothing_is_saved(client: Client, world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    as_user(client, world.users["liaison"])
    data = form_data(4)
    del data[f"rating_{KEYS[3]}"]
    response = client.post(detail_url(round_), data)
    assert response.status_code == 422
    assert "Rate this statement from 1 to 5." in response.content.decode()
    assert not SelfAssessmentResponse.objects.exists()


def test_a_warned_comment_asks_for_confirmation_on_the_page(client: Client, world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    as_user(client, world.users["manager"])
    response = client.post(detail_url(round_), form_data(3, DESCRIBED))
    assert response.status_code == 422
    page = response.content.decode()
    assert "This seems to describe a client" in page
    assert "This text describes police, not a client" in page
    assert not SelfAssessmentResponse.objects.exists()
    confirmed = client.post(detail_url(round_), form_data(3, DESCRIBED, pii_confirmed="on"))
    assert confirmed.status_code == 302
    assert SelfAssessmentResponse.objects.count() == 1


def test_neither_side_reads_the_other_before_both_have_answered(
    client: Client, world: World
) -> None:
    round_ = opened(world.site, world.users["manager"])
    answered(round_, world.users["manager"], 5, comment=MANAGER_COMMENT)
    as_user(client, world.users["liaison"])
    before = client.get(detail_url(round_)).content.decode()
    assert MANAGER_COMMENT not in before
    assert "appear here once both sides have answered" in before
    # The liaison's perception page shows no figure of the round either.
    page = client.get(perception_url(world)).content.decode()
    assert 'data-testid="perception-table"' not in page
    client.post(detail_url(round_), form_data(2, POLICE_COMMENT))
    after = client.get(detail_url(round_)).content.decode()
    assert MANAGER_COMMENT in after
    assert POLICE_COMMENT in after
    # And the manager, who answered first, now reads the liaison's answers.
    as_user(client, world.users["manager"])
    assert POLICE_COMMENT in client.get(detail_url(round_)).content.decode()


def test_closing_the_round_reveals_one_sides_answers_to_the_other(
    client: Client, world: World
) -> None:
    round_ = opened(world.site, world.users["manager"])
    answered(round_, world.users["manager"], 5, comment=MANAGER_COMMENT)
    as_user(client, world.users["liaison"])
    assert MANAGER_COMMENT not in client.get(detail_url(round_)).content.decode()
    round_close(round_=round_, actor=world.users["manager"])
    assert MANAGER_COMMENT in client.get(detail_url(round_)).content.decode()


def revealed_round(world: World) -> SelfAssessmentRound:
    """A round where the manager rates everything 5 and the liaison 3: every gap is 50."""
    round_ = opened(world.site, world.users["manager"])
    answered(round_, world.users["manager"], 5, comment=MANAGER_COMMENT)
    answered(round_, world.users["liaison"], 3, comment=POLICE_COMMENT)
    return round_


def table_rows(page: str) -> dict[str, str]:
    """The perception table's rows, by factor key, as text without tags."""
    import re

    rows = re.findall(r'<tr data-factor="(\w+)">(.*?)</tr>', page, re.S)
    return {key: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip() for key, body in rows}


def test_the_liaison_reads_the_computed_score_of_the_liaison_factor_only(
    client: Client, world: World
) -> None:
    revealed_round(world)
    CheckInFactory(site=world.site, status="scheduled",
                   scheduled_start=datetime.now().astimezone() + timedelta(days=9))  # fmt: skip
    as_user(client, world.users["liaison"])
    page = client.get(perception_url(world)).content.decode()
    rows = table_rows(page)
    assert list(rows) == ["early_engagement", "senior_support", "dedicated_liaison",
                          "entry_presence_agreement", "regular_contact"]  # fmt: skip
    for key, text in rows.items():
        # Factor, computed, manager, liaison, gap: the computed cell is "—" but for F3.
        assert "100.0 50.0 50.0" in text, text
        if key != "dedicated_liaison":
            assert " — 100.0" in text, text
    assert " — 100.0" not in rows["dedicated_liaison"]
    assert "topic for the next check-in" in page
    assert 'data-testid="gap-note"' in page


def test_the_manager_reads_every_computed_score_beside_the_perceptions(
    client: Client, world: World
) -> None:
    revealed_round(world)
    as_user(client, world.users["manager"])
    rows = table_rows(client.get(score_url(world)).content.decode())
    assert len(rows) == 5
    assert not any(" — 100.0" in text for text in rows.values())


def test_researchers_read_no_comment_and_no_small_rounds_ratings(
    client: Client, world: World
) -> None:
    round_ = revealed_round(world)
    round_close(round_=round_, actor=world.users["manager"])
    as_user(client, world.users["researcher"])
    page = client.get(score_url(world)).content.decode()
    assert 'data-testid="research-gaps"' in page
    assert "&lt;10 respondents" in page
    assert MANAGER_COMMENT not in page
    assert POLICE_COMMENT not in page
    assert "50.0" not in page
    assert 'data-testid="perception-table"' not in page
    # Nor the round's own pages.
    assert client.get(detail_url(round_)).status_code == 403
    assert client.get(rounds_url(world)).status_code == 403


def test_a_liaison_of_another_site_gets_404_everywhere(client: Client, world: World) -> None:
    round_ = revealed_round(world)
    as_user(client, liaison_of(world.other_site, "liaison-eastside", "5522"))
    for url in (rounds_url(world), detail_url(round_), perception_url(world)):
        assert client.get(url).status_code == 404, url
    assert client.post(detail_url(round_), form_data(1)).status_code == 404
    assert SelfAssessmentResponse.objects.count() == 2


def test_another_sites_round_is_404_under_this_site(client: Client, world: World) -> None:
    other_manager = world.users["other_manager"]
    assert other_manager is not None
    theirs = opened(world.other_site, other_manager)
    as_user(client, world.users["manager"])
    url = reverse("perception:round_detail", kwargs={"slug": world.site.slug, "pk": theirs.pk})
    assert client.get(url).status_code == 404


def test_an_admin_reads_but_does_not_answer(client: Client, world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    as_user(client, world.users["admin"])
    assert "Submit my answers" not in client.get(detail_url(round_)).content.decode()
    assert client.post(detail_url(round_), form_data(3)).status_code == 403
    assert not SelfAssessmentResponse.objects.exists()


def count_queries(client: Client, url: str) -> int:
    cache.clear()  # scores computed each time, so that both counts include them
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def many_rounds(world: World, count: int, extra: list[User]) -> SelfAssessmentRound:
    """`count` closed rounds answered by both sides (and more respondents), and one open."""
    for _ in range(count):
        round_ = revealed_round(world)
        for user in extra:
            answered(round_, user, 4, comment=MANAGER_COMMENT)
        round_close(round_=round_, actor=world.users["manager"])
        SelfAssessmentRound.objects.filter(pk=round_.pk).update(
            opened_on=world.site.today() - timedelta(days=40), closed_on=world.site.today()
        )
    return opened(world.site, world.users["manager"])


@pytest.mark.parametrize("role", ["manager", "liaison", "researcher"])
def test_pages_take_the_same_queries_with_1_and_8_rounds(
    client: Client, world: World, role: str, django_assert_max_num_queries: Any
) -> None:
    extra = [make_user(Role.MANAGER, site=world.site, username=f"m{i}") for i in range(3)]
    current = many_rounds(world, 1, extra)
    as_user(client, world.users[role])
    urls = [score_url(world)] if role == "researcher" else [
        rounds_url(world), detail_url(current), perception_url(world)
    ] + ([score_url(world)] if role == "manager" else [])  # fmt: skip
    small = [count_queries(client, url) for url in urls]
    round_close(round_=current, actor=world.users["manager"])
    SelfAssessmentRound.objects.filter(pk=current.pk).update(closed_on=world.site.today())
    current = many_rounds(world, 7, extra)
    urls = [score_url(world)] if role == "researcher" else [
        rounds_url(world), detail_url(current), perception_url(world)
    ] + ([score_url(world)] if role == "manager" else [])  # fmt: skip
    large = []
    for url in urls:
        with django_assert_max_num_queries(25):
            large.append(count_queries(client, url))
    assert large == small
