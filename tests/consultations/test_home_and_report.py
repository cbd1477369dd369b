"""What waits on the home page (managers: comments to answer; the community body: a
consultation closing soon), with a constant number of queries, and the consultation
record of the manager edition (never in the liaison or research edition)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agreements.access import forget_roles
from agreements.choices import Role
from agreements.models import Membership
from consultations.services import comment_add, comment_answer, consultation_open
from reports.editions import report_html
from tests.consultations.fixtures import ANSWER, COMMENT, REWORDED, Setting
from tests.factories import ProtocolFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _home(user: Any) -> str:
    client = Client()
    client.force_login(user)
    answer = client.get(reverse("agreements:home"))
    assert answer.status_code == 200
    return answer.content.decode()


def test_a_manager_is_waited_on_for_unanswered_comments(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    comment_add(consultation=consultation, author=setting.community, text=COMMENT + " Also.")
    page = _home(setting.manager)
    assert "waiting-consultation_unanswered" in page
    assert "2 community comments on the protocol wait for your answer." in page
    comment_answer(comment=comment, author=setting.manager, text=ANSWER)
    assert "1 community comment on the protocol waits for your answer." in _home(setting.manager)
    # Police, researchers and the community body are not waited on for answers.
    for role in ("liaison", "researcher", "community"):
        assert "waiting-consultation_unanswered" not in _home(setting.world.users[role])


def test_the_community_is_told_of_a_consultation_closing_soon(setting: Setting) -> None:
    setting.open(days=30)
    assert "waiting-consultation_closing" not in _home(setting.community)
    site = setting.world.site
    later = ProtocolFactory(site=site, version=3, created_on=site.today())
    consultation_open(protocol=later, closes_on=site.today() + timedelta(days=3),
                      actor=setting.manager)  # fmt: skip
    page = _home(setting.community)
    assert "waiting-consultation_closing" in page
    assert "Protocol version 3 is open for your comments until" in page
    for role in ("manager", "liaison"):
        assert "waiting-consultation_closing" not in _home(setting.world.users[role])


def test_the_home_page_queries_do_not_grow_with_sites(
    setting: Setting, django_assert_max_num_queries: Any
) -> None:
    consultation = setting.open(days=3)
    comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    url = reverse("agreements:home")
    clients = {}
    for user in (setting.manager, setting.community):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
        clients[user.pk].get(url)
    counts = {}
    for pk, client in clients.items():
        with django_assert_max_num_queries(100) as few:
            client.get(url)
        counts[pk] = len(few)
    for n in range(3):
        site = SiteFactory(slug=f"more-{n}", name=f"More Site {n}", community_oversight=True)
        Membership.objects.create(user=setting.manager, role=Role.MANAGER, site=site)
        Membership.objects.create(user=setting.community, role=Role.COMMUNITY, site=site)
        forget_roles(setting.manager)
        draft = ProtocolFactory(site=site, version=1, created_on=site.today())
        more = consultation_open(protocol=draft, closes_on=site.today() + timedelta(days=2),
                                 actor=setting.manager)  # fmt: skip
        forget_roles(setting.manager)
        forget_roles(setting.community)
        comment_add(consultation=more, author=setting.community, text=COMMENT)
    for user in (setting.manager, setting.community):
        with django_assert_max_num_queries(counts[user.pk]):
            page = clients[user.pk].get(url).content.decode()
        kind = "unanswered" if user == setting.manager else "closing"
        assert page.count(f"waiting-consultation_{kind}") == 4


def test_the_manager_edition_prints_the_consultation_record(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    comment_answer(comment=comment, author=setting.manager, text=ANSWER)
    comment_answer(comment=comment, author=setting.manager, text=REWORDED)
    unanswered = COMMENT.replace("3a9f", "3a9g")
    comment_add(consultation=consultation, author=setting.community, text=unanswered)
    html = report_html(setting.world.site, "manager")
    record = html[html.index("Community consultation on the protocol") :]
    assert "Version 2 (Draft)" in record
    assert COMMENT in record
    assert REWORDED in record
    assert unanswered in record
    assert "Not answered yet." in record
    assert ANSWER not in record  # the answer as it stands, marked edited
    assert "edited" in record
    for edition in ("liaison", "research"):
        other = report_html(setting.world.site, edition)
        assert COMMENT not in other
        assert "consultation" not in other.lower()
