"""What a reader may see of a site's rounds: per round the answers shown to them (the
independence rule), the figures computed from those answers only, and the perception
table beside the computed scores the caller passes in. Plain data in, plain data out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from agreements.periods import Quarter
from perception.gaps import (
    ExactRound,
    FactorGap,
    NetworkCell,
    ResearchRound,
    RoundFigures,
    exact_gaps,
    latest_with_both_sides,
    network_gaps,
    research_round,
    round_figures,
)
from perception.independence import shown_sides
from perception.selectors import ResponseData, RoundData

# The factors whose computed score a police liaison may read beside the perceptions: as
# in the liaison edition of the report (reports/editions.py, "the liaison factor"), only
# the liaison factor. The others' scores draw on the interaction log (compliance) or sit
# beside it on the manager's scorecard; liaisons read only the two perceptions and the gap.
LIAISON_COMPUTED_FACTORS = frozenset({"dedicated_liaison"})


@dataclass(frozen=True)
class RoundView:
    round: RoundData
    closed: bool
    shown: frozenset[str]  # the sides whose answers the reader sees
    responses: tuple[ResponseData, ...]  # those answers
    mine: ResponseData | None
    figures: RoundFigures  # from the shown answers only
    can_answer: bool

    @property
    def hidden_sides_answered(self) -> bool:
        """Whether the other side has answered, though the reader may not see it yet."""
        return bool(self.round.answered_sides - self.shown)


def round_views(
    rounds: Sequence[RoundData], *, viewer_id: int | None, viewer_side: str | None, today: date
) -> list[RoundView]:
    """The rounds as this reader may see them (newest first, as given)."""
    views = []
    for data in rounds:
        closed = data.is_closed(today)
        shown = shown_sides(viewer_side=viewer_side, answered_sides=data.answered_sides,
                            closed=closed)  # fmt: skip
        responses = tuple(r for r in data.responses if r.side in shown)
        mine = data.response_of(viewer_id)
        views.append(
            RoundView(
                round=data,
                closed=closed,
                shown=shown,
                responses=responses,
                mine=mine,
                figures=round_figures(
                    data.id,
                    data.instrument,
                    data.closing_day() if closed else None,
                    [r.as_ratings() for r in responses],
                ),
                can_answer=not closed and viewer_side is not None and mine is None,
            )
        )
    return views


@dataclass(frozen=True)
class PerceptionRow:
    factor: str
    computed: object | None  # the computed factor score as the caller may show it, or None
    gap: FactorGap


def table(
    views: Sequence[RoundView], computed: Mapping[str, object]
) -> tuple[RoundFigures | None, list[PerceptionRow]]:
    """The newest round the reader sees both sides of, per factor beside the computed
    score (`computed` holds only the factors the reader may see)."""
    latest = latest_with_both_sides([v.figures for v in reversed(views)])
    if latest is None:
        return None, []
    return latest, [PerceptionRow(g.factor, computed.get(g.factor), g) for g in latest.factors]


def trend(views: Sequence[RoundView]) -> list[RoundFigures]:
    """The per-round series, oldest first: each round as the reader sees it."""
    return [v.figures for v in reversed(views) if v.responses]


# --- the research release --------------------------------------------------------------


@dataclass(frozen=True)
class NetworkQuarter:
    quarter: Quarter
    cells: tuple[NetworkCell, ...]


@dataclass(frozen=True)
class ResearchPerception:
    threshold: int
    rounds: list[ResearchRound]  # this site's closed rounds, newest first
    network: list[NetworkQuarter]  # newest first


def _exact(data: RoundData) -> ExactRound:
    return ExactRound(
        respondents=len(data.responses),
        gaps=exact_gaps(data.instrument, [r.as_ratings() for r in data.responses]),
    )


def quarter_ended_everywhere(quarter: Quarter, now: datetime) -> bool:
    """Whether the quarter has ended in every time zone (the last to end is UTC−12), so
    that no round can close in it any more: a group of rounds is then fixed for good."""
    last_day = quarter.shift(1).first_day() - timedelta(days=1)
    return (now - timedelta(hours=12)).date() > last_day


def research(
    site_rounds: Sequence[RoundData],
    network_rounds: Sequence[RoundData],
    *,
    threshold: int,
    now: datetime,
) -> ResearchPerception:
    """What researchers read: the site's closed rounds, each suppressed below T
    respondents, and the network's mean gap per factor for each quarter that has ended,
    over the rounds that closed in it (a fixed, disjoint group per quarter, so that two
    readings never differ by one round)."""
    by_quarter: dict[Quarter, list[ExactRound]] = defaultdict(list)
    for data in network_rounds:
        quarter = Quarter.of(data.closing_day())
        if quarter_ended_everywhere(quarter, now):
            by_quarter[quarter].append(_exact(data))
    rounds = [
        research_round(
            round_figures(
                data.id,
                data.instrument,
                data.closing_day(),
                [r.as_ratings() for r in data.responses],
            ),
            threshold,
        )
        for data in site_rounds
    ]
    network = [
        NetworkQuarter(quarter, network_gaps(group, threshold))
        for quarter, group in sorted(by_quarter.items(), key=lambda item: item[0].key, reverse=True)
    ]
    return ResearchPerception(threshold=threshold, rounds=rounds, network=network)
