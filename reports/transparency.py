"""Transparency data: police requests for client information, per quarter, by the legal
basis police gave and by whether anything was disclosed (SPEC §4 `information_request`).

A site publishes these counts to show how often police asked for records and on what
authority. Managers read exact counts (`transparency_rows`: one query; the tabulation is
a pure function over plain data). Researchers read the figures of the research release
(`agreements.research_release`, `research_csv_rows`), suppressed with every other count they read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count

from agreements.choices import Category, LegalBasis
from agreements.models import Interaction, Site
from agreements.periods import Quarter, local_period_key, utc_window
from agreements.research_release import INFO, SiteYear

LEGAL_BASES: tuple[str, ...] = tuple(LegalBasis.values)  # none, warrant, production_order, other
# The table's columns, in order: each legal basis, not disclosed then disclosed.
COLUMNS: tuple[tuple[str, bool], ...] = tuple(
    (basis, disclosed) for basis in LEGAL_BASES for disclosed in (False, True)
)
COLUMN_NAMES: tuple[str, ...] = tuple(
    f"{basis}_{'disclosed' if disclosed else 'not_disclosed'}" for basis, disclosed in COLUMNS
)
MANAGER_HEADER: tuple[str, ...] = ("quarter", *COLUMN_NAMES, "total")
RESEARCH_HEADER: tuple[str, ...] = ("site", "quarter", *COLUMN_NAMES, "total")
TOTAL_LABEL = "total"

# (quarter key, legal basis, disclosed) → number of requests
RequestCounts = Mapping[tuple[int, str, bool], int]


@dataclass(frozen=True)
class TransparencyRow:
    """One quarter: `cells[i]` counts the requests of kind `COLUMNS[i]`."""

    quarter: Quarter
    cells: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.cells)

    def count(self, basis: str, disclosed: bool) -> int:
        return self.cells[COLUMNS.index((basis, disclosed))]

    def requests(self, basis: str) -> int:
        """Requests on this basis, whether or not anything was disclosed."""
        return self.count(basis, False) + self.count(basis, True)

    @property
    def disclosed(self) -> int:
        return sum(n for (_, d), n in zip(COLUMNS, self.cells, strict=True) if d)


def tabulate(counts: RequestCounts, first: Quarter, last: Quarter) -> list[TransparencyRow]:
    """One row per quarter from `first` to `last`, quarters without requests included
    (a quarter with none is worth publishing too). Pure."""
    return [
        TransparencyRow(
            quarter=Quarter.from_key(key),
            cells=tuple(counts.get((key, basis, disclosed), 0) for basis, disclosed in COLUMNS),
        )
        for key in range(first.key, last.key + 1)
    ]


def column_totals(rows: Sequence[TransparencyRow]) -> tuple[int, ...]:
    return tuple(sum(row.cells[i] for row in rows) for i in range(len(COLUMNS)))


def transparency_rows(
    site: Site, *, first: Quarter | None = None, last: Quarter | None = None
) -> list[TransparencyRow]:
    """The site's requests for information, one row per quarter, oldest first.

    `last` defaults to the site's current quarter (so the current quarter is partial);
    `first` to the quarter of the site's earliest request on or before `last` (or to
    `last` when there is none). Quarters are local to the site. One query.
    """
    last = last or Quarter.of(site.today())
    counts = _request_counts([site], first, last).get(site.id, {})
    if first is None:
        first = min((Quarter.from_key(key) for key, _, _ in counts), default=last)
    return tabulate(counts, first, last)


def manager_csv_rows(rows: Sequence[TransparencyRow]) -> list[list[object]]:
    """Exact counts, one line per quarter, then a line of totals."""
    lines: list[list[object]] = [[str(row.quarter), *row.cells, row.total] for row in rows]
    totals = column_totals(rows)
    lines.append([TOTAL_LABEL, *totals, sum(totals)])
    return lines


def research_csv_rows(site_year: SiteYear) -> list[list[str]]:
    """One site's year of requests as lines of the research file, then its totals: the
    figures of the site's research release (`agreements.research_release`), as it marks them ("<T",
    "x"). The same figures as the research PDF's table, suppressed jointly with the
    monthly counts, so no file can be subtracted from another (issue 14 §2)."""
    release, slug = site_year.release, site_year.site.slug
    lines = []
    for q in range(1, 5):
        quarter = Quarter(site_year.year, q)
        cells = [release.mark(("request", quarter.key, b, d)) for b, d in COLUMNS]
        lines.append([slug, str(quarter), *cells, release.mark(("requests_quarter", quarter.key))])
    totals = [release.mark(("requests_kind", b, d)) for b, d in COLUMNS]
    lines.append([slug, TOTAL_LABEL, *totals, release.mark(("category", INFO))])
    return lines


def _request_counts(
    sites: Sequence[Site], first: Quarter | None, last: Quarter
) -> dict[int, dict[tuple[int, str, bool], int]]:
    if not sites:
        return {}
    # Without `first`, every request up to `last`: the caller starts at the earliest.
    start, end = utc_window((first or last).first_day(), last.shift(1).first_day())
    requests = Interaction.objects.filter(
        site_id__in=[s.id for s in sites], category=Category.INFORMATION_REQUEST
    ).filter(occurred_at__lt=end)
    key = local_period_key(((s.id, s.timezone) for s in sites), "quarter")
    requests = requests.annotate(quarter_key=key).filter(quarter_key__lte=last.key)
    if first is not None:
        requests = requests.filter(occurred_at__gte=start, quarter_key__gte=first.key)
    rows = (
        requests.values("site_id", "quarter_key", "legal_basis", "disclosed")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[tuple[int, str, bool], int]] = {}
    for row in rows:
        # The model requires both facts for a request; a row written around validation
        # is still counted (under `other`, not disclosed) so totals match the monthly
        # counts of `information_request`.
        basis = row["legal_basis"] if row["legal_basis"] in LEGAL_BASES else LegalBasis.OTHER
        cell = (row["quarter_key"], str(basis), bool(row["disclosed"]))
        site_counts = result.setdefault(row["site_id"], {})
        site_counts[cell] = site_counts.get(cell, 0) + row["n"]
    return result
