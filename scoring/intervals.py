"""Scores as researchers read them: no figure that pins a suppressed count (SPEC §2, §7).

Compliance points are 25 − 5 × breaches: published exactly, they would give the breach
count that every count table suppresses, and month-end readings one after another would
date the breaches. So for researchers (and every role that reads suppressed aggregates)
a criterion whose points are a function of an interaction count is published only as the
interval it could lie in given what the research release tells of that count: the
release's monthly breach figures ("12", "<10", "x") bound the breaches of the 90 days
(`window_breaches`), and the points are the hull over those bounds. The score is thus a
function of published figures alone and adds nothing to them: neither the class of the
90-day count (which, beside exact months, or as the window slides a day past a month's
start, would recompute or date a suppressed month) nor anything finer. The factor that
holds the criterion and the total become intervals too, computed by the rubric itself at
both ends (the rubric is monotone in every criterion), so weights and rounding are those
of the rubric exactly. The band becomes the range of bands those ends fall in.

Plain functions over a computed `Scorecard`; no database. Managers and admins get the
same shape with every figure exact (`exact_view`), so pages and PDFs have one template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import ngettext

from agreements.research_days import month_end
from scoring.rubric import (
    BREACH_WINDOW,
    FACTOR_KEYS,
    Criterion,
    Factor,
    Ref,
    Scorecard,
    compliance_points,
    compliance_to_meet,
)

Number = int | Decimal

# Criteria whose points are a function of the interaction count they carry
# (`Criterion.interaction_count`); none of these functions changes direction.
COUNT_POINTS: dict[str, Callable[[int], int]] = {"compliance": compliance_points}
# And what each says would earn its missing points: given to researchers when the points'
# interval reaches below the maximum, never from the count itself (which would tell a
# breach, even one kept to the site, from none).
COUNT_TO_MEET: dict[str, Callable[[], str]] = {"compliance": compliance_to_meet}
_MANY = 10**6  # stands for "any count at all" at an open end

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


Bounds = tuple[int, int | None]  # least and greatest count; None: no upper limit


def mark_bounds(printed: str, threshold: int) -> Bounds:
    """What a printed figure of the research release tells of its count: the number
    itself, 1..T−1 for "<T", anything at all for "x" (docs/privacy.md, Marks)."""
    if printed == f"<{threshold}":
        return 1, threshold - 1
    if printed.isdigit():
        return int(printed), int(printed)
    return 0, None


def window_months(as_of: date, days: int = BREACH_WINDOW) -> list[tuple[int, int]]:
    """The months, as (year, month), that the `days` ending on `as_of` touch."""
    day = as_of - timedelta(days=days - 1)
    months = []
    while (day.year, day.month) <= (as_of.year, as_of.month):
        months.append((day.year, day.month))
        day = month_end(day) + timedelta(days=1)
    return months


def window_breaches(as_of: date, printed: Mapping[tuple[int, int], str], threshold: int) -> Bounds:
    """The breaches in the `BREACH_WINDOW` days ending on `as_of` as a reader of the
    research release can bound them from its monthly breach figures (`printed`, keyed
    (year, month)): at least the least of the months wholly inside the window, at most
    the greatest of every month it touches. A function of published figures only, so a
    score built on it tells nothing the release does not (issue 14: the 90-day window
    starts mid-month, and its own count would date a breach to the days it gains or
    loses). A month missing from `printed` is read as unknown."""
    start = as_of - timedelta(days=BREACH_WINDOW - 1)
    low, high = 0, 0
    unbounded = False
    for year, month in window_months(as_of):
        least, most = mark_bounds(printed.get((year, month), "x"), threshold)
        if date(year, month, 1) >= start and month_end(date(year, month, 1)) <= as_of:
            low += least
        if most is None:
            unbounded = True
        else:
            high += most
    return low, None if unbounded else high


def points_span(criterion: Criterion, breaches: Bounds) -> Span:
    """The points of `criterion` as a reader of the release may know them, when its
    count (`Criterion.interaction_count`) is known only to lie within `breaches`."""
    rule = COUNT_POINTS.get(criterion.key)
    if rule is None or criterion.interaction_count is None:
        return Span.of(criterion.points)
    least, most = breaches
    ends = (rule(least), rule(_MANY if most is None else most))
    return Span(min(ends), max(ends))


def research_to_meet(criterion: Criterion, points: Span) -> str:
    """The hint of `criterion` as a reader of the release may have it: for a criterion
    counted from interactions, whether it shows follows the published interval `points`
    (a hint shown only when the exact count cost points would tell the count's class)."""
    rule = COUNT_TO_MEET.get(criterion.key)
    if rule is None or criterion.interaction_count is None:
        return criterion.to_meet
    return rule() if points.lo < criterion.max else ""


def research_evidence(criterion: Criterion, breaches: Bounds) -> str:
    """The evidence sentence with the count as the release bounds it, never the count."""
    if criterion.interaction_count is None:
        return criterion.evidence
    least, most = breaches
    values = {"least": least, "most": most, "days": BREACH_WINDOW}
    if least == most:
        return (
            ngettext(
                "%(least)s breach in the last %(days)s days.",
                "%(least)s breaches in the last %(days)s days.",
                least,
            )
            % values
        )
    if most is None:
        return (
            ngettext(
                "%(least)s or more breach in the months of the last %(days)s days.",
                "%(least)s or more breaches in the months of the last %(days)s days.",
                least,
            )
            % values
        )
    return (
        ngettext(
            "From %(least)s to %(most)s breach in the months of the last %(days)s days.",
            "From %(least)s to %(most)s breaches in the months of the last %(days)s days.",
            most,
        )
        % values
    )


def _at(card: Scorecard, spans: dict[tuple[str, str], Span], end: str) -> Scorecard:
    """`card` with each criterion of `spans` at its lowest (`end="lo"`) or highest points."""
    factors = tuple(
        Factor(f.key, tuple(
            replace(c, points=getattr(spans[f.key, c.key], end)) for c in f.criteria
        ))
        for f in card.factors
    )  # fmt: skip
    return Scorecard(site=card.site, as_of=card.as_of, weights=card.weights, factors=factors)


def researcher_view(card: Scorecard, *, breaches: Bounds) -> ScoreView:
    """`card` as researchers read it: criteria, factors, total and band that depend on a
    count are intervals over what the release tells of it (`breaches`, from
    `window_breaches`; module docstring); other figures exact."""
    spans = {(f.key, c.key): points_span(c, breaches) for f in card.factors for c in f.criteria}
    low, high = _at(card, spans, "lo"), _at(card, spans, "hi")
    return ScoreView(
        site=card.site, as_of=card.as_of, weights=card.weights, rubric=card.rubric,
        total=Span(low.total, high.total), band=BandRange(low.band, high.band),
        factors=tuple(
            FactorView(f.key, Span(lo_f.score, hi_f.score), tuple(
                CriterionView(c.key, spans[f.key, c.key], c.max,
                              research_evidence(c, breaches),
                              research_to_meet(c, spans[f.key, c.key]))
                for c in f.criteria
            ))
            for f, lo_f, hi_f in zip(card.factors, low.factors, high.factors, strict=True)
        ),
    )  # fmt: skip


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
