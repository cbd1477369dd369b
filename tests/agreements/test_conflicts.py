"""Two managers editing the same record: the second save is refused, names what changed,
and nothing is overwritten; after reloading, saving works."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agreements.choices import Role
from agreements.models import Site
from tests.conftest import make_user
from tests.factories import (
    AssignmentFactory,
    AttendanceFactory,
    CheckInFactory,
    EngagementFactory,
    InteractionFactory,
    OfficerFactory,
    ScheduleFactory,
    SupportStatementFactory,
)
from tests.page_forms import page_form

pytestmark = pytest.mark.django_db


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


@pytest.fixture
def two_managers(site: Site) -> tuple[Client, Client]:
    a, b = Client(), Client()
    a.force_login(make_user(Role.MANAGER, site=site, username="alice"))
    b.force_login(make_user(Role.MANAGER, site=site, username="bruno"))
    return a, b


def _officer(site: Site) -> Any:
    return OfficerFactory(registered_for=site, rank="Sergeant")


# kind: (make the record, field, value A saves, value B tries, label, shown before, shown after A)
RECORDS: dict[str, tuple[Any, str, str, str, str, str, str]] = {
    "officers": (_officer, "rank", "Inspector", "Staff Sergeant", "Rank", "Sergeant", "Inspector"),
    "assignments": (
        lambda site: AssignmentFactory(site=site, officer=OfficerFactory(registered_for=site)),
        "end", "2026-12-31", "2027-01-31", "End", "(empty)", "2026-12-31",
    ),
    "engagements": (
        lambda site: EngagementFactory(site=site),
        "summary", "Second dialogue.", "Third dialogue.", "Summary",
        "First dialogue with the division.", "Second dialogue.",
    ),
    "support-statements": (
        lambda site: SupportStatementFactory(site=site),
        "stance", "opposition", "neutral", "Stance", "Support", "Opposition",
    ),
    "schedules": (
        lambda site: ScheduleFactory(site=site),
        "location", "Community room", "Front office", "Location", "(empty)", "Community room",
    ),
    "checkins": (
        lambda site: CheckInFactory(site=site),
        "notes", "Went well.", "Cut short.", "Notes", "(empty)", "Went well.",
    ),
    "interactions": (
        lambda site: InteractionFactory(site=site),
        "narrative", "Cruiser left after ten minutes.", "Cruiser stayed an hour.",
        "Narrative", "Cruiser parked across from the door.", "Cruiser left after ten minutes.",
    ),
    "attendance": (
        lambda site: AttendanceFactory(site=site),
        "visits", "120", "130", "Visits", "80", "120",
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_the_second_of_two_overlapping_edits_is_refused(
    site: Site, two_managers: tuple[Client, Client], kind: str
) -> None:
    make, name, value_a, value_b, label, before, after = RECORDS[kind]
    record = make(site)
    edit = url(f"{kind}_edit", site, pk=record.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)

    assert alice.post(edit, {**form_a, name: value_a}).status_code == 302
    refused = bruno.post(edit, {**form_b, name: value_b})

    assert refused.status_code == 409
    record.refresh_from_db()
    assert str(getattr(record, name)) == value_a  # Alice's value stands
    page = refused.content.decode()
    assert "Someone else saved this" in page
    row = page[page.index("What changed since you opened this page") :]
    assert label in row and before in row and after in row and "alice on " in row
    assert value_b in page  # Bruno's input is kept in the form

    # Having seen the change, Bruno saves from the refreshed page: accepted.
    again = page_form(bruno.get(edit).content)
    assert bruno.post(edit, {**again, name: value_b}).status_code == 302
    record.refresh_from_db()
    assert str(getattr(record, name)) == value_b
