"""Issue 14 §2 against the live products: a researcher downloads the research CSV and the
research PDF over HTTP, as anyone with the role can, and tries to recover a suppressed
month from them by linear programming (tests/privacy/lp_audit.py).

The site is the issue's: a busy year, two uninvited entries in November and one stop near
the site in December. Before the products read the research release, the CSV's December
row and the PDF's category totals for the same year gave the stop back exactly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agreements.choices import Category
from agreements.models import Interaction, Site
from agreements.periods import Month
from agreements.research_release import finest_counts, plan_for
from reports import editions
from tests.conftest import World
from tests.privacy.lp_audit import Audit

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


def research_pdf_context(client: Any, site: Site, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The research PDF's figures as the view renders them (its context, not its bytes)."""
    seen: dict[str, Any] = {}

    def capture(template: str, context: dict[str, Any]) -> bytes:
        seen.update(context)
        return b"%PDF-1.7"

    monkeypatch.setattr(editions, "render_pdf", capture)
    url = reverse("agreements:site_report", kwargs={"slug": site.slug, "edition": "research"})
    assert client.get(url).status_code == 200
    return seen


def test_the_csv_and_the_pdf_together_do_not_give_a_suppressed_month_back(
    client: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = world.site
    issue_site(site)
    client.force_login(world.users["researcher"])
    plan = plan_for(2025, 12)  # which finest cells each printed figure adds up
    figures: list[tuple[frozenset[object], str, str, int]] = []  # cells, printed, where, stage

    response = client.get("/api/v1/exports/interactions.csv", {"from": "2025-01", "to": "2025-12"})
    assert response.status_code == 200
    lines = [line.split(",") for line in response.content.decode().splitlines()]
    header, rows = lines[0], [r for r in lines[1:] if r[0] == site.slug]
    december = None
    for row in rows:
        mk = Month.parse(row[1]).key
        for category, printed in zip(header[2:-1], row[2:-1], strict=True):
            cells = plan.sums[("cell", mk, category)]
            figures.append((cells, printed, f"CSV {row[1]} {category}", 1))
        figures.append((plan.sums[("row", mk)], row[-1], f"CSV {row[1]} total", 1))
        if row[1] == "2025-12":
            december = dict(zip(header, row, strict=True))
    assert december is not None
    assert december["stop_or_search"] == f"<{T}"

    pdf = research_pdf_context(client, site, monkeypatch)
    by_label = {str(Category(c).label): c for c in Category.values}
    for label, printed in pdf["categories"]:
        figures.append((plan.sums[("category", by_label[label])], printed, f"PDF {label}", 2))
    for month, printed in pdf["breach_months"]:
        mk = Month.of(month).key
        if mk in {m.key for m in (Month(2025, i) for i in range(1, 13))}:
            figures.append((plan.sums[("breaches", mk)], printed, f"PDF breaches {month:%Y-%m}", 1))

    truth = finest_counts([site], Month(2025, 1), Month(2025, 12)).get(site.id, {})
    # First a reader who takes every mark for "hidden, any size" (the old products
    # printed "<10" over counts of 12 too): the PDF's year total minus the CSV's other
    # months gave "CSV 2025-12 stop_or_search: printed '<10', true 1, a reader can narrow
    # it to 1..1".
    wary = Audit(T)
    for cells, printed, where, stage in figures:
        wary.add(cells, "x" if not printed.isdigit() else printed, where, stage)
    assert [str(f) for f in wary.run(truth) if f.high - f.low < 1 and 0 < f.true_value < T] == []
    # Then a reader who trusts the marks, as the legend invites: "<10" is 1 to 9. Every
    # hidden figure keeps its protected range (docs/privacy.md, "Protection level").
    for cells, printed, where, _ in figures:
        if printed == f"<{T}":
            assert 0 < sum(truth.get(k, 0) for k in cells) < T, where  # type: ignore[call-overload]
    trusting = Audit(T)
    for figure in figures:
        trusting.add(*figure)
    assert [str(f) for f in trusting.run(truth)] == []
