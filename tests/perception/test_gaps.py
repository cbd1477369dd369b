"""The perception gap's rules, on hand-built data (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from agreements.choices import FACTOR_KEYS
from agreements.periods import Quarter
from perception.gaps import (
    LIAISON,
    MANAGER,
    ExactRound,
    Ratings,
    exact_gaps,
    network_gaps,
    perceptions,
    research_round,
    round_figures,
    side_perception,
)
from perception.independence import respondent_side, shown_sides
from perception.instrument import V1, by_factor, rating_refusals, statements
from perception.readings import quarter_ended_everywhere

KEYS = [s.key for s in V1]


def answer(side: str, rating: int = 3, **ratings: int) -> Ratings:
    """One respondent rating every statement `rating`, except those named."""
    return Ratings(side, {key: ratings.get(key, rating) for key in KEYS})


# --- the instrument --------------------------------------------------------------------


def test_the_instrument_has_one_to_three_statements_per_factor_with_unique_keys() -> None:
    grouped = by_factor("v1")
    assert list(grouped) == list(FACTOR_KEYS)
    assert all(1 <= len(items) <= 3 for items in grouped.values())
    assert len({s.key for s in statements("v1")}) == len(statements("v1"))
    assert all(len(s.key) <= 40 for s in V1)


def test_a_complete_answer_is_accepted() -> None:
    assert rating_refusals("v1", [(key, 4) for key in KEYS]) == {}


def test_one_statement_unanswered_is_refused_by_name() -> None:
    given = [(key, 4) for key in KEYS[1:]]
    assert rating_refusals("v1", given) == {f"rating_{KEYS[0]}": "Rate this statement from 1 to 5."}


def test_ratings_outside_1_to_5_unknown_and_repeated_statements_are_refused() -> None:
    given = [(KEYS[0], 0), (KEYS[1], 6), (KEYS[2], True), *[(k, 3) for k in KEYS[3:]]]
    refused = rating_refusals("v1", [*given, ("f9_nothing", 3), (KEYS[3], 2)])
    assert set(refused) == {
        f"rating_{KEYS[0]}",
        f"rating_{KEYS[1]}",
        f"rating_{KEYS[2]}",
        "answers",
    }
    assert "f9_nothing" in refused["answers"]


# --- perceptions and gaps --------------------------------------------------------------


def test_perception_is_the_mean_rating_minus_one_times_25() -> None:
    keys = [s.key for s in by_factor("v1")["regular_contact"]]
    one = answer(MANAGER, f5_meet_often=5, f5_concerns_heard=4)  # mean 4.5 → 87.5
    two = answer(MANAGER, f5_meet_often=2, f5_concerns_heard=2)  # mean 2 → 25
    assert side_perception([one], MANAGER, keys) == Fraction(175, 2)
    # A side's figure is the mean over its respondents: (4.5 + 2) / 2 = 3.25 → 56.25.
    assert side_perception([one, two], MANAGER, keys) == Fraction(225, 4)
    assert side_perception([one, two], LIAISON, keys) is None


def test_the_gap_and_its_flag_per_factor() -> None:
    manager = answer(MANAGER, 4, f5_meet_often=5, f5_concerns_heard=5)  # F5: 100
    liaison = answer(LIAISON, 4, f5_meet_often=4, f5_concerns_heard=3)  # F5: 62.5
    rows = {row.factor: row for row in perceptions("v1", [manager, liaison])}
    assert rows["regular_contact"].manager == Decimal("100.0")
    assert rows["regular_contact"].liaison == Decimal("62.5")
    assert rows["regular_contact"].gap == Decimal("37.5")
    assert rows["regular_contact"].flagged
    assert rows["early_engagement"].gap == Decimal("0.0")
    assert not rows["early_engagement"].flagged


def test_a_gap_of_exactly_25_is_flagged_and_just_under_is_not() -> None:
    exactly = perceptions("v1", [answer(MANAGER, 4), answer(LIAISON, 3)])
    assert all(row.gap == Decimal("25.0") and row.flagged for row in exactly)
    # Three liaisons: 3, 3, 4 → mean 10/3 → 58.33…; the manager's 4 → 75: gap 16.67.
    under = perceptions(
        "v1", [answer(MANAGER, 4), answer(LIAISON, 3), answer(LIAISON, 3), answer(LIAISON, 4)]
    )
    assert under[0].gap == Decimal("16.7")
    assert not under[0].flagged


def test_gaps_stay_exact_fractions_until_they_are_shown() -> None:
    # 75 − 175/3 = 50/3: shown as 16.7, flagged (or not) on 50/3 itself.
    gaps = exact_gaps("v1", [answer(MANAGER, 4), *[answer(LIAISON, 3)] * 2, answer(LIAISON, 4)])
    assert gaps["senior_support"] == Fraction(50, 3)


def test_a_side_missing_gives_no_gap_and_no_flag() -> None:
    rows = perceptions("v1", [answer(MANAGER, 5)])
    assert all(r.manager == Decimal("100.0") and r.liaison is None for r in rows)
    assert all(r.gap is None and not r.flagged for r in rows)
    assert all(r.manager is None for r in perceptions("v1", []))


# --- independence ----------------------------------------------------------------------


def test_each_side_sees_only_its_own_answers_until_both_answered_or_closed() -> None:
    assert shown_sides(viewer_side=LIAISON, answered_sides={MANAGER}, closed=False) == {LIAISON}
    assert shown_sides(viewer_side=MANAGER, answered_sides={MANAGER}, closed=False) == {MANAGER}
    both = {MANAGER, LIAISON}
    assert shown_sides(viewer_side=LIAISON, answered_sides=both, closed=False) == both
    assert shown_sides(viewer_side=LIAISON, answered_sides={MANAGER}, closed=True) == both
    assert shown_sides(viewer_side=None, answered_sides={MANAGER}, closed=False) == both


def test_the_side_comes_from_the_role_at_the_site() -> None:
    assert respondent_side({"manager"}) == MANAGER
    assert respondent_side({"liaison"}) == LIAISON
    assert respondent_side({"manager", "liaison"}) == MANAGER
    assert respondent_side({"admin"}) is None
    assert respondent_side({"researcher"}) is None


# --- what researchers read -------------------------------------------------------------


def test_a_round_below_the_threshold_shows_no_gap() -> None:
    figures = round_figures(1, "v1", date(2026, 3, 31), [answer(MANAGER, 5), answer(LIAISON, 1)])
    shown = research_round(figures, threshold=10)
    assert shown.respondents is None
    assert all(c.suppressed and c.gap is None for c in shown.cells)
    many = [answer(MANAGER, 5)] * 5 + [answer(LIAISON, 1)] * 5
    published = research_round(round_figures(2, "v1", date(2026, 3, 31), many), threshold=10)
    assert published.respondents == 10
    assert all(not c.suppressed and c.gap == Decimal("100.0") for c in published.cells)


def exact(respondents: int, gap: int | None) -> ExactRound:
    return ExactRound(
        respondents, dict.fromkeys(FACTOR_KEYS, Fraction(gap) if gap is not None else None)
    )


def test_the_network_mean_is_published_over_enough_respondents() -> None:
    cells = network_gaps([exact(12, 40), exact(10, 20)], threshold=10)
    assert all(c.mean_gap == Decimal("30.0") and not c.suppressed for c in cells)
    # Too few respondents in all: nothing.
    cells = network_gaps([exact(2, 40), exact(3, 20)], threshold=10)
    assert all(c.mean_gap is None and c.suppressed for c in cells)


def test_the_attack_one_site_published_one_suppressed_cannot_recover_the_suppressed_gap() -> None:
    """Site A's round (12 respondents) is published, site B's (2) is not. A network mean
    over both, with 14 ≥ T respondents, would give B's gap as 2 × mean − A's gap: it is
    suppressed too, so the reader has A's gap and nothing about B."""
    threshold = 10
    a, b = exact(12, 40), exact(2, 90)
    assert (
        not research_round(round_figures(1, "v1", None, [answer(MANAGER)] * 12), threshold)
        .cells[0]
        .suppressed
    )
    cells = network_gaps([a, b], threshold)
    assert all(c.suppressed and c.mean_gap is None for c in cells)
    # Whatever B's gap, the reader reads the same: no figure depends on it.
    assert network_gaps([a, exact(2, 10)], threshold) == cells


def test_suppressed_rounds_together_holding_t_respondents_may_enter_the_mean() -> None:
    """Several small rounds together are a group of ≥ T respondents: the mean gives only
    their joint figure, like a published cell, and no single round's gap."""
    rounds = [exact(12, 40), exact(4, 10), exact(3, 20), exact(3, 30)]  # hidden part: 10
    cells = network_gaps(rounds, threshold=10)
    assert all(c.mean_gap == Decimal("25.0") and not c.suppressed for c in cells)
    # Moving one small round's gap while keeping their sum leaves every figure alike.
    same_sum = [exact(12, 40), exact(4, 20), exact(3, 10), exact(3, 30)]
    assert network_gaps(same_sum, threshold=10) == cells


def test_rounds_without_a_gap_do_not_count_toward_the_network() -> None:
    cells = network_gaps([exact(12, 40), exact(9, None)], threshold=10)
    assert all(c.mean_gap == Decimal("40.0") and c.rounds == 1 for c in cells)


def test_a_quarter_is_fixed_only_once_it_has_ended_everywhere() -> None:
    from datetime import UTC, datetime

    q1 = Quarter(2026, 1)
    assert not quarter_ended_everywhere(q1, datetime(2026, 4, 1, 6, tzinfo=UTC))
    assert quarter_ended_everywhere(q1, datetime(2026, 4, 1, 12, 30, tzinfo=UTC))
