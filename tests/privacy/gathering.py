"""Everything the research role can download over a period, as a reader would gather it.

For every month end of the period and every consenting site, the reader travels to two
moments: the first half hour after the month ended at the site, and the last evening of
the month there (23:30 local on its last day, when the month still runs at that site and
may have ended at sites further east). At each moment they download, over HTTP:

- the research CSV (`/api/v1/exports/interactions.csv`) with no parameter, for each year
  of the period, and up to the month in progress (asking for more than has ended);
- the transparency CSV (`/api/v1/exports/transparency.csv`) for each year (refused with
  422 until the year has ended at every site);
- the research PDF of each site (its context, captured at `reports.editions.render_pdf`);
- the score JSON (`/api/v1/sites/{slug}/score?as_of=…`) of each site for every month end
  of the period up to the site's today, and the score the research PDF prints.

Besides gathering, it checks what need not wait for the linear programs: no download
holds a month that has not ended at its site, or a year that has not ended; a score's
`as_of` is a complete month end; a site without research consent appears nowhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import time_machine
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings

from agreements.choices import Role
from agreements.models import Site
from agreements.periods import Month
from agreements.research_days import month_end
from agreements.research_release import finest_counts
from tests.conftest import TEST_SETTINGS, make_user
from tests.privacy import research_downloads as rd
from tests.privacy.lp_audit import Constraint, Figure

SETTINGS = {
    **TEST_SETTINGS,
    # A reader polling every product at every month end asks more than 120 times a
    # minute; the rate limit is not what is audited here.
    "HR_POLICE_API_RATE_PER_MINUTE": 10**9,
}


@dataclass
class Gathered:
    """What a researcher read, and the truth to audit it against (pure data)."""

    figures: list[Figure] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    truth: dict[rd.Cell, int] = field(default_factory=dict)
    downloads: int = 0
    moments: int = 0
    slugs: tuple[str, ...] = ()


@contextmanager
def rolled_back() -> Iterator[None]:
    """Rows made inside are gone afterwards, and so are cached scores."""
    with override_settings(**SETTINGS), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
            for cache in caches.all():
                cache.clear()


def moments(sites: Sequence[Site], months: Sequence[Month]) -> list[datetime]:
    """For each month and site: half an hour after the month ended there, and 23:30 on
    its last evening there. Sorted, in UTC."""
    found = set()
    for month in months:
        last = month_end(month.first_day())
        for site in sites:
            after = datetime.combine(last + timedelta(days=1), time(0, 30), tzinfo=site.tz)
            evening = datetime.combine(last, time(23, 30), tzinfo=site.tz)
            found |= {after.astimezone(UTC), evening.astimezone(UTC)}
    return sorted(found)


def last_ended_month(site: Site, now: datetime) -> Month:
    """Worked out here, not by the app: the month before the site's local month."""
    return Month.of(now.astimezone(site.tz).date()).shift(-1)


def gather(sites: Sequence[Site], refusing: Sequence[Site], months: Sequence[Month]) -> Gathered:
    """Download everything at every moment of `months` as a researcher (call inside
    `rolled_back`, with the network made)."""
    client, researcher = Client(), make_user(Role.RESEARCHER, username="auditing-researcher")
    years = sorted({m.year for m in months})
    month_ends = [month_end(m.first_day()) for m in months]
    gathered = Gathered(slugs=tuple(s.slug for s in sites))
    for now in moments(sites, months):
        with time_machine.travel(now, tick=False):
            # Signed in afresh at each moment: sessions end after hours of idleness.
            client.force_login(researcher)
            _gather_at(client, now, sites, refusing, years, month_ends, gathered)
        gathered.moments += 1
    # Every cell any figure or reading names, from the same rows the products read.
    counts = finest_counts(sites, Month(years[0], 1), Month(years[-1], 12))
    by_id = {s.id: s.slug for s in sites}
    for site_id, cells in counts.items():
        for (mk, kind), n in cells.items():
            gathered.truth[(by_id[site_id], mk, kind)] = n
    return gathered


def _gather_at(
    client: Client,
    now: datetime,
    sites: Sequence[Site],
    refusing: Sequence[Site],
    years: list[int],
    month_ends: list[date],
    out: Gathered,
) -> None:
    stamp = f"[{now:%Y-%m-%d %H:%M}Z]"
    ended = {s.slug: last_ended_month(s, now) for s in sites}
    hidden = {s.slug for s in refusing}

    def get(path: str, **params: str) -> Any:
        out.downloads += 1
        return client.get(path, params)

    # The research CSV, every way a researcher can ask for it.
    current = Month.of(now.date())
    variants: list[dict[str, str]] = [{}, {"from": f"{years[0]}-01", "to": str(current)}]
    variants += [{"from": f"{y}-01", "to": f"{y}-12"} for y in years]
    for params in variants:
        response = get("/api/v1/exports/interactions.csv", **params)
        assert response.status_code == 200, (stamp, params, response.content[:200])
        text = response.content.decode()
        for slug, month in rd.research_csv_months(text):
            assert slug not in hidden, f"{stamp} research CSV shows {slug}, which refuses"
            assert month <= ended[slug], f"{stamp} research CSV shows {slug} {month}, still running"
        out.figures += rd.research_csv_figures(text, "research CSV")

    # The transparency CSV: a year only once it has ended at every site.
    for year in years:
        response = get("/api/v1/exports/transparency.csv", year=str(year))
        if all(ended[s.slug] >= Month(year, 12) for s in sites):
            assert response.status_code == 200, (stamp, year, response.content[:200])
        else:
            assert response.status_code == 422, (stamp, year, response.status_code)
            continue
        text = response.content.decode()
        assert not rd.transparency_slugs(text) & hidden, f"{stamp} transparency shows a refusal"
        out.figures += rd.transparency_figures(text, "transparency CSV")

    for site in sites:
        context = rd.research_pdf_context(client, site.slug)
        out.downloads += 1
        if context["has_counts"]:
            year = context["counts_year"]
            assert Month(year, 12) <= ended[site.slug], f"{stamp} PDF {site.slug} prints {year}"
        out.figures += rd.research_pdf_figures(site.slug, context, "research PDF")
        out.constraints += _readings(stamp, site, context["score"].as_json(), ended, "PDF score")
        today = now.astimezone(site.tz).date()
        for day in (d for d in month_ends if d <= today):
            response = get(f"/api/v1/sites/{site.slug}/score", as_of=day.isoformat())
            assert response.status_code == 200, (stamp, site.slug, day, response.content[:200])
            out.constraints += _readings(stamp, site, response.json(), ended, "score API")

    for site in refusing:
        assert get(f"/api/v1/sites/{site.slug}/score").status_code == 404
        assert get(f"/api/v1/sites/{site.slug}/report.pdf", edition="research").status_code == 404


def _readings(
    stamp: str, site: Site, score: dict[str, Any], ended: dict[str, Month], label: str
) -> list[Constraint]:
    as_of = date.fromisoformat(score["as_of"])
    last = ended[site.slug]
    assert as_of == month_end(as_of) and Month.of(as_of) <= last, (
        f"{stamp} {label} {site.slug} reads {as_of}, after the last month ended there ({last})"
    )
    return rd.score_constraints(site.slug, score, label)
