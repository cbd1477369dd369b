"""What new rubric weights do to scores: the factors of a scorecard do not depend on the
weights, so a total under other weights is the same factors weighed again. Pure: the
weights page's preview and the notice on a site's score page, tested without a database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from scoring.rubric import Scorecard, band_for, weighted_total

# How long a site's score page tells its managers that the weights changed.
NOTICE_DAYS = 30


@dataclass(frozen=True)
class Reweighed:
    """One site's total and band with the weights in effect (`before`) and with others."""

    slug: str
    name: str
    before: Decimal
    before_band: str
    after: Decimal
    after_band: str

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    @property
    def changed(self) -> bool:
        return self.after != self.before


def reweigh(card: Scorecard, weights: Mapping[str, int]) -> tuple[Decimal, str]:
    """The total and band of `card`'s factors under `weights`."""
    total = weighted_total(card.factors, dict(weights))
    return total, band_for(total)


def preview(
    sites: Sequence[tuple[str, str, Scorecard]], weights: Mapping[str, int]
) -> list[Reweighed]:
    """For each (slug, name, scorecard with the weights in effect): now and with `weights`,
    the largest changes first."""
    rows = []
    for slug, name, card in sites:
        after, after_band = reweigh(card, weights)
        rows.append(Reweighed(slug, name, card.total, card.band, after, after_band))
    return sorted(rows, key=lambda r: (-abs(r.change), r.name))


@dataclass(frozen=True)
class WeightsNotice:
    changed_on: datetime
    before: Decimal
    after: Decimal

    @property
    def changed(self) -> bool:
        return self.before != self.after


def weights_notice(
    card: Scorecard,
    newest: tuple[datetime, Mapping[str, int]] | None,
    previous: Mapping[str, int] | None,
    today: date,
    local_day: date | None = None,
) -> WeightsNotice | None:
    """The notice a manager reads on a site's score page for `NOTICE_DAYS` after the
    weights changed (`newest`: when, and the weights in effect; `previous`: the weights
    before them): the site's score on `card`'s day with the previous and with the new
    weights. `local_day`: the change's day in the site's zone (else its UTC day)."""
    if newest is None or previous is None:
        return None
    changed_at, weights = newest
    day = local_day or changed_at.date()
    if today - day >= timedelta(days=NOTICE_DAYS) or dict(weights) == dict(previous):
        return None
    before, _ = reweigh(card, previous)
    after, _ = reweigh(card, weights)
    return WeightsNotice(changed_at, before, after)
