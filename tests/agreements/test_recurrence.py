"""RFC 5545 rules: what check-in schedules accept and refuse, as a pure function."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from agreements.recurrence import parse_rrule

START = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("rule", "first"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", datetime(2026, 1, 13, 10)),
        ("rrule:freq=weekly;byday=we", datetime(2026, 1, 7, 10)),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH", datetime(2026, 1, 1, 10)),
        ("FREQ=MONTHLY;BYDAY=-1FR", datetime(2026, 1, 30, 10)),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", datetime(2028, 2, 29, 10)),
        ("FREQ=WEEKLY;COUNT=3;WKST=SU", datetime(2026, 1, 1, 10)),
    ],
)
def test_it_accepts_rules_that_occur(rule: str, first: datetime) -> None:
    assert parse_rrule(rule, start=START, at=time(10))[0] == first


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("", "Enter a recurrence rule"),
        ("every tuesday", "NAME=VALUE"),
        ("BYDAY=TU", "needs FREQ"),
        ("FREQ=HOURLY", "FREQ=HOURLY is refused"),
        ("FREQ=SECONDLY", "refused"),
        ("FREQ=MONTHLY;BYDAY=9TU;BYDAY=TU", "twice"),
        ("FREQ=MONTHLY;BYDAY=99TU", "between 1 and 53"),
        ("FREQ=MONTHLY;BYDAY=TUESDAY", "BYDAY takes days"),
        ("FREQ=DAILY;COUNT=0", "COUNT must be between 1 and 1000"),
        ("FREQ=DAILY;COUNT=123456789012345678901", "takes whole numbers"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be between 1 and 366"),
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL takes whole numbers"),
        ("FREQ=MONTHLY;BYMONTHDAY=40", "BYMONTHDAY must be between"),
        ("FREQ=YEARLY;BYYEARDAY=400", "BYYEARDAY must be between"),
        ("FREQ=YEARLY;BYWEEKNO=60", "BYWEEKNO must be between"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", "gives no date"),
        ("FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2;BYMONTHDAY=1", "gives no date"),
        ("FREQ=WEEKLY;UNTIL=20270101", "Leave UNTIL out"),
        ("FREQ=WEEKLY;BYHOUR=10", "Leave BYHOUR out"),
        ("FREQ=WEEKLY;X-NAME=1", "not a rule part"),
        ("FREQ=WEEKLY;WKST=XX", "WKST must be a day"),
        ("FREQ=WEEKLY;" + "BYMONTH=1;" * 30, "at most 200"),
    ],
)
def test_it_refuses_rules_with_a_reason(rule: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_rrule(rule, start=START)
    assert says in " ".join(caught.value.messages)
