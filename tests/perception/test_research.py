"""The research form, end to end: what a researcher reads of two sites' closed rounds,
on the scorecard and through the API, and the attack on the network mean."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from agreements.choices import Role
from agreements.models import Site
from perception.models import SelfAssessmentRating, SelfAssessmentResponse, SelfAssessmentRound
from tests.conftest import make_user
from tests.factories import SiteFactory, UserFactory
from tests.perception.helpers import KEYS

pytestmark = pytest.mark.django_db

COMMENT = "Meetings slipped twice this spring."


def closed_round(site: Site, managers: int, liaisons: int, manager_rating: int) -> None:
    """A round closed in March 2026, answered by `managers` at `manager_rating` and
    `liaisons` at 3 (test data written directly: the services are tested elsewhere)."""
    round_ = SelfAssessmentRound.objects.create(
        site=site, instrument="v1", opened_on=date(2026, 3, 1), closes_on=date(2026, 3, 20),
        closed_on=date(2026, 3, 15),
    )  # fmt: skip
    for side, count, rating in (("manager", managers, manager_rating), ("liaison", liaisons, 3)):
        for _ in range(count):
            response = SelfAssessmentResponse.objects.create(
                round=round_, side=side, respondent=UserFactory()
            )
            SelfAssessmentRating.objects.bulk_create(
                SelfAssessmentRating(response=response, statement=k, rating=rating, comment=COMMENT)
                for k in KEYS
            )


@time_machine.travel(datetime(2026, 5, 10, 12, tzinfo=ZoneInfo("America/Toronto")))
def test_a_researcher_cannot_recover_a_small_rounds_gap_from_the_network_mean(
    client: Client,
) -> None:
    big = SiteFactory(slug="riverside")
    small = SiteFactory(slug="eastside")
    closed_round(big, managers=6, liaisons=6, manager_rating=5)  # gap 50, 12 respondents
    closed_round(small, managers=1, liaisons=1, manager_rating=4)  # gap 25, 2 respondents
    client.force_login(make_user(Role.RESEARCHER))

    big_view = client.get("/api/v1/sites/riverside/perception").json()
    [published] = big_view["rounds"]
    assert published["respondents"] == 12
    assert {c["gap"] for c in published["factors"]} == {50.0}
    small_view = client.get("/api/v1/sites/eastside/perception").json()
    [hidden] = small_view["rounds"]
    assert hidden["respondents"] is None
    assert all(c["suppressed"] and c["gap"] is None for c in hidden["factors"])
    # The mean over both would be 37.5, and 2 × 37.5 − 50 = 25: the small round's gap.
    for view in (big_view, small_view):
        [quarter] = view["network"]
        assert quarter["quarter"] == "2026-Q1"
        assert all(c["suppressed"] and c["mean_gap"] is None for c in quarter["factors"])
    text = json.dumps([big_view, small_view])
    assert "37.5" not in text
    assert "25.0" not in text
    assert COMMENT not in text

    page = client.get("/sites/eastside/score/").content.decode()
    assert 'data-testid="network-gaps"' in page
    assert "37.5" not in page
    assert COMMENT not in page


@time_machine.travel(datetime(2026, 5, 10, 12, tzinfo=ZoneInfo("America/Toronto")))
def test_small_rounds_together_holding_t_respondents_give_a_network_mean(
    client: Client, settings: Any
) -> None:
    settings.HR_POLICE_SUPPRESSION_THRESHOLD = 4
    for slug, rating in (("riverside", 5), ("eastside", 4)):
        closed_round(SiteFactory(slug=slug), managers=1, liaisons=1, manager_rating=rating)
    SiteFactory(slug="refuses", research_consent=False)
    client.force_login(make_user(Role.RESEARCHER))
    view = client.get("/api/v1/sites/riverside/perception").json()
    [quarter] = view["network"]
    assert {c["mean_gap"] for c in quarter["factors"]} == {37.5}
    assert all(c["rounds"] == 2 for c in quarter["factors"])
    assert client.get("/api/v1/sites/refuses/perception").status_code == 404
