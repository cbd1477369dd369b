"""What waits on the home page: managers are told of a new reply, liaisons of a complete
month with no reply yet — in a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from agreements.access import forget_roles, roles_by_site
from agreements.choices import Role
from agreements.models import Membership
from score_replies.services import score_reply_write
from score_replies.waiting import waiting
from tests.conftest import World
from tests.factories import AssignmentFactory, SiteFactory
from tests.score_replies.conftest import REPLY

pytestmark = pytest.mark.django_db


def kinds(world: World, role: str) -> list[tuple[int, str, str]]:
    user = world.users[role]
    forget_roles(user)
    return [(w.site_id, w.kind, w.url) for w in waiting(user, roles_by_site(user))]


def test_the_liaison_is_told_while_the_newest_complete_month_has_no_reply(world: World) -> None:
    assert kinds(world, "liaison") == [
        (world.site.pk, "score_reply_window", "/sites/riverside/score-replies/?month=2026-05")
    ]
    score_reply_write(site=world.site, month="2026-05", text=REPLY, actor=world.users["liaison"])
    assert kinds(world, "liaison") == []


def test_the_window_closes_thirty_days_after_the_month(world: World) -> None:
    with time_machine.travel(datetime(2026, 7, 1, 3, 0, tzinfo=UTC), tick=False):
        # Still 30 June in Toronto: June is not complete, May's window closes today.
        assert [k for _, k, _ in kinds(world, "liaison")] == ["score_reply_window"]
    with time_machine.travel(datetime(2026, 7, 31, 16, 0, tzinfo=UTC), tick=False):
        assert kinds(world, "liaison") == []  # June ended 31 days ago


def test_managers_are_told_of_a_reply_for_fourteen_days(world: World) -> None:
    assert kinds(world, "manager") == []
    score_reply_write(site=world.site, month="2026-05", text=REPLY, actor=world.users["liaison"])
    assert kinds(world, "manager") == [
        (world.site.pk, "score_reply_new", "/sites/riverside/score-replies/?month=2026-05")
    ]
    [line] = waiting(world.users["manager"], roles_by_site(world.users["manager"]))
    assert "May 2026" in line.text
    assert "Reply-5e1d" not in line.text
    assert kinds(world, "other_manager") == []
    assert kinds(world, "researcher") == []
    with time_machine.travel(datetime(2026, 6, 25, 16, 0, tzinfo=UTC), tick=False):
        assert kinds(world, "manager") == []


def test_a_constant_number_of_queries_whatever_the_number_of_sites(
    world: World, django_assert_max_num_queries: Any
) -> None:
    liaison, manager = world.users["liaison"], world.users["manager"]
    officer = liaison.liaison_officer  # type: ignore[union-attr]
    for n in range(8):
        site = SiteFactory(slug=f"more-{n}")
        AssignmentFactory(officer=officer, site=site, role="backup")
        Membership.objects.create(user=manager, role=Role.MANAGER, site=site)
        if n % 2:
            score_reply_write(site=site, month="2026-05", text=REPLY, actor=liaison)
    # The liaison: riverside and the four sites without a reply; the manager: four replies.
    for user, expected in ((liaison, 5), (manager, 4)):
        forget_roles(user)
        roles = roles_by_site(user)
        with django_assert_max_num_queries(2):
            found = waiting(user, roles)
        assert len(found) == expected, user
