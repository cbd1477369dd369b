"""`seed_demo --large N`: large fictional sites for benchmarks (agreements/demo_large.py)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from agreements.breaches import is_breach
from agreements.choices import CheckInStatus, Role
from agreements.models import (
    DailyAttendance,
    Interaction,
    Membership,
    OperatingHours,
    Protocol,
    Site,
)
from demo.large import LargeSiteBuilder, large_slug
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
)
from scoring.scorecards import score_sites, trend

# Seeding large sites takes seconds per test.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MOMENT = datetime(2026, 11, 10, 15, tzinfo=UTC)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(MOMENT, tick=False)
def test_it_adds_large_sites_with_five_years_of_history() -> None:
    output = seed("--large", "2")

    assert "Created 2 large sites" in output
    for slug in (large_slug(1), large_slug(2)):
        site = Site.objects.get(slug=slug)
        assert site.research_consent
        assert site.opened_on is not None
        assert (site.today() - site.opened_on).days == 5 * 365
        interactions = Interaction.objects.filter(site=site).count()
        assert interactions == 10_000
        past_checkins = CheckIn.objects.filter(site=site, scheduled_start__lte=timezone.now())
        assert 280 <= past_checkins.count() <= 320  # about 60 a year
        assert CheckIn.objects.filter(site=site, scheduled_start__gt=timezone.now()).exists()
        assert DailyAttendance.objects.filter(site=site).count() == 5 * 365 + 1
        assert OperatingHours.objects.filter(site=site).count() == 7
        assert LiaisonOfficer.objects.filter(registered_for=site).count() == 3
        assert LiaisonAssignment.objects.filter(site=site).count() == 3
        assert CheckInSchedule.objects.filter(site=site, expected_officers__isnull=False).exists()
        assert set(Protocol.objects.filter(site=site).values_list("status", flat=True)) == {
            "ended",
            "signed",
        }
        assert Acknowledgement.objects.filter(protocol__site=site).exists()
    # The demo manager manages the first large site, so its pages can be measured.
    assert Membership.objects.filter(
        user__username="demo-manager", role=Role.MANAGER, site__slug=large_slug(1)
    ).exists()
    assert not Membership.objects.filter(site__slug=large_slug(2)).exists()


@time_machine.travel(MOMENT, tick=False)
def test_its_log_is_a_realistic_mix_with_nothing_in_the_future() -> None:
    seed("--large", "1")
    site = Site.objects.get(slug=large_slug(1))
    rows = list(
        Interaction.objects.filter(site=site).values_list(
            "category", "site_notified", "distance_band", "legal_basis", "occurred_at"
        )
    )
    categories = Counter(category for category, *_ in rows)
    assert len(categories) >= 15
    breaches = [
        r
        for r in rows
        if is_breach(category=r[0], notified=r[1], distance_band=r[2], legal_basis=r[3])
    ]
    # Mostly routine, some breaches, a few of them recent enough to cost points.
    assert 0.001 < len(breaches) / len(rows) < 0.1
    assert any(r[2] == "buffer" for r in breaches)
    assert max(r[4] for r in rows) < timezone.now()
    held_ahead = CheckIn.objects.filter(
        status__in=[CheckInStatus.HELD, CheckInStatus.MISSED], scheduled_start__gt=timezone.now()
    )
    assert not held_ahead.exists()
    # Every record passes the model rules, the PII guard on free text included.
    for interaction in Interaction.objects.filter(site=site)[:300]:
        interaction.full_clean()
    for checkin in CheckIn.objects.filter(site=site)[:50]:
        checkin.full_clean()


@time_machine.travel(MOMENT, tick=False)
def test_it_scores_and_its_pages_answer() -> None:
    seed()  # the demo users
    seed("--large", "2")
    sites = list(Site.objects.filter(slug__startswith="bench-"))
    cards = score_sites(sites)
    assert {card.band for card in cards.values()} <= {"strong", "developing", "fragile", "at_risk"}
    assert len(trend(sites[0], sites[0].today())) == 24
    from django.test import Client

    client = Client()
    client.force_login(Membership.objects.get(site__slug=large_slug(1)).user)
    for name in ("site_score", "interactions_list"):
        url = reverse(f"agreements:{name}", kwargs={"slug": large_slug(1)})
        assert client.get(url).status_code == 200, name


def test_running_it_again_changes_nothing_and_a_larger_n_only_adds() -> None:
    seed("--large", "1")
    first = Interaction.objects.count()

    output = seed("--large", "1")

    assert "1 large sites existed; left as they are" in output
    assert "Created 0 large sites" in output
    assert Interaction.objects.count() == first
    seed("--large", "2")
    assert Site.objects.filter(slug__startswith="bench-").count() == 2
    assert Interaction.objects.filter(site__slug=large_slug(2)).count() == 10_000
    assert Interaction.objects.count() == first + 10_000


def test_it_refuses_a_negative_number() -> None:
    with pytest.raises(CommandError, match="--large"):
        seed("--large", "-1")


def _fingerprint(builder: LargeSiteBuilder, site: Site) -> list[tuple[Any, ...]]:
    return [
        (i.occurred_at, i.category, i.distance_band, i.site_notified, i.impact, i.narrative)
        for i in builder._interactions(site)
    ]


def test_the_same_day_gives_the_same_records_and_another_site_others() -> None:
    now = MOMENT
    site = Site(slug=large_slug(3), timezone="America/Toronto")

    first = _fingerprint(LargeSiteBuilder(3, now=now), site)
    again = _fingerprint(LargeSiteBuilder(3, now=now), site)
    other = _fingerprint(LargeSiteBuilder(4, now=now), site)

    assert first == again
    assert first != other
    assert len(first) == 10_000


@time_machine.travel(MOMENT, tick=False)
def test_a_large_site_deleted_by_hand_is_seeded_again() -> None:
    seed("--large", "1")
    Site.objects.get(slug=large_slug(1)).delete()  # its police service and officers remain
    seed("--large", "1")
    assert Site.objects.get(slug=large_slug(1)).interactions.count() > 0
