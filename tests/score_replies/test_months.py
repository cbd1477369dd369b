"""The pure rules of which month a reply may answer and which reply prints beside a score."""

from __future__ import annotations

from datetime import date

import pytest

from score_replies.months import (
    MONTHS_OFFERED,
    Month,
    month_answered_on,
    month_refusal,
    months_offered,
    window_closes,
)

MAY_END = date(2026, 5, 31)


def test_it_accepts_a_complete_month_since_the_opening() -> None:
    assert month_refusal(Month(2026, 5), opened_on=date(2020, 1, 15), last_complete=MAY_END) is None
    # The opening month itself, although the site opened mid-month.
    assert month_refusal(Month(2020, 1), opened_on=date(2020, 1, 15), last_complete=MAY_END) is None


def test_it_refuses_a_month_not_yet_complete() -> None:
    refusal = month_refusal(Month(2026, 6), opened_on=date(2020, 1, 1), last_complete=MAY_END)
    assert refusal is not None
    assert "not ended" in refusal


def test_it_refuses_a_month_before_the_opening_and_every_month_of_a_planned_site() -> None:
    before = month_refusal(Month(2019, 12), opened_on=date(2020, 1, 1), last_complete=MAY_END)
    assert before is not None
    assert "2020-01-01" in before
    assert month_refusal(Month(2026, 5), opened_on=None, last_complete=MAY_END) is not None


def test_the_last_day_of_a_month_answers_that_month_and_other_days_the_month_before() -> None:
    assert month_answered_on(date(2026, 5, 31)) == Month(2026, 5)
    assert month_answered_on(date(2026, 6, 1)) == Month(2026, 5)
    assert month_answered_on(date(2026, 6, 29)) == Month(2026, 5)
    assert month_answered_on(date(2024, 2, 29)) == Month(2024, 2)
    assert month_answered_on(date(2026, 1, 15)) == Month(2025, 12)


def test_the_page_offers_complete_months_since_the_opening_newest_first() -> None:
    assert months_offered(opened_on=date(2026, 3, 20), last_complete=MAY_END) == [
        Month(2026, 5),
        Month(2026, 4),
        Month(2026, 3),
    ]
    assert len(months_offered(opened_on=date(2001, 1, 1), last_complete=MAY_END)) == MONTHS_OFFERED
    assert months_offered(opened_on=None, last_complete=MAY_END) == []
    assert months_offered(opened_on=date(2026, 6, 2), last_complete=MAY_END) == []


def test_the_reminder_window_runs_thirty_days_after_the_month() -> None:
    assert window_closes(Month(2026, 5)) == date(2026, 6, 30)
    assert window_closes(Month(2026, 2)) == date(2026, 3, 30)


@pytest.mark.parametrize("text", ["2026-13", "26-05", "2026-5", "1989-12", "2101-01", "", "x"])
def test_a_month_is_written_yyyy_mm_between_1990_and_2100(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse(text)
