"""Rubric v1 (SPEC §6) at every boundary, with hand-built inputs and no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from agreements.hours import OpeningSpan
from scoring import rubric as scoring
from scoring.rubric import (
    Acknowledgement,
    Assignment,
    CheckIn,
    Engagement,
    Interaction,
    Protocol,
    Schedule,
    SiteInputs,
    Statement,
)

D = date(2026, 6, 30)
OPENED = date(2019, 10, 1)


def site(**kwargs: Any) -> SiteInputs:
    return SiteInputs(slug="riverside", opened_on=kwargs.pop("opened_on", OPENED), **kwargs)


def criterion(inputs: SiteInputs, factor: str, key: str, as_of: date = D) -> scoring.Criterion:
    card = scoring.score(inputs, as_of)
    return next(c for c in card.factor(factor).criteria if c.key == key)


def points(inputs: SiteInputs, factor: str, key: str, as_of: date = D) -> int:
    return criterion(inputs, factor, key, as_of).points


def eng(day: date, kind: str = "dialogue", id: int = 1) -> Engagement:
    return Engagement(id, day, kind)


# --- the worked example -----------------------------------------------------------------

SATURDAY_LATE = OpeningSpan(5, time(12), time(2))
RIVERSIDE = SiteInputs(
    slug="riverside",
    opened_on=OPENED,
    hours=(*(OpeningSpan(d, time(10), time(22)) for d in range(5)), SATURDAY_LATE),
    engagements=(eng(date(2019, 3, 2)), eng(date(2019, 9, 20), "exemption_briefing", 2)),
    statements=(Statement(1, date(2025, 5, 1), "chief", "support", "public_statement"),),
    assignments=(
        Assignment(1, "primary", date(2024, 1, 1), None, 7, "Sgt. Sample", True, date(2026, 3, 1)),
    ),
    protocols=(
        Protocol(
            1,
            1,
            "signed",
            date(2019, 8, 1),
            date(2019, 9, 15),
            date(2027, 9, 15),
            None,
            frozenset(
                {"entry_during_hours", "proximity_buffer", "entry_exceptions", "notification"}
            ),
        ),
    ),
    acknowledgements=(Acknowledgement(7, 1, date(2024, 1, 5)),),
    schedules=(Schedule(1, "monthly", date(2024, 1, 1), None),),
    checkins=(
        CheckIn(1, datetime(2026, 3, 10, 10), 60, "meeting", "held"),
        CheckIn(2, datetime(2026, 4, 14, 10), 60, "meeting", "missed"),
        CheckIn(3, datetime(2026, 5, 12, 10), 60, "meeting", "held"),
        CheckIn(4, datetime(2026, 6, 9, 10), 60, "meeting", "held"),
        CheckIn(5, datetime(2026, 6, 21, 8), 90, "tour", "held"),
    ),
    interactions=(
        Interaction(1, date(2026, 6, 1), "vehicle_in_buffer", False, "buffer", ""),
        Interaction(2, date(2026, 6, 12), "information_request", True, "inside", "none"),
    ),
)


def test_the_worked_example_scores_as_the_spec_says() -> None:
    card = scoring.score(RIVERSIDE, D).as_json()
    assert (card["total"], card["band"], card["rubric"]) == (75.0, "developing", "v1")
    got = {f["key"]: [c["points"] for c in f["criteria"]] for f in card["factors"]}
    assert got == {
        "early_engagement": [50, 10, 20],
        "senior_support": [60, 0, 0, 0],
        "dedicated_liaison": [50, 0, 15, 20],
        "entry_presence_agreement": [40, 20, 15],
        "regular_contact": [20, 40, 15],
    }
    assert [f["score"] for f in card["factors"]] == [80, 60, 85, 75, 75]


def test_the_json_keeps_the_spec_order_of_factors_and_criteria() -> None:
    card = scoring.score(RIVERSIDE, D).as_json()
    assert list(card) == ["site", "as_of", "rubric", "weights", "total", "band", "factors"]
    assert [(f["key"], [c["key"] for c in f["criteria"]]) for f in card["factors"]] == [
        ("early_engagement", ["lead_time", "dialogues", "exemption_briefing"]),
        ("senior_support", ["chief_support", "senior_admin_support", "directive", "opposition"]),
        ("dedicated_liaison", ["primary", "backup", "contact_verified", "protocol_acknowledged"]),
        ("entry_presence_agreement", ["status", "coverage", "compliance"]),
        ("regular_contact", ["schedule", "adherence", "non_operational_contact"]),
    ]
    assert all(c["evidence"] for f in card["factors"] for c in f["criteria"])


def test_unmet_criteria_say_what_would_meet_them() -> None:
    card = scoring.score(RIVERSIDE, D)
    for factor in card.factors:
        for c in factor.criteria:
            assert bool(c.to_meet) == (c.points < c.max) or c.key == "opposition", c.key


# --- F1 early engagement ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "expected"),
    [(400, 50), (180, 50), (179, 35), (90, 35), (89, 20), (1, 20), (0, 10), (-30, 10)],
)
def test_lead_time_thresholds(lead: int, expected: int) -> None:
    inputs = site(engagements=(eng(OPENED - timedelta(days=lead)),))
    assert points(inputs, "early_engagement", "lead_time") == expected


def test_lead_time_without_any_event_is_zero_even_before_opening() -> None:
    assert points(site(), "early_engagement", "lead_time") == 0
    assert points(site(opened_on=None), "early_engagement", "lead_time") == 0


@pytest.mark.parametrize("opened_on", [None, D + timedelta(days=1)])
def test_a_site_not_yet_open_has_full_lead_time(opened_on: date | None) -> None:
    inputs = site(opened_on=opened_on, engagements=(eng(D - timedelta(days=5)),))
    assert points(inputs, "early_engagement", "lead_time") == 50


def test_events_after_the_scoring_day_do_not_count() -> None:
    inputs = site(engagements=(eng(D + timedelta(days=1)),))
    assert points(inputs, "early_engagement", "lead_time") == 0
    assert points(inputs, "early_engagement", "dialogues") == 0


def test_opening_on_the_scoring_day_counts_as_open() -> None:
    inputs = site(opened_on=D, engagements=(eng(D - timedelta(days=100)),))
    assert points(inputs, "early_engagement", "lead_time") == 35


@pytest.mark.parametrize(("count", "expected"), [(0, 0), (1, 10), (2, 20), (3, 30), (5, 30)])
def test_dialogues_count_up_to_three(count: int, expected: int) -> None:
    events = tuple(eng(OPENED - timedelta(days=10 + i), "community_planning", i)
                   for i in range(count))  # fmt: skip
    assert points(site(engagements=events), "early_engagement", "dialogues") == expected


def test_only_dialogues_before_opening_count_once_open() -> None:
    events = (eng(OPENED, "dialogue", 1), eng(OPENED - timedelta(days=1), "dialogue", 2),
              eng(OPENED - timedelta(days=2), "training", 3))  # fmt: skip
    assert points(site(engagements=events), "early_engagement", "dialogues") == 10


def test_dialogues_so_far_count_while_not_yet_open() -> None:
    events = (eng(D, "dialogue", 1), eng(D - timedelta(days=1), "dialogue", 2))
    assert points(site(opened_on=None, engagements=events), "early_engagement", "dialogues") == 20


@pytest.mark.parametrize(
    ("day", "opened_on", "expected"),
    [
        (OPENED - timedelta(days=1), OPENED, 20),
        (OPENED, OPENED, 10),
        (OPENED + timedelta(days=30), OPENED, 10),
        (D, None, 20),
        (D - timedelta(days=400), D + timedelta(days=10), 20),
    ],
)
def test_exemption_briefing(day: date, opened_on: date | None, expected: int) -> None:
    inputs = site(opened_on=opened_on, engagements=(eng(day, "exemption_briefing"),))
    assert points(inputs, "early_engagement", "exemption_briefing") == expected


def test_no_exemption_briefing_is_zero() -> None:
    assert points(site(engagements=(eng(D),)), "early_engagement", "exemption_briefing") == 0


# --- F2 senior support ------------------------------------------------------------------


def stmt(days_ago: int, rank: str = "chief", stance: str = "support", kind: str = "letter",
         id: int = 1) -> Statement:  # fmt: skip
    return Statement(id, D - timedelta(days=days_ago), rank, stance, kind)


@pytest.mark.parametrize(("days_ago", "expected"), [(0, 60), (729, 60), (730, 30), (731, 30)])
def test_chief_support_window_is_730_days(days_ago: int, expected: int) -> None:
    assert points(site(statements=(stmt(days_ago),)), "senior_support", "chief_support") == expected


def test_a_deputy_chief_counts_as_chief_and_others_do_not() -> None:
    deputy = site(statements=(stmt(10, "deputy_chief"),))
    other = site(statements=(stmt(10, "other"), stmt(10, "senior_administrator", id=2)))
    assert points(deputy, "senior_support", "chief_support") == 60
    assert points(other, "senior_support", "chief_support") == 0


def test_neutral_statements_and_future_ones_do_not_count() -> None:
    inputs = site(statements=(stmt(10, stance="neutral"), stmt(-1, id=2)))
    assert points(inputs, "senior_support", "chief_support") == 0


@pytest.mark.parametrize(("days_ago", "expected"), [(729, 20), (730, 0)])
def test_senior_admin_support_window(days_ago: int, expected: int) -> None:
    inputs = site(statements=(stmt(days_ago, "senior_administrator"),))
    assert points(inputs, "senior_support", "senior_admin_support") == expected


@pytest.mark.parametrize(
    ("rank", "kind", "days_ago", "expected"),
    [
        ("chief", "directive", 729, 20),
        ("senior_administrator", "directive", 0, 20),
        ("chief", "directive", 730, 0),
        ("other", "directive", 0, 0),
        ("chief", "letter", 0, 0),
    ],
)
def test_directive(rank: str, kind: str, days_ago: int, expected: int) -> None:
    assert points(site(statements=(stmt(days_ago, rank, kind=kind),)), "senior_support",
                  "directive") == expected  # fmt: skip


@pytest.mark.parametrize(("days_ago", "expected"), [(729, -30), (730, 0)])
def test_opposition_window(days_ago: int, expected: int) -> None:
    c = criterion(site(statements=(stmt(days_ago, stance="opposition"),)), "senior_support",
                  "opposition")  # fmt: skip
    assert (c.points, c.max) == (expected, 0)


def test_opposition_never_takes_the_factor_below_zero() -> None:
    alone = site(statements=(stmt(5, stance="opposition"),))
    assert scoring.score(alone, D).factor("senior_support").score == 0
    with_support = site(statements=(stmt(5, stance="opposition"), stmt(5, id=2)))
    assert scoring.score(with_support, D).factor("senior_support").score == 30


def test_opposition_by_a_non_senior_rank_does_not_count() -> None:
    inputs = site(statements=(stmt(5, "other", stance="opposition"),))
    assert points(inputs, "senior_support", "opposition") == 0


# --- F3 dedicated liaison ---------------------------------------------------------------


def assign(role: str = "primary", start: date = date(2024, 1, 1), end: date | None = None,
           officer: int = 7, active: bool = True,
           verified: date | None = date(2026, 3, 1), id: int = 1) -> Assignment:  # fmt: skip
    return Assignment(id, role, start, end, officer, f"Officer {officer}", active, verified)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(D, None, 50), (D + timedelta(days=1), None, 0), (date(2024, 1, 1), D, 50),
     (date(2024, 1, 1), D - timedelta(days=1), 0)],
)  # fmt: skip
def test_primary_is_active_on_the_day(start: date, end: date | None, expected: int) -> None:
    assert points(site(assignments=(assign(start=start, end=end),)), "dedicated_liaison",
                  "primary") == expected  # fmt: skip


def test_an_inactive_officer_is_no_liaison() -> None:
    inputs = site(assignments=(assign(active=False), assign("backup", active=False, officer=8)))
    assert points(inputs, "dedicated_liaison", "primary") == 0
    assert points(inputs, "dedicated_liaison", "backup") == 0


def test_backup() -> None:
    inputs = site(assignments=(assign("backup"),))
    assert points(inputs, "dedicated_liaison", "backup") == 15
    assert points(inputs, "dedicated_liaison", "primary") == 0


@pytest.mark.parametrize(("days_ago", "expected"), [(0, 15), (182, 15), (183, 0), (-1, 0)])
def test_contact_verified_within_183_days(days_ago: int, expected: int) -> None:
    inputs = site(assignments=(assign(verified=D - timedelta(days=days_ago)),))
    assert points(inputs, "dedicated_liaison", "contact_verified") == expected


def test_contact_verification_of_a_backup_does_not_count() -> None:
    inputs = site(assignments=(assign("backup", verified=D),))
    assert points(inputs, "dedicated_liaison", "contact_verified") == 0


SIGNED = Protocol(1, 1, "signed", date(2023, 1, 1), date(2023, 3, 1), None, None, frozenset())


@pytest.mark.parametrize(
    ("ack_on", "protocol_id", "officer", "expected"),
    [(D, 1, 7, 20), (D + timedelta(days=1), 1, 7, 0), (D, 2, 7, 0), (D, 1, 8, 0)],
)
def test_protocol_acknowledged_by_the_primary_for_the_version_in_force(
    ack_on: date, protocol_id: int, officer: int, expected: int
) -> None:
    newer_draft = replace(SIGNED, id=2, version=2, status="draft", effective_from=None)
    inputs = site(
        assignments=(assign(),),
        protocols=(SIGNED, newer_draft),
        acknowledgements=(Acknowledgement(officer, protocol_id, ack_on),),
    )
    assert points(inputs, "dedicated_liaison", "protocol_acknowledged") == expected


def test_acknowledging_a_superseded_version_does_not_count() -> None:
    old = replace(SIGNED, status="ended", ended_on=date(2025, 1, 1))
    new = replace(SIGNED, id=2, version=2, effective_from=date(2025, 1, 1))
    inputs = site(assignments=(assign(),), protocols=(old, new),
                  acknowledgements=(Acknowledgement(7, 1, date(2023, 4, 1)),))  # fmt: skip
    assert points(inputs, "dedicated_liaison", "protocol_acknowledged") == 0
    assert points(inputs, "dedicated_liaison", "protocol_acknowledged", date(2024, 12, 31)) == 20


# --- F4 entry and presence agreement ----------------------------------------------------

ALL_TOPICS = frozenset(
    ["entry_during_hours", "proximity_buffer", "entry_exceptions", "notification",
     "conflict_resolution", "plainclothes", "information_sharing"]
)  # fmt: skip


def proto(id: int = 1, status: str = "signed", effective: date | None = date(2023, 3, 1),
          ended: date | None = None, review: date | None = None, created: date = date(2023, 1, 1),
          topics: frozenset[str] = ALL_TOPICS) -> Protocol:  # fmt: skip
    return Protocol(id, id, status, created, effective, review, ended, topics)


def test_in_force_picks_the_greatest_effective_from_not_ended() -> None:
    ended = proto(1, "ended", date(2020, 1, 1), ended=date(2023, 3, 1))
    current = proto(2, "signed", date(2023, 3, 1))
    future = proto(3, "signed", D + timedelta(days=1))
    draft = proto(4, "draft", None)
    chosen = scoring.protocol_in_force([ended, current, future, draft], D)
    assert chosen is current
    assert scoring.protocol_in_force([ended, current], date(2023, 2, 28)) is ended


def test_an_ended_version_is_in_force_until_the_day_before_it_ended() -> None:
    ended = proto(1, "ended", date(2020, 1, 1), ended=D)
    assert scoring.protocol_in_force([ended], D - timedelta(days=1)) is ended
    assert scoring.protocol_in_force([ended], D) is None


@pytest.mark.parametrize(
    ("review", "expected"), [(None, 40), (D, 40), (D + timedelta(days=1), 40),
                             (D - timedelta(days=1), 25)],
)  # fmt: skip
def test_status_and_review_overdue(review: date | None, expected: int) -> None:
    inputs = site(protocols=(proto(review=review),))
    assert points(inputs, "entry_presence_agreement", "status") == expected


@pytest.mark.parametrize(
    ("status", "created", "expected"),
    [("draft", D, 10), ("negotiating", D, 10), ("draft", D + timedelta(days=1), 0)],
)
def test_status_with_only_a_draft(status: str, created: date, expected: int) -> None:
    inputs = site(protocols=(proto(status=status, effective=None, created=created),))
    assert points(inputs, "entry_presence_agreement", "status") == expected


def test_status_with_nothing_is_zero() -> None:
    assert points(site(), "entry_presence_agreement", "status") == 0


def test_coverage_counts_required_topics_of_the_version_in_force() -> None:
    topics = frozenset({"entry_during_hours", "notification", "other"})
    inputs = site(protocols=(proto(topics=topics), proto(2, "draft", None, topics=ALL_TOPICS)))
    assert points(inputs, "entry_presence_agreement", "coverage") == 10


def test_coverage_comes_from_the_newest_draft_when_none_is_in_force() -> None:
    older = proto(1, "draft", None, topics=frozenset({"notification"}))
    newer = proto(2, "negotiating", None, topics=frozenset({"notification", "plainclothes"}))
    inputs = site(protocols=(older, newer))
    assert points(inputs, "entry_presence_agreement", "coverage") == 10
    assert (
        scoring.score(site(protocols=(proto(topics=ALL_TOPICS),)), D)
        .factor("entry_presence_agreement")
        .criteria[1]
        .points
        == 35
    )


def breach(days_ago: int, category: str = "vehicle_in_buffer", id: int = 1, notified: bool = False,
           band: str = "buffer", basis: str = "") -> Interaction:  # fmt: skip
    return Interaction(id, D - timedelta(days=days_ago), category, notified, band, basis)


@pytest.mark.parametrize(("days_ago", "expected"), [(0, 20), (89, 20), (90, 25), (-1, 25)])
def test_compliance_window_is_90_days(days_ago: int, expected: int) -> None:
    inputs = site(protocols=(proto(),), interactions=(breach(days_ago),))
    assert points(inputs, "entry_presence_agreement", "compliance") == expected


def test_compliance_floors_at_zero() -> None:
    many = tuple(breach(i, id=i) for i in range(7))
    assert points(site(protocols=(proto(),), interactions=many), "entry_presence_agreement",
                  "compliance") == 0  # fmt: skip


def test_compliance_is_zero_without_any_agreement() -> None:
    assert points(site(), "entry_presence_agreement", "compliance") == 0


def test_compliance_counts_from_a_draft_when_none_is_in_force() -> None:
    inputs = site(protocols=(proto(status="draft", effective=None),), interactions=(breach(3),))
    assert points(inputs, "entry_presence_agreement", "compliance") == 20


@pytest.mark.parametrize(
    ("interaction", "is_breach"),
    [
        (breach(1, "exception_entry", notified=False), True),
        (breach(1, "exception_entry", notified=True), False),
        (breach(1, "dispersal_order", band="inside"), True),
        (breach(1, "dispersal_order", band="entrance"), True),
        (breach(1, "dispersal_order", band="buffer"), True),
        (breach(1, "dispersal_order", band="beyond"), False),
        (breach(1, "information_request", basis="none"), True),
        (breach(1, "information_request", basis="warrant"), False),
        (breach(1, "information_request", basis="production_order"), False),
        (breach(1, "surveillance", notified=True, band="beyond"), True),
        (breach(1, "called_by_staff"), False),
        (breach(1, "referral_to_site"), False),
    ],
)
def test_compliance_applies_the_breach_rules(interaction: Interaction, is_breach: bool) -> None:
    inputs = site(protocols=(proto(),), interactions=(interaction,))
    expected = 20 if is_breach else 25
    assert points(inputs, "entry_presence_agreement", "compliance") == expected


def test_compliance_evidence_names_no_single_interaction() -> None:
    inputs = site(protocols=(proto(),), interactions=(breach(3),))
    c = criterion(inputs, "entry_presence_agreement", "compliance")
    assert [r.kind for r in c.refs] == ["breaches"]  # the filtered list, not one record
    assert c.interaction_count == 1
    assert c.evidence == "1 breach in the last 90 days."


# --- F5 regular contact -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(D, None, 20), (D + timedelta(days=1), None, 0), (date(2024, 1, 1), D, 20),
     (date(2024, 1, 1), D - timedelta(days=1), 0)],
)  # fmt: skip
def test_schedule_active_on_the_day(start: date, end: date | None, expected: int) -> None:
    inputs = site(schedules=(Schedule(1, "monthly", start, end),))
    assert points(inputs, "regular_contact", "schedule") == expected


def checkin(days_ago: int, status: str = "held", fmt: str = "meeting", hour: int = 10,
            minutes: int = 60, id: int = 1) -> CheckIn:  # fmt: skip
    return CheckIn(id, datetime.combine(D - timedelta(days=days_ago), time(hour)), minutes, fmt,
                   status)  # fmt: skip


@pytest.mark.parametrize(
    ("held", "missed", "expected"),
    [(0, 0, 0), (1, 0, 50), (0, 1, 0), (1, 1, 25), (2, 1, 33), (1, 2, 17), (1, 3, 13),
     (3, 1, 38), (4, 1, 40), (1, 7, 6), (5, 3, 31)],
)  # fmt: skip
def test_adherence_rounds_half_up(held: int, missed: int, expected: int) -> None:
    rows = [checkin(i, "held", id=i) for i in range(held)]
    rows += [checkin(i, "missed", id=100 + i) for i in range(missed)]
    assert points(site(checkins=tuple(rows)), "regular_contact", "adherence") == expected


def test_cancelled_and_unrecorded_check_ins_do_not_count() -> None:
    rows = (checkin(1, "held"), checkin(2, "cancelled", id=2), checkin(3, "scheduled", id=3))
    assert points(site(checkins=rows), "regular_contact", "adherence") == 50


@pytest.mark.parametrize(("days_ago", "expected"), [(0, 50), (364, 50), (365, 0), (-1, 0)])
def test_adherence_window_is_365_days(days_ago: int, expected: int) -> None:
    rows = (checkin(days_ago, "held"),)
    assert points(site(checkins=rows), "regular_contact", "adherence") == expected


WEEKDAY_HOURS = tuple(OpeningSpan(d, time(9), time(21)) for d in range(7))


@pytest.mark.parametrize(
    ("hour", "minutes", "expected"),
    [(8, 60, 15), (8, 61, 0), (21, 60, 15), (20, 60, 0), (7, 30, 15)],
)
def test_non_operational_contact_uses_half_open_intervals(
    hour: int, minutes: int, expected: int
) -> None:
    rows = (checkin(3, fmt="tour", hour=hour, minutes=minutes),)
    inputs = site(hours=WEEKDAY_HOURS, checkins=rows)
    assert points(inputs, "regular_contact", "non_operational_contact") == expected


def test_non_operational_contact_with_hours_past_midnight() -> None:
    # Open every day 18:00 until 02:00 the next morning.
    late = tuple(OpeningSpan(d, time(18), time(2)) for d in range(7))
    at_one = (checkin(3, fmt="visit", hour=1),)
    at_two = (checkin(3, fmt="visit", hour=2),)
    assert points(site(hours=late, checkins=at_one), "regular_contact",
                  "non_operational_contact") == 0  # fmt: skip
    assert points(site(hours=late, checkins=at_two), "regular_contact",
                  "non_operational_contact") == 15  # fmt: skip


def test_non_operational_contact_counts_held_tours_and_visits_only() -> None:
    rows = (
        checkin(1, fmt="tour", hour=7, id=1),
        checkin(2, fmt="visit", hour=22, id=2),
        checkin(3, fmt="visit", hour=22, status="missed", id=3),
        checkin(4, fmt="meeting", hour=7, id=4),
    )
    inputs = site(hours=WEEKDAY_HOURS, checkins=rows)
    assert points(inputs, "regular_contact", "non_operational_contact") == 30
    assert points(site(hours=WEEKDAY_HOURS, checkins=rows[2:]), "regular_contact",
                  "non_operational_contact") == 0  # fmt: skip


# --- total, band, weights -------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [(Decimal("80.0"), "strong"), (Decimal("79.9"), "developing"), (Decimal("60.0"), "developing"),
     (Decimal("59.9"), "fragile"), (Decimal("40.0"), "fragile"), (Decimal("39.9"), "at_risk")],
)  # fmt: skip
def test_bands(total: Decimal, band: str) -> None:
    assert scoring.band_for(total) == band


def test_total_rounds_half_up_to_one_decimal() -> None:
    def factors(*scores: int) -> tuple[scoring.Factor, ...]:
        return tuple(
            scoring.Factor(key, (scoring.Criterion("x", s, 100, "e"),))
            for key, s in zip(scoring.FACTOR_KEYS, scores, strict=True)
        )

    weights = dict(scoring.DEFAULT_WEIGHTS)
    # 100+100+100+100+17 = 417 / 5 = 83.4; with weight 2 on the last: 434/6 = 72.333…
    assert scoring.weighted_total(factors(100, 100, 100, 100, 17), weights) == Decimal("83.4")
    weights["regular_contact"] = 2
    assert scoring.weighted_total(factors(100, 100, 100, 100, 17), weights) == Decimal("72.3")
    # 1+0+0+0+0 with weights 1,1,1,1,16 → 1/20 = 0.05 → 0.1 (half up, not to even)
    heavy = {**scoring.DEFAULT_WEIGHTS, "regular_contact": 16}
    assert scoring.weighted_total(factors(1, 0, 0, 0, 0), heavy) == Decimal("0.1")


def test_custom_weights_change_the_label() -> None:
    custom = {**scoring.DEFAULT_WEIGHTS, "senior_support": 2}
    card = scoring.score(RIVERSIDE, D, custom)
    assert card.rubric == "v1-custom"
    assert card.as_json()["weights"]["senior_support"] == 2
    assert card.total == Decimal("72.5")  # (80 + 120 + 85 + 75 + 75) / 6


def test_month_ends() -> None:
    days = scoring.month_ends(date(2026, 3, 15), 4)
    assert days == [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 15)]
