"""Transparency data: police requests for client information, per quarter, by the legal
basis police gave and by whether anything was disclosed (SPEC §4 `information_request`).

A site publishes these counts to show how often police asked for records and on what
authority. The reading is one query (`transparency_rows`, `transparency_by_site`); the
tabulation and the research suppression are pure functions over plain data.

For the PDF reports::

    from reports.transparency import COLUMNS, transparency_rows, suppressed_transparency

    rows = transparency_rows(site)                      # manager edition: exact counts
    table = suppressed_transparency(rows, threshold)    # research edition: "<T" etc.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count

from agreements.choices import Category, LegalBasis
from agreements.models import Interaction, Site
from agreements.periods import Quarter, local_period_key, utc_window
from privacy.suppression import SuppressedTable, suppress_table

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


def suppressed_transparency(rows: Sequence[TransparencyRow], threshold: int) -> SuppressedTable:
    """The research form of `rows`: rows = quarters, columns = `COLUMNS`, with row
    totals, column totals and the grand total, suppressed so that no small count can be
    recomputed from the totals (`privacy.suppression.suppress_table`).

    Publish fixed periods (a calendar year, say): totals over ranges a reader may vary
    could be subtracted from each other."""
    return suppress_table([row.cells for row in rows], threshold, column_totals=True)


def transparency_by_site(
    sites: Sequence[Site], first: Quarter, last: Quarter
) -> dict[int, list[TransparencyRow]]:
    """Site id → one row per quarter from `first` to `last` (local quarters at each
    site). One query for all the sites."""
    counts = _request_counts(sites, first, last)
    return {site.id: tabulate(counts.get(site.id, {}), first, last) for site in sites}


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


def research_csv_rows(
    slug: str, table: SuppressedTable, quarters: Sequence[Quarter]
) -> list[list[str]]:
    """One site's suppressed table as lines of the research file, then its totals."""
    lines = [
        [slug, str(quarter), *cells, total]
        for quarter, cells, total in zip(quarters, table.cells, table.row_totals, strict=True)
    ]
    lines.append([slug, TOTAL_LABEL, *(table.column_totals or ()), table.grand_total or ""])
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
