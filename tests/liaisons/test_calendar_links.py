"""Secret calendar links and the calendar API (SPEC §2, §7): made by whom may, shown
once, stored as a hash, revocable, audited on every download, never with the token."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse

from agreements.audit import Action, AuditEntry
from agreements.choices import Role
from agreements.models import Membership, Site
from liaisons.models import CalendarFeed, LiaisonOfficer
from tests.conftest import World, make_user
from tests.factories import TORONTO, AssignmentFactory, CheckInFactory, OfficerFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, tzinfo=TORONTO)
TOKEN_URL = re.compile(r"http://testserver/calendar/([A-Za-z0-9_-]+)\.ics")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def page(slug: str = "riverside") -> str:
    return reverse("liaisons:calendar_links", kwargs={"slug": slug})


def make_link(client: Any, slug: str = "riverside", **data: str) -> str:
    """Make a link through the page; return the token the page showed."""
    response = client.post(page(slug), {"subject": "site", "label": "front desk", **data})
    assert response.status_code == 200, response.content
    found = TOKEN_URL.findall(response.content.decode())
    assert len(found) == 1
    return str(found[0])


def feed_url(token: str) -> str:
    return reverse("liaisons:calendar_feed", kwargs={"token": token})


def liaison_officer(world: World) -> LiaisonOfficer:
    return LiaisonOfficer.objects.get(user=world.users["liaison"])


# --- making, showing once, revoking -----------------------------------------------------------


def test_it_shows_a_new_link_once_and_keeps_only_its_hash(
    manager_client: Any, site: Site, manager: User
) -> None:
    token = make_link(manager_client)
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (feed.site, feed.officer, feed.created_by) == (site, None, manager)
    assert len(token) >= 43  # 256 random bits
    again = manager_client.get(page())
    assert token not in again.content.decode()
    assert "front desk" in again.content.decode()


def test_it_serves_the_site_feed_to_whoever_holds_the_link(manager_client: Any, site: Site) -> None:
    checkin = CheckInFactory(site=site, scheduled_start=datetime(2026, 6, 9, 10, tzinfo=TORONTO))
    token = make_link(manager_client)
    client = manager_client
    client.logout()
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="riverside-checkins.ics"'
    assert f"UID:checkin-{checkin.pk}@hr-police".encode() in response.content


def test_it_answers_404_to_an_unknown_token(client: Any, site: Site) -> None:
    assert client.get(feed_url("no-such-token")).status_code == 404


def test_it_answers_404_once_a_link_is_revoked(manager_client: Any, site: Site) -> None:
    token = make_link(manager_client)
    feed = CalendarFeed.objects.get()
    revoke = reverse("liaisons:calendar_link_revoke", kwargs={"slug": "riverside", "pk": feed.pk})
    assert manager_client.post(revoke).status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert manager_client.get(feed_url(token)).status_code == 404
    assert "revoked" in manager_client.get(page()).content.decode()


def test_it_still_serves_the_feed_of_a_site_that_refuses_police_accounts(
    manager_client: Any, site: Site
) -> None:
    site.police_accounts = False
    site.save()
    token = make_link(manager_client)
    assert manager_client.get(feed_url(token)).status_code == 200


def test_it_closes_a_link_when_its_maker_no_longer_manages_the_site(
    manager_client: Any, site: Site, manager: User
) -> None:
    token = make_link(manager_client)
    Membership.objects.filter(user=manager).delete()
    manager_client.logout()
    assert manager_client.get(feed_url(token)).status_code == 404


def test_it_refuses_an_empty_label_and_changes_nothing(manager_client: Any, site: Site) -> None:
    response = manager_client.post(page(), {"subject": "site", "label": ""})
    assert response.status_code == 422
    assert not CalendarFeed.objects.exists()


def test_it_refuses_client_details_in_a_label(manager_client: Any, site: Site) -> None:
    response = manager_client.post(page(), {"subject": "site", "label": "call 416-555-0199"})
    assert response.status_code == 422
    assert not CalendarFeed.objects.exists()


# --- officers' links ----------------------------------------------------------------------


def test_it_lets_a_manager_make_a_link_for_an_officer_assigned_to_the_site(
    world: World, client: Any
) -> None:
    officer = liaison_officer(world)
    client.force_login(world.users["manager"])
    token = make_link(client, subject=f"officer-{officer.pk}", label="for Sgt")
    feed = CalendarFeed.objects.get()
    assert (feed.site, feed.officer) == (None, officer)
    response = client.get(feed_url(token))
    assert response["Content-Disposition"] == (
        f'attachment; filename="officer-{officer.pk}-checkins.ics"'
    )


def test_it_refuses_a_manager_a_link_for_an_officer_of_another_site(
    world: World, client: Any
) -> None:
    stranger = OfficerFactory()
    AssignmentFactory(officer=stranger, site=world.other_site)
    client.force_login(world.users["manager"])
    response = client.post(page(), {"subject": f"officer-{stranger.pk}", "label": "x"})
    assert response.status_code == 422
    assert not CalendarFeed.objects.exists()


def test_it_shows_a_manager_made_officer_link_only_the_managers_sites(
    world: World, client: Any
) -> None:
    officer = liaison_officer(world)
    AssignmentFactory(officer=officer, site=world.other_site, role="backup")
    here = CheckInFactory(site=world.site, scheduled_start=datetime(2026, 6, 9, 10, tzinfo=TORONTO))
    there = CheckInFactory(
        site=world.other_site, scheduled_start=datetime(2026, 6, 9, 10, tzinfo=TORONTO)
    )
    client.force_login(world.users["manager"])
    body = client.get(feed_url(make_link(client, subject=f"officer-{officer.pk}"))).content
    assert f"checkin-{here.pk}@".encode() in body
    assert f"checkin-{there.pk}@".encode() not in body
    client.force_login(world.users["admin"])
    body = client.get(feed_url(make_link(client, subject=f"officer-{officer.pk}"))).content
    assert f"checkin-{there.pk}@".encode() in body


def test_it_lets_a_liaison_make_and_revoke_only_their_own_link(world: World, client: Any) -> None:
    officer = liaison_officer(world)
    client.force_login(world.users["manager"])
    make_link(client, label="manager's site link")
    manager_feed = CalendarFeed.objects.get()

    client.force_login(world.users["liaison"])
    listing = client.get(page()).content.decode()
    assert "manager's site link" not in listing
    assert 'name="subject"' not in listing  # a liaison's link is always for themself
    token = make_link(client, subject="site", label="my phone")
    own = CalendarFeed.objects.get(label="my phone")
    assert (own.site, own.officer, own.created_by) == (None, officer, world.users["liaison"])
    assert client.get(feed_url(token)).status_code == 200

    def revoke(feed: CalendarFeed) -> int:
        url = reverse("liaisons:calendar_link_revoke", kwargs={"slug": "riverside", "pk": feed.pk})
        return int(client.post(url).status_code)

    assert revoke(manager_feed) == 404
    assert revoke(own) == 302
    assert client.get(feed_url(token)).status_code == 404


def test_it_closes_the_link_of_an_officer_marked_inactive(world: World, client: Any) -> None:
    client.force_login(world.users["liaison"])
    token = make_link(client)
    LiaisonOfficer.objects.filter(user=world.users["liaison"]).update(active=False)
    assert client.get(feed_url(token)).status_code == 404


def test_it_refuses_researchers_the_calendar_page(world: World, client: Any) -> None:
    client.force_login(world.users["researcher"])
    assert client.get(page()).status_code == 403
    assert client.post(page(), {"label": "x"}).status_code == 403
    assert not CalendarFeed.objects.exists()


# --- the audit log ----------------------------------------------------------------------------


def test_it_audits_making_revoking_and_every_download_without_the_token(
    client: Any, site: Site, manager: User
) -> None:
    client.force_login(manager)
    token = make_link(client)
    feed = CalendarFeed.objects.get()
    client.logout()
    client.get(feed_url(token))
    client.get(feed_url(token))
    client.force_login(manager)
    revoke = reverse("liaisons:calendar_link_revoke", kwargs={"slug": "riverside", "pk": feed.pk})
    assert client.post(revoke).status_code == 302
    downloads = AuditEntry.objects.filter(action=Action.DOWNLOAD)
    assert downloads.count() == 2
    assert {(e.site, e.object_type, e.object_id, e.actor) for e in downloads} == {
        ("riverside", "calendarfeed", str(feed.pk), "")
    }
    assert "front desk" in downloads.first().detail  # type: ignore[union-attr]
    links = AuditEntry.objects.filter(action=Action.LINK).order_by("id")
    assert [e.detail for e in links] == [
        "calendar feed created: front desk",
        "calendar feed revoked: front desk",
    ]
    leaks = AuditEntry.objects.filter(
        Q(detail__contains=token) | Q(object_id__contains=token) | Q(fields__icontains=token)
    )
    assert not leaks.exists()


def test_it_audits_an_api_download_with_the_caller(world: World, client: Any) -> None:
    client.force_login(world.users["liaison"])
    client.get(reverse("api:site_calendar", kwargs={"slug": "riverside"}))
    entry = AuditEntry.objects.get(action=Action.DOWNLOAD)
    assert (entry.actor, entry.site) == ("liaison-all", "riverside")
    assert entry.detail == "site calendar feed through the API"


# --- the API ----------------------------------------------------------------------------------

API_STATUS = {
    "anonymous": 401,
    "manager": 200,
    "other_manager": 404,
    "liaison": 200,
    "researcher": 403,
    "admin": 200,
}


def test_it_answers_the_calendar_api_by_role(world: World, client: Any) -> None:
    url = reverse("api:site_calendar", kwargs={"slug": "riverside"})
    assert url == "/api/v1/sites/riverside/calendar.ics"
    CheckInFactory(site=world.site, scheduled_start=datetime(2026, 6, 9, 10, tzinfo=TORONTO))
    for role, expected in API_STATUS.items():
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == expected, role
        if expected == 200:
            assert response["Content-Type"] == "text/calendar; charset=utf-8"
            assert response["Content-Disposition"] == (
                'attachment; filename="riverside-checkins.ics"'
            )
            assert b"BEGIN:VEVENT" in response.content
        else:
            assert response["Content-Type"].startswith("application/json")
            assert "Location" not in response
    client.logout()
    assert "WWW-Authenticate" in client.get(url)


def test_it_answers_404_for_a_site_that_does_not_exist(world: World, client: Any) -> None:
    client.force_login(world.users["admin"])
    url = reverse("api:site_calendar", kwargs={"slug": "nowhere"})
    assert client.get(url).status_code == 404


def test_it_answers_404_to_a_liaison_whose_assignment_ended(world: World, client: Any) -> None:
    officer = liaison_officer(world)
    officer.assignments.update(end=date(2026, 5, 1))
    client.force_login(world.users["liaison"])
    url = reverse("api:site_calendar", kwargs={"slug": "riverside"})
    assert client.get(url).status_code == 404


def test_it_refuses_to_change_anything_through_the_calendar_api(world: World, client: Any) -> None:
    client.force_login(world.users["manager"])
    url = reverse("api:site_calendar", kwargs={"slug": "riverside"})
    assert client.post(url).status_code == 405


# --- a fixed number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 100])
def test_it_serves_a_feed_link_in_a_fixed_number_of_queries(
    manager_client: Any, site: Site, count: int, django_assert_max_num_queries: Any
) -> None:
    officer = OfficerFactory()
    AssignmentFactory(officer=officer, site=site)
    for day in range(count):
        CheckInFactory(site=site, scheduled_start=datetime(2026, 6, 2, 10, tzinfo=TORONTO).replace(
            day=1 + day % 28, month=6 + day // 28))  # fmt: skip
    site_token = make_link(manager_client)
    officer_token = make_link(manager_client, subject=f"officer-{officer.pk}")
    manager_client.logout()
    # The link, the maker's roles (two), the check-ins and the audit entry; an officer's
    # feed adds the officer's assignments and expected schedules.
    for token, queries in ((site_token, 5), (officer_token, 7)):
        with django_assert_max_num_queries(queries):
            response = manager_client.get(feed_url(token))
        assert response.content.count(b"BEGIN:VEVENT") == count


def test_it_makes_a_link_for_an_admin_without_a_site_membership(world: World, client: Any) -> None:
    admin = make_user(Role.ADMIN, username="second-admin")
    client.force_login(admin)
    token = make_link(client)
    assert client.get(feed_url(token)).status_code == 200
