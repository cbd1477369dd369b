"""The schedule picker ↔ its RFC 5545 rule: both ways, and back again for every rule the
picker can write; any other rule stays in the advanced field."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.utils import translation

from agreements.recurrence import WEEKDAYS, parse_rrule
from liaisons import picker
from liaisons.picker import Picker, PickerError, picker_to_rrule, rrule_to_picker
from liaisons.schedules import describe_rrule

EXAMPLES = [
    (Picker(picker.WEEKLY, weekdays=("TU",)), "FREQ=WEEKLY;BYDAY=TU"),
    (Picker(picker.WEEKLY, 2, weekdays=("TH",)), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
    (Picker(picker.WEEKLY, weekdays=("MO", "WE")), "FREQ=WEEKLY;BYDAY=MO,WE"),
    (Picker(picker.MONTHLY_WEEKDAY, position=1, weekday="WE"), "FREQ=MONTHLY;BYDAY=1WE"),
    (Picker(picker.MONTHLY_WEEKDAY, position=2, weekday="TU"), "FREQ=MONTHLY;BYDAY=2TU"),
    (Picker(picker.MONTHLY_WEEKDAY, position=-1, weekday="FR"), "FREQ=MONTHLY;BYDAY=-1FR"),
    (
        Picker(picker.MONTHLY_WEEKDAY, 3, position=1, weekday="TH"),
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH",
    ),
    (Picker(picker.MONTHLY_DAY, month_day=15), "FREQ=MONTHLY;BYMONTHDAY=15"),
    (Picker(picker.MONTHLY_DAY, 2, month_day=-1), "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1"),
    (Picker(picker.DAILY), "FREQ=DAILY"),
    (Picker(picker.DAILY, 3), "FREQ=DAILY;INTERVAL=3"),
]


@pytest.mark.parametrize(("chosen", "rule"), EXAMPLES)
def test_the_picker_writes_the_rule_and_reads_it_back(chosen: Picker, rule: str) -> None:
    assert picker_to_rrule(chosen) == rule
    assert rrule_to_picker(rule) == chosen
    assert rrule_to_picker("RRULE:" + rule.lower()) == chosen  # as the model normalises it


def test_the_first_wednesday_at_two_reads_as_the_manager_chose_it() -> None:
    rule = picker_to_rrule(Picker(picker.MONTHLY_WEEKDAY, position=1, weekday="WE"))
    with translation.override("en-ca"):  # whatever language an earlier test left active
        assert describe_rrule(rule, time(14)) == "first Wednesday of every month at 14:00"


def _every_picker() -> list[Picker]:
    """Every choice the picker offers (intervals 1, 2 and the largest)."""
    found: list[Picker] = []
    for interval in (1, 2, picker.MAX_INTERVAL):
        found.append(Picker(picker.DAILY, interval))
        for day in WEEKDAYS:
            found.append(Picker(picker.WEEKLY, interval, weekdays=(day,)))
            for position in picker.POSITIONS:
                found.append(
                    Picker(picker.MONTHLY_WEEKDAY, interval, position=position, weekday=day)
                )
        found.append(Picker(picker.WEEKLY, interval, weekdays=WEEKDAYS))
        found.append(Picker(picker.WEEKLY, interval, weekdays=("MO", "WE", "FR")))
        for month_day in picker.MONTH_DAYS:
            found.append(Picker(picker.MONTHLY_DAY, interval, month_day=month_day))
    return found


def test_every_rule_the_picker_writes_is_valid_and_round_trips() -> None:
    for chosen in _every_picker():
        rule = picker_to_rrule(chosen)
        parse_rrule(rule, start=date(2026, 1, 1))  # a rule the schedule accepts
        assert rrule_to_picker(rule) == chosen, rule
        assert picker_to_rrule(rrule_to_picker(rule)) == rule  # type: ignore[arg-type]


def test_weekdays_are_written_from_monday_whatever_the_order_chosen() -> None:
    assert (
        picker_to_rrule(Picker(picker.WEEKLY, weekdays=("FR", "MO"))) == "FREQ=WEEKLY;BYDAY=MO,FR"
    )


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=FR,MO",  # another order: saved again it would read differently
        "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2",  # another part order
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU",  # an interval the picker leaves out
        "FREQ=MONTHLY;BYDAY=1MO,3MO",  # two positions
        "FREQ=MONTHLY;BYDAY=5TU",  # a fifth weekday
        "FREQ=MONTHLY;BYDAY=-2FR",  # second-to-last
        "FREQ=MONTHLY;BYDAY=TU",  # every Tuesday of the month
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=MONTHLY;BYMONTHDAY=-2",
        "FREQ=YEARLY;BYMONTH=3;BYDAY=2TU",
        "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        "FREQ=WEEKLY",  # the start date's weekday
        "FREQ=WEEKLY;INTERVAL=60;BYDAY=TU",  # beyond the picker's intervals
        "FREQ=DAILY;BYDAY=MO",
        "FREQ=MONTHLY;BYDAY=1WE;BYMONTHDAY=1",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;;BYDAY=TU",
        "",
        "not a rule",
    ],
)
def test_a_rule_the_picker_cannot_write_stays_with_the_advanced_field(rule: str) -> None:
    assert rrule_to_picker(rule) is None


@pytest.mark.parametrize(
    ("chosen", "field"),
    [
        (Picker(picker.WEEKLY), "weekdays"),
        (Picker(picker.WEEKLY, weekdays=("XX",)), "weekdays"),
        (Picker(picker.WEEKLY, 0, weekdays=("TU",)), "interval"),
        (Picker(picker.WEEKLY, picker.MAX_INTERVAL + 1, weekdays=("TU",)), "interval"),
        (Picker(picker.MONTHLY_WEEKDAY, weekday="TU"), "position"),
        (Picker(picker.MONTHLY_WEEKDAY, position=5, weekday="TU"), "position"),
        (Picker(picker.MONTHLY_WEEKDAY, position=1), "weekday"),
        (Picker(picker.MONTHLY_DAY), "month_day"),
        (Picker(picker.MONTHLY_DAY, month_day=32), "month_day"),
        (Picker(picker.ADVANCED), "repeats"),
    ],
)
def test_a_choice_that_names_no_rule_names_its_field(chosen: Picker, field: str) -> None:
    with pytest.raises(PickerError) as refused:
        picker_to_rrule(chosen)
    assert refused.value.field == field
