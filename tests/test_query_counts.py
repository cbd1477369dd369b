"""Pages take the same number of queries with 5 rows as with 200 (SPEC §9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Site
from tests.factories import (
    AssignmentFactory,
    AttendanceFactory,
    CheckInFactory,
    EngagementFactory,
    InteractionFactory,
    OfficerFactory,
    OperatingHoursFactory,
    ProtocolFactory,
    ScheduleFactory,
    SupportStatementFactory,
)
from workspace.records import KINDS

pytestmark = pytest.mark.django_db


def _schedules(site: Site, n: int) -> None:
    officers = OfficerFactory.create_batch(2, registered_for=site)
    for schedule in ScheduleFactory.create_batch(n, site=site):
        schedule.expected_officers.set(officers)


def _assignments(site: Site, n: int) -> None:
    AssignmentFactory.create_batch(n, site=site, role="backup")


MAKERS: dict[str, Callable[[Site, int], Any]] = {
    "officers": lambda site, n: OfficerFactory.create_batch(n, registered_for=site),
    "assignments": _assignments,
    "protocols": lambda site, n: ProtocolFactory.create_batch(n, site=site),
    "engagements": lambda site, n: EngagementFactory.create_batch(n, site=site),
    "support-statements": lambda site, n: SupportStatementFactory.create_batch(n, site=site),
    "schedules": _schedules,
    "checkins": lambda site, n: CheckInFactory.create_batch(n, site=site),
    "interactions": lambda site, n: InteractionFactory.create_batch(n, site=site),
    "attendance": lambda site, n: AttendanceFactory.create_batch(n, site=site),
}

# Session, user, memberships, sites, site, count, page (+ prefetch) — with room to spare.
MAX_QUERIES = 12


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_every_kind_has_a_maker() -> None:
    assert set(MAKERS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_list_pages_do_not_grow_with_rows(
    manager_client: Any, site: Site, kind: str, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.HR_POLICE_PAGE_SIZE = 500  # every row on one page: the worst case
    for day in range(7):  # check-ins compare themselves with the hours
        OperatingHoursFactory(site=site, weekday=day)
    url = reverse(f"agreements:{kind}_list", kwargs={"slug": site.slug})
    MAKERS[kind](site, 5)
    small = count_queries(manager_client, url)
    MAKERS[kind](site, 195)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(manager_client, url)
    assert large == small


def test_the_site_overview_does_not_grow_with_rows(
    manager_client: Any, site: Site, django_assert_max_num_queries: Any
) -> None:
    url = reverse("agreements:site_overview", kwargs={"slug": site.slug})
    for make in MAKERS.values():
        make(site, 5)
    small = count_queries(manager_client, url)
    for make in MAKERS.values():
        make(site, 195)
    with django_assert_max_num_queries(30):
        large = count_queries(manager_client, url)
    assert large == small


def test_the_home_page_does_not_grow_with_sites(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.conftest import make_user

    admin = make_user("admin")
    client.force_login(admin)
    Site.objects.bulk_create(
        Site(name=f"S{i}", slug=f"s{i}", city="X", region="ON", status="planned") for i in range(5)
    )
    small = count_queries(client, "/")
    Site.objects.bulk_create(
        Site(name=f"T{i}", slug=f"t{i}", city="X", region="ON", status="planned")
        for i in range(195)
    )
    with django_assert_max_num_queries(10):
        large = count_queries(client, "/")
    assert large == small
