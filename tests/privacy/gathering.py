"""Everything the research role can download over a period, as a reader would gather it.

For every month end of the period and every consenting site, the reader travels to two
moments: the first half hour after the month ended at the site, and the last evening of
the month there (23:30 local on its last day, when the month still runs at that site and
may have ended at sites further east). At each moment they download, over HTTP:

- the research CSV (`/api/v1/exports/interactions.csv`) from January of the period's
  first year up to the month in progress (asking for more than has ended); at the first
  and last moments also with no parameter (24 months) and for each year on its own;
- the transparency CSV (`/api/v1/exports/transparency.csv`) for each year (refused with
  422 until the year has ended at every site);
- the research PDF of each site (its context, captured at `reports.editions.render_pdf`);
- the score JSON (`/api/v1/sites/{slug}/score?as_of=…`) of each site for the newest two
  month ends up to the site's today (the one still running among them on a last
  evening), for every month end of the period at the first and last moments, and the
  score the research PDF prints.

Besides gathering, it checks what need not wait for the linear programs: no download
holds a month that has not ended at its site, or a year that has not ended; a score's
`as_of` is a complete month end; a site without research consent appears nowhere.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
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
    truth: dict[Hashable, int] = field(default_factory=dict)  # cell → its count
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
    every = moments(sites, months)
    for now in every:
        with time_machine.travel(now, tick=False):
            # Signed in afresh at each moment: sessions end after hours of idleness.
            client.force_login(researcher)
            first, final = now == every[0], now == every[-1]
            _gather_at(client, now, sites, refusing, years, month_ends, first, final, gathered)
        gathered.moments += 1
    # Every cell any figure or reading names (a score's 90 days may reach into the year
    # before the period's), from the same rows the products read.
    named = {rd.month_key(k) for f in gathered.figures for k in f.cells}
    named |= {rd.month_key(k) for c in gathered.constraints for k in c.coefficients}
    counts = finest_counts(sites, Month.from_key(min(named)), Month.from_key(max(named)))
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
    first: bool,
    final: bool,
    out: Gathered,
) -> None:
    stamp = f"[{now:%Y-%m-%d %H:%M}Z]"
    ended = {s.slug: last_ended_month(s, now) for s in sites}
    hidden = {s.slug for s in refusing}

    def get(path: str, **params: str) -> Any:
        out.downloads += 1
        return client.get(path, params)

    # The research CSV: every month of the period's years, asked up to the month in
    # progress; at the first and last moments also every other way to ask (the default of
    # 24 months, each year on its own). All read the same release: asked at every moment
    # they would only repeat its figures (and any difference would make the audit's
    # program infeasible). Months of years before the period's (in the 24 months) are
    # left out: the audit covers the period's whole years.
    current = Month.of(now.date())
    asks: list[dict[str, str]] = [{"from": f"{years[0]}-01", "to": str(current)}]
    if first or final:
        asks += [{}, *({"from": f"{y}-01", "to": f"{y}-12"} for y in years)]
    for params in asks:
        response = get("/api/v1/exports/interactions.csv", **params)
        assert response.status_code == 200, (stamp, params, response.content[:200])
        text = response.content.decode("utf-8-sig")
        for slug, month in rd.research_csv_months(text):
            assert slug not in hidden, f"{stamp} research CSV shows {slug}, which refuses"
            assert month <= ended[slug], f"{stamp} research CSV shows {slug} {month}, still running"
        out.figures += [
            f for f in rd.research_csv_figures(text, "research CSV") if _year(f) in years
        ]

    # The transparency CSV: a year only once it has ended at every site.
    for year in years:
        response = get("/api/v1/exports/transparency.csv", year=str(year))
        if all(ended[s.slug] >= Month(year, 12) for s in sites):
            assert response.status_code == 200, (stamp, year, response.content[:200])
        else:
            assert response.status_code == 422, (stamp, year, response.status_code)
            continue
        text = response.content.decode("utf-8-sig")
        assert not rd.transparency_slugs(text) & hidden, f"{stamp} transparency shows a refusal"
        out.figures += rd.transparency_figures(text, "transparency CSV")

    for site in sites:
        context = rd.research_pdf_context(client, site.slug)
        out.downloads += 1
        if context["has_counts"]:
            year = context["counts_year"]
            assert Month(year, 12) <= ended[site.slug], f"{stamp} PDF {site.slug} prints {year}"
        pdf = rd.research_pdf_figures(site.slug, context, "research PDF")
        out.figures += [f for f in pdf if _year(f) in years]
        out.constraints += _readings(stamp, site, context["score"].as_json(), ended, "PDF score")
        today = now.astimezone(site.tz).date()
        asked = [d for d in month_ends if d <= today]
        if not (first or final):
            # A reading for a month end long past is the same whenever it is asked; the
            # newest two (the month just ended, or the one still running) are where the
            # moment matters.
            asked = asked[-2:]
        for day in asked:
            response = get(f"/api/v1/sites/{site.slug}/score", as_of=day.isoformat())
            assert response.status_code == 200, (stamp, site.slug, day, response.content[:200])
            out.constraints += _readings(stamp, site, response.json(), ended, "score API")

    for site in refusing:
        assert get(f"/api/v1/sites/{site.slug}/score").status_code == 404
        assert get(f"/api/v1/sites/{site.slug}/report.pdf", edition="research").status_code == 404


def _year(figure: Figure) -> int:
    return Month.from_key(rd.month_key(next(iter(figure.cells)))).year


def _readings(
    stamp: str, site: Site, score: dict[str, Any], ended: dict[str, Month], label: str
) -> list[Constraint]:
    as_of = date.fromisoformat(score["as_of"])
    last = ended[site.slug]
    assert as_of == month_end(as_of), f"{stamp} {label} {site.slug} reads {as_of}"
    assert Month.of(as_of) <= last, (
        f"{stamp} {label} {site.slug} reads {as_of}, after the last month ended there ({last})"
    )
    return rd.score_constraints(site.slug, score, label)
