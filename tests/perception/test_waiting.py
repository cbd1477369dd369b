"""What waits on the home page: an open round the user has not answered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from agreements.access import roles_by_site
from perception.models import SelfAssessmentRound
from perception.services import round_close
from perception.waiting import KIND, waiting
from tests.conftest import World
from tests.factories import SiteFactory
from tests.perception.helpers import answered, opened

pytestmark = pytest.mark.django_db


def lines(user: Any) -> list[Any]:
    return waiting(user, roles_by_site(user))


def test_an_open_round_waits_for_each_respondent_until_they_answer(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    for role in ("manager", "liaison"):
        [line] = lines(world.users[role])
        assert (line.kind, line.site_id) == (KIND, world.site.pk)
        assert line.url.endswith(f"/self-assessment/{round_.pk}/")
    answered(round_, world.users["liaison"])
    assert lines(world.users["liaison"]) == []
    assert len(lines(world.users["manager"])) == 1
    for role in ("admin", "researcher", "other_manager"):
        assert lines(world.users[role]) == [], role


def test_a_closed_or_past_round_waits_for_no_one(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    SelfAssessmentRound.objects.filter(pk=round_.pk).update(
        opened_on=world.site.today() - timedelta(days=9),
        closes_on=world.site.today() - timedelta(days=1),
    )
    assert lines(world.users["manager"]) == []
    fresh = opened(world.site, world.users["manager"])
    round_close(round_=fresh, actor=world.users["manager"])
    assert lines(world.users["liaison"]) == []


def test_one_query_whatever_the_number_of_sites(
    world: World, django_assert_num_queries: Any
) -> None:
    from agreements.choices import Role
    from agreements.models import Membership

    manager = world.users["manager"]
    for _ in range(5):
        site = SiteFactory()
        Membership.objects.create(user=manager, role=Role.MANAGER, site=site)
        opened(site, manager)
    roles = roles_by_site(manager)
    with django_assert_num_queries(1):
        assert len(waiting(manager, roles)) == 5
