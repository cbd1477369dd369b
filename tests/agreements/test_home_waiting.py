"""The home page shows what waits for each user (issue 18, part 4): a liaison sees an
unanswered thread, the month's reply window, an open self-assessment round and a protocol
version to acknowledge, each linked, on their site's card; the page's queries do not grow
with the number of sites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from agreements.choices import Role
from agreements.models import Membership
from liaisons.models import LiaisonOfficer
from mediation.models import SharedThread
from mediation.services import thread_reply_post
from tests.conftest import World
from tests.factories import (
    AssignmentFactory,
    InteractionFactory,
    SignedProtocolFactory,
    SiteFactory,
)
from tests.mediation.fixtures import SITE_REPLY, share
from tests.perception.helpers import opened

pytestmark = pytest.mark.django_db

# Ten days after November ended everywhere: November is the month a liaison may answer.
NOW = datetime(2026, 12, 10, 17, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _home(user: Any) -> str:
    client = Client()
    client.force_login(user)
    answer = client.get(reverse("agreements:home"))
    assert answer.status_code == 200
    return answer.content.decode()


def _everything_waits(world: World) -> None:
    manager = world.users["manager"]
    thread = share(InteractionFactory(site=world.site), manager)
    thread_reply_post(thread=thread, author=manager, author_role="manager", text=SITE_REPLY)
    opened(world.site, manager)
    SignedProtocolFactory(
        site=world.site, version=7, effective_from=world.site.today() + timedelta(days=5)
    )


def test_a_liaison_sees_every_thing_that_waits_on_their_site_card(world: World) -> None:
    _everything_waits(world)
    page = _home(world.users["liaison"])
    for kind in ("thread_reply", "score_reply_window", "self_assessment_open",
                 "protocol_to_acknowledge"):  # fmt: skip
        assert f"waiting-{kind}" in page, kind
    assert "4 things wait for you." in page
    # Another site's manager is waited on for nothing of this site.
    assert "wait for you" not in _home(world.users["other_manager"])


def test_a_manager_is_told_of_the_police_reply_and_the_open_round(world: World) -> None:
    _everything_waits(world)
    liaison = world.users["liaison"]
    thread = SharedThread.objects.get()
    thread_reply_post(thread=thread, author=liaison, author_role="liaison", text=SITE_REPLY)
    page = _home(world.users["manager"])
    assert "waiting-thread_reply" in page
    assert "waiting-self_assessment_open" in page
    assert "waiting-protocol_to_acknowledge" not in page  # police acknowledge, not managers


def test_researchers_are_waited_on_for_nothing(world: World) -> None:
    _everything_waits(world)
    page = _home(world.users["researcher"])
    assert "wait for you" not in page
    assert "waiting-" not in page


def test_the_home_page_queries_do_not_grow_with_sites(
    world: World, django_assert_max_num_queries: Any
) -> None:
    liaison = world.users["liaison"]
    _everything_waits(world)
    client = Client()
    client.force_login(liaison)
    url = reverse("agreements:home")
    client.get(url)
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    officer = LiaisonOfficer.objects.get(user=liaison)
    for n in range(4):
        site = SiteFactory(slug=f"more-{n}", name=f"More Site {n}")
        Membership.objects.create(user=world.users["manager"], role=Role.MANAGER, site=site)
        AssignmentFactory(officer=officer, site=site, start=site.today() - timedelta(days=60))
        opened(site, world.users["manager"])
    # Four more sites, each with its round and its reply window: 4 + 8 lines.
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert "12 things wait for you." in page
