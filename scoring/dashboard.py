"""The network dashboard as plain data: rows, peers, band distribution, sorting.

Pure functions over scorecards already computed, tested without a database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from scoring.rubric import FACTOR_KEYS, Scorecard

BAND_ORDER = ("strong", "developing", "fragile", "at_risk")
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
    card: Scorecard
    region_peers: Decimal | None  # mean total of the other visible sites in the region
    status_peers: Decimal | None  # mean total of the other visible sites with this status

    @property
    def factor_scores(self) -> list[int]:
        return [f.score for f in self.card.factors]


def _mean_of_others(totals: Sequence[Decimal]) -> Decimal | None:
    if not totals:
        return None
    mean = sum(totals, Decimal(0)) / len(totals)
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def build_rows(entries: Sequence[tuple[SiteFacts, Scorecard]]) -> list[Row]:
    rows = []
    for facts, card in entries:
        region = [c.total for f, c in entries if f.region == facts.region and f is not facts]
        status = [c.total for f, c in entries if f.status == facts.status and f is not facts]
        rows.append(Row(facts, card, _mean_of_others(region), _mean_of_others(status)))
    return rows


def band_distribution(rows: Sequence[Row]) -> list[tuple[str, int]]:
    counts = Counter(row.card.band for row in rows)
    return [(band, counts.get(band, 0)) for band in BAND_ORDER]


def sort_rows(rows: list[Row], key: str) -> list[Row]:
    """Sort by a key of SORT_KEYS, "-" first for descending; names break ties."""
    descending = key.startswith("-")
    name = key.lstrip("-")
    by_name = sorted(rows, key=lambda r: r.site.name.lower())
    if name == "name":
        return list(reversed(by_name)) if descending else by_name

    def value(row: Row) -> object:
        if name == "total":
            return row.card.total
        if name in FACTOR_KEYS:
            return row.card.factor(name).score
        return getattr(row.site, name)

    return sorted(by_name, key=value, reverse=descending)  # type: ignore[arg-type]
