"""The perception gap, as plain functions over plain data (no database).

A side's perception of a factor is (mean rating − 1) × 25, on 0–100 (SPEC §3): the mean
over that side's respondents of their ratings of the factor's statements. The gap is the
distance between the two sides' perceptions; 25 points or more is a topic for the next
check-in. Figures are kept exact (fractions) and rounded half up to one decimal only for
showing, so that the flag never depends on the rounding.

Researchers read gaps only through `research_round` and `network_gaps`, which apply the
deployment's small-count threshold T to the number of respondents (docs/privacy.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from agreements.choices import FACTOR_KEYS
from perception.instrument import statements

MANAGER, LIAISON = "manager", "liaison"
SIDES = (MANAGER, LIAISON)
FLAG_AT = 25  # points of 100: a gap this wide is a topic for the next check-in


@dataclass(frozen=True)
class Ratings:
    """One respondent's answer: their side and their rating of every statement."""

    side: str
    ratings: Mapping[str, int]  # statement key → 1…5


@dataclass(frozen=True)
class FactorGap:
    factor: str
    manager: Decimal | None  # None: that side's answers are missing (or not shown)
    liaison: Decimal | None
    gap: Decimal | None
    flagged: bool  # gap ≥ 25, decided on the exact figures


@dataclass(frozen=True)
class RoundFigures:
    """One round's figures per factor, in the order F1…F5."""

    round_id: int
    closed_on: date | None  # the day the round closed (None while open)
    respondents: int  # both sides together
    factors: tuple[FactorGap, ...]

    def factor(self, key: str) -> FactorGap:
        return next(f for f in self.factors if f.factor == key)


def one_decimal(value: Fraction) -> Decimal:
    """Half up to one decimal, like the score's total."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def side_perception(
    responses: Sequence[Ratings], side: str, keys: Sequence[str]
) -> Fraction | None:
    """(mean of the side's ratings of these statements − 1) × 25; None without answers."""
    ratings = [r.ratings[key] for r in responses if r.side == side for key in keys]
    if not ratings:
        return None
    return (Fraction(sum(ratings), len(ratings)) - 1) * 25


def exact_gaps(version: str, responses: Sequence[Ratings]) -> dict[str, Fraction | None]:
    """Per factor, |manager − liaison| exactly; None when a side has no answer."""
    result: dict[str, Fraction | None] = {}
    for factor in FACTOR_KEYS:
        keys = [s.key for s in statements(version) if s.factor == factor]
        manager = side_perception(responses, MANAGER, keys)
        liaison = side_perception(responses, LIAISON, keys)
        result[factor] = (
            abs(manager - liaison) if manager is not None and liaison is not None else None
        )
    return result


def perceptions(version: str, responses: Sequence[Ratings]) -> tuple[FactorGap, ...]:
    """Each side's perception and the gap, per factor, in the order F1…F5."""
    gaps = exact_gaps(version, responses)
    rows = []
    for factor in FACTOR_KEYS:
        keys = [s.key for s in statements(version) if s.factor == factor]
        manager = side_perception(responses, MANAGER, keys)
        liaison = side_perception(responses, LIAISON, keys)
        gap = gaps[factor]
        rows.append(
            FactorGap(
                factor=factor,
                manager=one_decimal(manager) if manager is not None else None,
                liaison=one_decimal(liaison) if liaison is not None else None,
                gap=one_decimal(gap) if gap is not None else None,
                flagged=gap is not None and gap >= FLAG_AT,
            )
        )
    return tuple(rows)


def round_figures(
    round_id: int, version: str, closed_on: date | None, responses: Sequence[Ratings]
) -> RoundFigures:
    return RoundFigures(
        round_id=round_id,
        closed_on=closed_on,
        respondents=len(responses),
        factors=perceptions(version, responses),
    )


def latest_with_both_sides(trend: Sequence[RoundFigures]) -> RoundFigures | None:
    """The newest round (of a trend, oldest first) where both sides' figures are shown."""
    for figures in reversed(trend):
        if any(f.gap is not None for f in figures.factors):
            return figures
    return None


# --- what researchers read ------------------------------------------------------------


@dataclass(frozen=True)
class ResearchCell:
    factor: str
    gap: Decimal | None  # None when suppressed, or when one side did not answer
    suppressed: bool


@dataclass(frozen=True)
class ResearchRound:
    round_id: int
    closed_on: date | None
    respondents: int | None  # None: fewer than T (the cells are suppressed)
    cells: tuple[ResearchCell, ...]


def research_round(figures: RoundFigures, threshold: int) -> ResearchRound:
    """A closed round as researchers read it: the gap per factor where the round has at
    least T respondents, nothing else (no side's perception, no rating, no comment)."""
    small = figures.respondents < threshold
    return ResearchRound(
        round_id=figures.round_id,
        closed_on=figures.closed_on,
        respondents=None if small else figures.respondents,
        cells=tuple(
            ResearchCell(f.factor, None if small else f.gap, suppressed=small)
            for f in figures.factors
        ),
    )


@dataclass(frozen=True)
class NetworkCell:
    factor: str
    mean_gap: Decimal | None  # None when suppressed or when no round has a gap
    rounds: int  # rounds with a gap for this factor
    suppressed: bool


@dataclass(frozen=True)
class ExactRound:
    """A closed round's exact gaps, for the network mean (never shown as such)."""

    respondents: int
    gaps: Mapping[str, Fraction | None]


def network_gaps(rounds: Sequence[ExactRound], threshold: int) -> tuple[NetworkCell, ...]:
    """The mean gap per factor over a group of closed rounds (one per site), each round
    weighing the same.

    Published when the rounds' respondents number at least T *and* the rounds that are
    suppressed on their own (fewer than T respondents) are either none or together hold
    at least T respondents. The published per-round gaps let a reader subtract the
    published rounds from the mean; what is left is the mean of the suppressed rounds,
    which must therefore be a figure over T respondents or more, like any published
    cell. With two sites, one round published and one suppressed, the mean would give
    the suppressed round's gap exactly: it is suppressed too."""
    cells = []
    for factor in FACTOR_KEYS:
        with_gap = [r for r in rounds if r.gaps.get(factor) is not None]
        total = sum(r.respondents for r in with_gap)
        hidden = sum(r.respondents for r in with_gap if r.respondents < threshold)
        publish = bool(with_gap) and total >= threshold and (hidden == 0 or hidden >= threshold)
        mean = (
            sum((r.gaps[factor] or Fraction(0) for r in with_gap), Fraction(0)) / len(with_gap)
            if publish
            else None
        )
        cells.append(
            NetworkCell(
                factor=factor,
                mean_gap=one_decimal(mean) if mean is not None else None,
                rounds=len(with_gap),
                suppressed=bool(with_gap) and not publish,
            )
        )
    return tuple(cells)
