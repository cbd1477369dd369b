"""What the interaction CSVs hold: selectors that read in a fixed number of queries, and
pure builders that turn what they read into rows.

Two files, for two readers:

- the research file (SPEC §7, §8): monthly counts by site and category, as the research
  release publishes them (`agreements.research_release`), for every site the caller may see with
  scores; no narrative, no single interaction;
- the manager's log: every interaction of one site, narratives included (it is the
  site's own record), for the site's managers and admins only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agreements.breaches import is_breach
from agreements.choices import Category
from agreements.models import Interaction, Site
from agreements.periods import Month
from agreements.research_release import releases

CATEGORIES: tuple[str, ...] = tuple(Category.values)  # SPEC §4 order: a stable interface
RESEARCH_HEADER: tuple[str, ...] = ("site", "month", *CATEGORIES, "total")
RESEARCH_FILENAME = "interactions-monthly.csv"
DEFAULT_MONTHS = 24


@dataclass(frozen=True)
class MonthRange:
    first: Month
    last: Month

    def __str__(self) -> str:
        return f"{self.first} to {self.last}"


def last_complete_month(sites: Iterable[Site], today_utc: Month) -> Month:
    """The latest month that has ended at some site (the month before the latest site's
    current month), or the month before `today_utc` when there is no site."""
    current = max((Month.of(site.today()) for site in sites), default=today_utc)
    return current.shift(-1)


def default_range(sites: Iterable[Site], today_utc: Month) -> MonthRange:
    """The last 24 complete months."""
    last = last_complete_month(sites, today_utc)
    return MonthRange(last.shift(-(DEFAULT_MONTHS - 1)), last)


def research_rows(sites: Sequence[Site], months: MonthRange, threshold: int) -> list[list[str]]:
    """The research file's rows: one per site and month of `months` complete at the
    site, in order of site slug and month, read from the research release (SPEC §8,
    `agreements.research_release`): each cell and row total as the release marks it, "<T" for a
    count from 1 to T−1, "x" for one hidden so that a small one cannot be worked out.

    Every complete month gets its row, zero or not, so that the rows a file holds say
    nothing the release does not. Months that have not ended at the site are left out:
    counts that change from day to day would date single interactions. The research
    PDF's totals are figures of the same release, suppressed with these cells, so the
    two files cannot be subtracted from each other (issue 14 §2).
    """
    years = list(range(months.first.year, months.last.year + 1))
    rows: list[list[str]] = []
    for site_year in releases(sites, years, threshold):
        release = site_year.release
        for month in site_year.months:
            if not months.first <= month <= months.last:
                continue
            mk = month.key
            cells = [release.mark(("cell", mk, category)) for category in CATEGORIES]
            rows.append([site_year.site.slug, str(month), *cells, release.mark(("row", mk))])
    return rows


# --- the manager's log -------------------------------------------------------------------

INTERACTION_LOG_HEADER: tuple[str, ...] = (
    "id",
    "occurred_at_local",
    "category",
    "breach",
    "distance_band",
    "officers_present",
    "plain_clothes",
    "vehicle_present",
    "staff_requested",
    "site_notified",
    "impact",
    "liaison_contacted",
    "legal_basis",
    "disclosed",
    "badge_numbers",
    "clause_topic",
    "shared_for_mediation",
    "resolution",
    "narrative",
    # Added after the first release: at the end, so that columns read by position stay put.
    "source",
    "consent",
)
_LOG_FIELDS = (
    "id", "occurred_at", "category", "distance_band", "officers_present", "plain_clothes",
    "vehicle_present", "staff_requested", "site_notified", "impact", "liaison_contacted",
    "legal_basis", "disclosed", "badge_numbers", "clause_topic", "share__id", "resolution",
    "narrative", "source", "consent",
)  # fmt: skip


def interaction_log_filename(site: Site) -> str:
    return f"{site.slug}-interactions.csv"


def interaction_log(site: Site) -> list[dict[str, Any]]:
    """Every interaction of the site, oldest first, as plain values. One query: the
    share, if any, comes in by a join."""
    return list(
        Interaction.objects.filter(site=site).order_by("occurred_at", "id").values(*_LOG_FIELDS)
    )


def interaction_log_rows(site: Site, records: Iterable[dict[str, Any]]) -> list[list[object]]:
    """The manager's file: times local to the site, to the hour; booleans as yes/no."""
    return [_log_row(site, record) for record in records]


def _log_row(site: Site, r: dict[str, Any]) -> list[object]:
    occurred: datetime = site.local(r["occurred_at"])
    breach = is_breach(
        category=r["category"],
        notified=r["site_notified"],
        distance_band=r["distance_band"],
        legal_basis=r["legal_basis"],
    )
    return [
        r["id"],
        # Stored to the hour already; written without minutes so none is implied.
        occurred.strftime("%Y-%m-%d %H:00"),
        r["category"],
        _yes_no(breach),
        r["distance_band"],
        r["officers_present"],
        _yes_no(r["plain_clothes"]),
        _yes_no(r["vehicle_present"]),
        _yes_no(r["staff_requested"]),
        _yes_no(r["site_notified"]),
        r["impact"],
        _yes_no(r["liaison_contacted"]),
        r["legal_basis"],
        "" if r["disclosed"] is None else _yes_no(r["disclosed"]),
        r["badge_numbers"],
        r["clause_topic"],
        _yes_no(r["share__id"] is not None),
        r["resolution"],
        r["narrative"],
        r["source"],
        r["consent"],
    ]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
