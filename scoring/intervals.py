"""Scores as researchers read them: no figure that pins a suppressed count (SPEC §2, §7).

Compliance points are 25 − 5 × breaches: published exactly, they would give the breach
count that every count table suppresses, and month-end readings one after another would
date the breaches. So for researchers (and every role that reads suppressed aggregates)
a criterion whose points are a function of an interaction count is published only as the
interval it could lie in given what the suppressed count tells: the count is read as one
of three classes, 0, 1..T−1 ("<T") or T and more, and the points as the hull of the
points of every count in that class. The factor that holds the criterion and the total
become intervals too, computed by the rubric itself at both ends (the rubric is monotone
in every criterion), so weights and rounding are those of the rubric exactly. The band
becomes the range of bands those ends fall in.

Why T and more is a class and not an exact count: a count over the 90 days before a
month end is not a cell of the research release, and an exact one beside month counts
(90 days ending on 31 March are January to March) would recompute a suppressed month.

Plain functions over a computed `Scorecard`; no database. Managers and admins get the
same shape with every figure exact (`exact_view`), so pages and PDFs have one template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import ngettext

from privacy.suppression import suppress
from scoring.rubric import (
    BREACH_WINDOW,
    FACTOR_KEYS,
    Criterion,
    Factor,
    Ref,
    Scorecard,
    compliance_points,
)

Number = int | Decimal

# Criteria whose points are a function of the interaction count they carry
# (`Criterion.interaction_count`); none of these functions changes direction.
COUNT_POINTS: dict[str, Callable[[int], int]] = {"compliance": compliance_points}
_MANY = 10**6  # stands for "any count at all" at the open end of the class T and more

# Lowest to highest, as a range of bands reads.
BANDS_UP = ("at_risk", "fragile", "developing", "strong")


@dataclass(frozen=True, eq=False)
class Span:
    """A figure as published: exact when `lo == hi`, else the interval it lies in. An
    exact span equals its number (`Span.of(85) == 85`), so exact readers compare as
    before."""

    lo: Number
    hi: Number

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Span):
            return (self.lo, self.hi) == (other.lo, other.hi)
        if isinstance(other, int | Decimal | float):
            return self.is_exact and self.lo == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.lo) if self.is_exact else hash((self.lo, self.hi))

    def __add__(self, other: Span | Number) -> Span:
        # Interval sums (a count of sites certainly..possibly in a band, summed).
        if isinstance(other, Span):
            return Span(self.lo + other.lo, self.hi + other.hi)
        return Span(self.lo + other, self.hi + other)

    __radd__ = __add__

    @classmethod
    def of(cls, value: Number) -> Span:
        return cls(value, value)

    @property
    def is_exact(self) -> bool:
        return self.lo == self.hi

    @property
    def midpoint(self) -> Decimal:
        return (Decimal(self.lo) + Decimal(self.hi)) / 2

    def as_json(self) -> Any:
        """The number, or `{"min": …, "max": …}` when the figure is an interval."""

        def number(value: Number) -> int | float:
            return float(value) if isinstance(value, Decimal) else value

        if self.is_exact:
            return number(self.lo)
        return {"min": number(self.lo), "max": number(self.hi)}

    def __str__(self) -> str:
        return str(self.lo) if self.is_exact else f"{self.lo}–{self.hi}"


@dataclass(frozen=True)
class BandRange:
    """The band, or the range of bands from `lo` (the lowest) to `hi`."""

    lo: str
    hi: str

    @property
    def is_exact(self) -> bool:
        return self.lo == self.hi

    @property
    def bands(self) -> tuple[str, ...]:
        return BANDS_UP[BANDS_UP.index(self.lo) : BANDS_UP.index(self.hi) + 1]

    def includes(self, band: str) -> bool:
        return band in self.bands

    def as_json(self) -> Any:
        return self.lo if self.is_exact else {"min": self.lo, "max": self.hi}


@dataclass(frozen=True)
class CriterionView:
    key: str
    points: Span
    max: int
    evidence: str
    to_meet: str = ""
    refs: tuple[Ref, ...] = ()  # the records behind the evidence: for managers only

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "points": self.points.as_json(), "max": self.max,
                "evidence": self.evidence}  # fmt: skip


@dataclass(frozen=True)
class FactorView:
    key: str
    score: Span
    criteria: tuple[CriterionView, ...]

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "score": self.score.as_json(), "max": 100,
                "criteria": [c.as_json() for c in self.criteria]}  # fmt: skip


@dataclass(frozen=True)
class ScoreView:
    """A scorecard as one role may read it; the score JSON of SPEC §7 (`as_json`)."""

    site: str
    as_of: date
    weights: dict[str, int]
    rubric: str
    total: Span
    band: BandRange
    factors: tuple[FactorView, ...]

    @property
    def is_exact(self) -> bool:
        return self.total.is_exact and all(
            f.score.is_exact and all(c.points.is_exact for c in f.criteria) for f in self.factors
        )

    def factor(self, key: str) -> FactorView:
        return next(f for f in self.factors if f.key == key)

    def as_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "as_of": self.as_of.isoformat(),
            "rubric": self.rubric,
            "weights": {key: self.weights[key] for key in FACTOR_KEYS},
            "total": self.total.as_json(),
            "band": self.band.as_json(),
            "factors": [f.as_json() for f in self.factors],
        }


def exact_view(card: Scorecard) -> ScoreView:
    """Every figure exact, with the records behind the evidence: for managers and admins."""
    return ScoreView(
        site=card.site, as_of=card.as_of, weights=card.weights, rubric=card.rubric,
        total=Span.of(card.total), band=BandRange(card.band, card.band),
        factors=tuple(
            FactorView(f.key, Span.of(f.score), tuple(
                CriterionView(c.key, Span.of(c.points), c.max, c.evidence, c.to_meet, c.refs)
                for c in f.criteria
            ))
            for f in card.factors
        ),
    )  # fmt: skip


def count_class(count: int, threshold: int) -> tuple[int, int]:
    """The counts a reader of a suppressed table cannot tell `count` from: itself when 0,
    1..T−1 when suppressed, T and more (up to `_MANY`) otherwise."""
    if count <= 0:
        return 0, 0
    if count < threshold:
        return 1, threshold - 1
    return threshold, _MANY


def points_span(criterion: Criterion, threshold: int) -> Span:
    """The points of `criterion` as a reader of suppressed counts may know them."""
    rule = COUNT_POINTS.get(criterion.key)
    if rule is None or criterion.interaction_count is None:
        return Span.of(criterion.points)
    first, last = count_class(criterion.interaction_count, threshold)
    ends = (rule(first), rule(last))
    return Span(min(ends), max(ends))


def research_evidence(criterion: Criterion, threshold: int) -> str:
    """The evidence sentence without an exact interaction count other than 0."""
    if criterion.interaction_count is None:
        return criterion.evidence
    count = criterion.interaction_count
    if count >= threshold:
        return ngettext(
            "%(count)s or more breach in the last %(days)s days.",
            "%(count)s or more breaches in the last %(days)s days.",
            threshold,
        ) % {"count": threshold, "days": BREACH_WINDOW}
    text = suppress(count, threshold)  # "0", or "<10" when suppressed: read as plural
    return ngettext(
        "%(count)s breach in the last %(days)s days.",
        "%(count)s breaches in the last %(days)s days.",
        0 if count == 0 else 2,
    ) % {"count": text, "days": BREACH_WINDOW}


def _at(card: Scorecard, spans: dict[tuple[str, str], Span], end: str) -> Scorecard:
    """`card` with each criterion of `spans` at its lowest (`end="lo"`) or highest points."""
    factors = tuple(
        Factor(f.key, tuple(
            replace(c, points=getattr(spans[f.key, c.key], end)) for c in f.criteria
        ))
        for f in card.factors
    )  # fmt: skip
    return Scorecard(site=card.site, as_of=card.as_of, weights=card.weights, factors=factors)


def researcher_view(card: Scorecard, threshold: int) -> ScoreView:
    """`card` as researchers read it: criteria, factors, total and band that depend on a
    count are the intervals of its class (module docstring); other figures exact."""
    spans = {(f.key, c.key): points_span(c, threshold) for f in card.factors for c in f.criteria}
    low, high = _at(card, spans, "lo"), _at(card, spans, "hi")
    return ScoreView(
        site=card.site, as_of=card.as_of, weights=card.weights, rubric=card.rubric,
        total=Span(low.total, high.total), band=BandRange(low.band, high.band),
        factors=tuple(
            FactorView(f.key, Span(lo_f.score, hi_f.score), tuple(
                CriterionView(c.key, spans[f.key, c.key], c.max,
                              research_evidence(c, threshold), c.to_meet)
                for c in f.criteria
            ))
            for f, lo_f, hi_f in zip(card.factors, low.factors, high.factors, strict=True)
        ),
    )  # fmt: skip


def view_for(card: Scorecard, *, exact: bool, threshold: int) -> ScoreView:
    return exact_view(card) if exact else researcher_view(card, threshold)


def mean(spans: Iterable[Span]) -> Span | None:
    """The mean of figures that may be intervals: the interval of the means of their
    ends, each rounded half up to one decimal as the total is. None when there are none."""
    spans = list(spans)
    if not spans:
        return None

    def rounded(values: list[Number]) -> Decimal:
        exact = sum((Decimal(v) for v in values), Decimal(0)) / len(values)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return Span(rounded([s.lo for s in spans]), rounded([s.hi for s in spans]))
