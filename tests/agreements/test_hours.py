"""Operating hours and overlap, as pure functions (SPEC §6 F5 interval rules)."""

from datetime import datetime, time

import pytest

from agreements.hours import OpeningSpan, overlaps_hours

WEEKDAY_9_TO_21 = [OpeningSpan(weekday=d, opens=time(9), closes=time(21)) for d in range(5)]
# Saturday noon until 02:00 on Sunday.
SATURDAY_LATE = [OpeningSpan(weekday=5, opens=time(12), closes=time(2))]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # 2026-06-01 is a Monday, so day 0 = Monday.
    return datetime(2026, 6, 1 + day, hour, minute)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(0, 7), at(0, 9), False),  # ends exactly when the site opens
        (at(0, 21), at(0, 22), False),  # starts exactly when it closes
        (at(0, 8), at(0, 9, 1), True),  # one minute into opening hours
        (at(0, 20, 59), at(0, 22), True),
        (at(0, 10), at(0, 11), True),
        (at(6, 10), at(6, 11), False),  # Sunday: closed all day
    ],
)
def test_it_uses_half_open_intervals(start: datetime, end: datetime, expected: bool) -> None:
    assert overlaps_hours(start, end, WEEKDAY_9_TO_21) is expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(6, 1), at(6, 2), True),  # Sunday 01:00 is still Saturday's opening
        (at(6, 2), at(6, 3), False),  # Sunday 02:00: closed
        (at(5, 11), at(5, 12), False),
        (at(5, 23), at(6, 0, 30), True),
    ],
)
def test_it_runs_hours_past_midnight(start: datetime, end: datetime, expected: bool) -> None:
    assert overlaps_hours(start, end, SATURDAY_LATE) is expected


def test_it_treats_equal_open_and_close_as_a_full_day() -> None:
    all_day = [OpeningSpan(weekday=0, opens=time(8), closes=time(8))]
    assert overlaps_hours(at(1, 7), at(1, 7, 30), all_day)  # Tuesday 07:00, from Monday 08:00
    assert not overlaps_hours(at(1, 8), at(1, 9), all_day)


def test_it_never_overlaps_an_empty_interval() -> None:
    assert not overlaps_hours(at(0, 10), at(0, 10), WEEKDAY_9_TO_21)


def test_it_never_overlaps_when_no_hours_are_recorded() -> None:
    assert not overlaps_hours(at(0, 10), at(0, 11), [])
