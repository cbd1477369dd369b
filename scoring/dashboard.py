"""The network dashboard as plain data: rows, peers, band distribution, sorting.

Pure functions over score views already computed (`scoring.intervals`), tested without a
database. A row's figures may be intervals (researchers' rows where a breach count is
suppressed): peers are then the interval of the means, a band count the range from the
sites certainly in that band to the sites possibly in it, and sorting uses an interval's
midpoint (an exact figure is its own midpoint), names breaking ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from scoring.intervals import BANDS_UP, ScoreView, Span, mean
from scoring.rubric import FACTOR_KEYS

BAND_ORDER = tuple(reversed(BANDS_UP))  # strong first, as the dashboard lists them
SORT_KEYS = ("name", "region", "status", "total", *FACTOR_KEYS)


@dataclass(frozen=True)
class SiteFacts:
    slug: str
    name: str
    region: str
    status: str


@dataclass(frozen=True)
class Row:
    site: SiteFacts
    card: ScoreView
    region_peers: Span | None  # mean total of the other visible sites in the region
    status_peers: Span | None  # mean total of the other visible sites with this status

    @property
    def factor_scores(self) -> list[Span]:
        return [f.score for f in self.card.factors]

    @property
    def as_of(self) -> date:
        return self.card.as_of


def build_rows(entries: Sequence[tuple[SiteFacts, ScoreView]]) -> list[Row]:
    rows = []
    for facts, card in entries:
        region = [c.total for f, c in entries if f.region == facts.region and f is not facts]
        status = [c.total for f, c in entries if f.status == facts.status and f is not facts]
        rows.append(Row(facts, card, mean(region), mean(status)))
    return rows


def band_distribution(rows: Sequence[Row]) -> list[tuple[str, Span]]:
    """Per band, from the number of sites certainly in it to the number possibly in it."""
    return [
        (band,
         Span(sum(1 for r in rows if r.card.band.bands == (band,)),
              sum(1 for r in rows if r.card.band.includes(band))))
        for band in BAND_ORDER
    ]  # fmt: skip


def sort_rows(rows: list[Row], key: str) -> list[Row]:
    """Sort by a key of SORT_KEYS, "-" first for descending; names break ties. Figures
    that are intervals sort by their midpoint."""
    descending = key.startswith("-")
    name = key.lstrip("-")
    by_name = sorted(rows, key=lambda r: r.site.name.lower())
    if name == "name":
        return list(reversed(by_name)) if descending else by_name

    def value(row: Row) -> Decimal | str:
        if name == "total":
            return row.card.total.midpoint
        if name in FACTOR_KEYS:
            return row.card.factor(name).score.midpoint
        return str(getattr(row.site, name))

    return sorted(by_name, key=value, reverse=descending)  # type: ignore[arg-type]


def sites_as_of(rows: Sequence[Row]) -> list[date]:
    """The distinct days the rows are scored on, oldest first (per-site complete months
    can differ across time zones)."""
    return sorted({r.as_of for r in rows})
