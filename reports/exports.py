"""What the interaction CSVs hold: selectors that read in a fixed number of queries, and
pure builders that turn what they read into rows.

Two files, for two readers:

- the research file (SPEC §7, §8): monthly counts by site and category, suppressed, for
  every site the caller may see with scores; no narrative, no single interaction;
- the manager's log: every interaction of one site, narratives included (it is the
  site's own record), for the site's managers and admins only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count

from agreements.breaches import is_breach
from agreements.choices import Category
from agreements.models import Interaction, Site
from agreements.periods import Month, local_period_key, utc_window
from privacy.suppression import suppress_rows

CATEGORIES: tuple[str, ...] = tuple(Category.values)  # SPEC §4 order: a stable interface
RESEARCH_HEADER: tuple[str, ...] = ("site", "month", *CATEGORIES, "total")
RESEARCH_FILENAME = "interactions-monthly.csv"
DEFAULT_MONTHS = 24

# (site id, month key) → category → count
MonthlyCounts = dict[tuple[int, int], dict[str, int]]


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


def monthly_category_counts(sites: Sequence[Site], months: MonthRange) -> MonthlyCounts:
    """Interactions per site, local month and category, for local months in `months`.

    One query, aggregated by the database, whatever the number of sites, zones or
    interactions.
    """
    if not sites:
        return {}
    start, end = utc_window(months.first.first_day(), months.last.shift(1).first_day())
    rows = (
        Interaction.objects.filter(site_id__in=[s.id for s in sites])
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .annotate(month_key=local_period_key(((s.id, s.timezone) for s in sites), "month"))
        .filter(month_key__gte=months.first.key, month_key__lte=months.last.key)
        .values("site_id", "month_key", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: MonthlyCounts = {}
    for row in rows:
        counts.setdefault((row["site_id"], row["month_key"]), {})[row["category"]] = row["n"]
    return counts


def research_rows(sites: Sequence[Site], counts: MonthlyCounts, threshold: int) -> list[list[str]]:
    """The research file's rows: one per site and month with any interaction, in order
    of site slug and month, each row suppressed with its total (SPEC §8).

    Months that have not ended at the site are left out: counts that change from day to
    day would date single interactions (the reason researchers read scores at month
    ends too).
    """
    slugs = {site.id: site.slug for site in sites}
    current = {site.id: Month.of(site.today()).key for site in sites}
    keys = sorted(
        (slugs[site_id], month_key, site_id)
        for site_id, month_key in counts
        if month_key < current[site_id]
    )
    table = [
        [counts[(site_id, month_key)].get(category, 0) for category in CATEGORIES]
        for _, month_key, site_id in keys
    ]
    suppressed = suppress_rows(table, threshold)
    return [
        [slug, str(Month.from_key(month_key)), *row]
        for (slug, month_key, _), row in zip(keys, suppressed, strict=True)
    ]


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
)
_LOG_FIELDS = (
    "id", "occurred_at", "category", "distance_band", "officers_present", "plain_clothes",
    "vehicle_present", "staff_requested", "site_notified", "impact", "liaison_contacted",
    "legal_basis", "disclosed", "badge_numbers", "clause_topic", "share__id", "resolution",
    "narrative",
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
    ]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
