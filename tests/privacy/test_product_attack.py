"""Issue 14 §2 against the live products: a researcher downloads the research CSV and the
research PDF over HTTP, as anyone with the role can, and tries to recover a suppressed
month from them by linear programming (tests/privacy/lp_audit.py).

The site is the issue's: a busy year, two uninvited entries in November and one stop near
the site in December. Before the products read the research release, the CSV's December
row and the PDF's category totals for the same year gave the stop back exactly."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agreements.choices import Category
from agreements.models import Interaction, Site
from agreements.periods import Month
from agreements.research_release import finest_counts
from tests.conftest import World
from tests.privacy.lp_audit import Audit, Figure
from tests.privacy.research_downloads import (
    research_csv_figures,
    research_pdf_context,
    research_pdf_figures,
    rows_of,
)

pytestmark = pytest.mark.django_db

T = 10
TORONTO = ZoneInfo("America/Toronto")
# Mid-January: December 2025 is complete at the site, and so is the calendar year.
NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def log(site: Site, n: int, month: int, category: str) -> None:
    when = datetime(2025, month, 10, 14, tzinfo=TORONTO)
    Interaction.objects.bulk_create(
        Interaction(site=site, occurred_at=when, category=category, distance_band="buffer")
        for _ in range(n)
    )


def issue_site(site: Site) -> None:
    for month in range(1, 11):
        log(site, 14, month, Category.CALLED_BY_STAFF)
    log(site, 2, 11, Category.UNINVITED_ENTRY)
    log(site, 12, 11, Category.REFERRAL_TO_SITE)
    log(site, 1, 12, Category.STOP_OR_SEARCH)
    log(site, 20, 12, Category.ALERT_SHARED)


def test_the_csv_and_the_pdf_together_do_not_give_a_suppressed_month_back(
    client: Any, world: World
) -> None:
    site = world.site
    issue_site(site)
    client.force_login(world.users["researcher"])

    response = client.get("/api/v1/exports/interactions.csv", {"from": "2025-01", "to": "2025-12"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    header, rows = rows_of(text)
    december = next(
        dict(zip(header, r, strict=True)) for r in rows if r[:2] == [site.slug, "2025-12"]
    )
    assert december["stop_or_search"] == f"<{T}"
    # Every count of the site's months (the other site of the file has its own cells),
    # then every count of its research PDF: the year's totals, breaches, requests.
    figures = [f for f in research_csv_figures(text, "CSV") if _site_of(f) == site.slug]
    context = research_pdf_context(client, site.slug)
    figures += research_pdf_figures(site.slug, context, "PDF")
    assert any(f.stage == 2 for f in figures)

    counts = finest_counts([site], Month(2025, 1), Month(2025, 12)).get(site.id, {})
    truth: dict[Hashable, int] = {(site.slug, mk, kind): n for (mk, kind), n in counts.items()}
    # First a reader who takes every mark for "hidden, any size" (the old products
    # printed "<10" over counts of 12 too): the PDF's year total minus the CSV's other
    # months gave "CSV riverside 2025-12 stop_or_search: printed '<10', true 1, a reader
    # can narrow it to 1..1".
    wary = Audit(T)
    for f in figures:
        wary.add(f.cells, f.printed if f.printed.isdigit() else "x", f.where, f.stage)
    assert [str(f) for f in wary.run(truth) if f.high - f.low < 1 and 0 < f.true_value < T] == []
    # Then a reader who trusts the marks, as the legend invites: "<10" is 1 to 9. Every
    # hidden figure keeps its protected range (docs/privacy.md, "Protection level").
    for f in figures:
        if f.printed == f"<{T}":
            assert 0 < sum(truth.get(k, 0) for k in f.cells) < T, f.where
    trusting = Audit(T)
    for f in figures:
        trusting.add(f.cells, f.printed, f.where, f.stage)
    assert [str(f) for f in trusting.run(truth)] == []


def _site_of(figure: Figure) -> object:
    return next(iter(figure.cells))[0]  # type: ignore[index]
