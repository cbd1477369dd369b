"""The one place that scopes sites by role (SPEC §1)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from agreements.access import Permission, roles_by_site, site_access, visible_sites
from agreements.choices import Role
from agreements.models import Membership
from tests.conftest import make_user
from tests.factories import AssignmentFactory, OfficerFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")


def test_a_researcher_sees_only_consenting_sites() -> None:
    yes = SiteFactory(research_consent=True)
    SiteFactory(research_consent=False)
    researcher = make_user(Role.RESEARCHER)
    assert list(visible_sites(researcher)) == [yes]
    assert roles_by_site(researcher) == {yes.id: frozenset({"researcher"})}


def test_a_researcher_named_for_a_site_sees_only_that_site_while_it_consents() -> None:
    named, other = SiteFactory(), SiteFactory()
    researcher = make_user(Role.RESEARCHER, site=named)
    assert set(visible_sites(researcher)) == {named}
    named.research_consent = False
    named.save()
    researcher = type(researcher).objects.get(pk=researcher.pk)  # a new request
    assert set(visible_sites(researcher)) == set()
    assert other.research_consent


def test_a_manager_sees_their_sites_only() -> None:
    mine, _theirs = SiteFactory(), SiteFactory()
    assert set(visible_sites(make_user(Role.MANAGER, site=mine))) == {mine}


def test_an_admin_sees_every_site_and_a_superuser_is_an_admin() -> None:
    sites = {SiteFactory(research_consent=False), SiteFactory()}
    assert set(visible_sites(make_user(Role.ADMIN))) == sites
    superuser = UserFactory(is_superuser=True)
    assert set(visible_sites(superuser)) == sites


@time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=TORONTO))
@pytest.mark.parametrize(
    ("start", "end", "visible"),
    [
        (date(2026, 1, 1), None, True),
        (date(2026, 1, 1), date(2026, 6, 15), True),  # last day of the assignment
        (date(2026, 1, 1), date(2026, 6, 14), False),  # ended yesterday
        (date(2026, 6, 16), None, False),  # starts tomorrow
    ],
)
def test_a_liaison_sees_sites_with_an_assignment_active_today(
    start: date, end: date | None, visible: bool
) -> None:
    site = SiteFactory()
    liaison = make_user(Role.LIAISON)
    AssignmentFactory(site=site, officer=OfficerFactory(user=liaison), start=start, end=end)
    assert (site in visible_sites(liaison)) is visible


def test_a_liaison_sees_nothing_where_the_site_refuses_police_accounts() -> None:
    site = SiteFactory(police_accounts=False)
    liaison = make_user(Role.LIAISON)
    AssignmentFactory(site=site, officer=OfficerFactory(user=liaison))
    assert list(visible_sites(liaison)) == []


def test_an_inactive_officer_sees_nothing() -> None:
    site = SiteFactory()
    liaison = make_user(Role.LIAISON)
    AssignmentFactory(site=site, officer=OfficerFactory(user=liaison, active=False))
    assert list(visible_sites(liaison)) == []


def test_an_inactive_account_sees_nothing() -> None:
    site = SiteFactory()
    manager = make_user(Role.MANAGER, site=site)
    manager.is_active = False
    assert roles_by_site(manager) == {}


def test_site_access_hides_what_is_out_of_scope_and_refuses_what_is_not_allowed() -> None:
    site, other = SiteFactory(), SiteFactory()
    researcher = make_user(Role.RESEARCHER)
    manager = make_user(Role.MANAGER, site=site)
    with pytest.raises(Http404):
        site_access(manager, other.slug, Permission.VIEW_PROFILE)
    with pytest.raises(Http404):
        site_access(manager, "no-such-site", Permission.VIEW_PROFILE)
    with pytest.raises(PermissionDenied):
        site_access(researcher, site.slug, Permission.MANAGE)
    assert site_access(researcher, site.slug, Permission.VIEW_SCORES).site == site
    assert site_access(manager, site.slug, Permission.MANAGE).roles == {"manager"}


def test_a_manager_membership_needs_a_site() -> None:
    membership = Membership(user=UserFactory(), role=Role.MANAGER, site=None)
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_scoping_takes_a_fixed_number_of_queries(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    liaison = make_user(Role.LIAISON)
    officer = OfficerFactory(user=liaison)
    for _ in range(20):
        AssignmentFactory(site=SiteFactory(), officer=officer, role="backup")
    with django_assert_num_queries(3):
        assert len(roles_by_site(liaison)) == 20
