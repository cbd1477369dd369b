"""The schedule form's picker, its preview of the next dates, the count of check-ins a
save created, and the "Record outcomes" links that lead to the quick outcome form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from agreements.audit import AuditEntry
from agreements.models import Site
from liaisons.models import CheckIn, CheckInSchedule
from liaisons.services import schedule_generate
from tests.factories import TORONTO, CheckInFactory, ScheduleFactory
from tests.page_forms import opened, page_form

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 5, 9, tzinfo=TORONTO)  # a Monday


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
    translation.deactivate()


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


# "Every first Wednesday of the month at 14:00", from the picker alone.
FIRST_WEDNESDAY = {
    "key": "monthly-meeting",
    "repeats": "monthly_weekday",
    "interval": "1",
    "position": "1",
    "weekday": "WE",
    "month_day": "",
    "rrule": "",
    "start": "2026-01-01",
    "end": "",
    "start_time": "14:00",
    "duration_minutes": "60",
    "format": "meeting",
    "location": "",
}


def said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_picker_writes_the_rule_and_the_page_says_how_many_check_ins_were_created(
    manager_client: Any, site: Site, settings: Any
) -> None:
    settings.HR_POLICE_SCHEDULE_MONTHS_AHEAD = 3
    response = manager_client.post(url("schedules_create", site), FIRST_WEDNESDAY)
    assert response.status_code == 302
    schedule = CheckInSchedule.objects.get(site=site)
    assert schedule.rrule == "FREQ=MONTHLY;BYDAY=1WE"
    starts = [
        c.scheduled_start.astimezone(TORONTO) for c in CheckIn.objects.order_by("scheduled_start")
    ]
    assert [s.date() for s in starts] == [date(2026, 1, 7), date(2026, 2, 4), date(2026, 3, 4),
                                     date(2026, 4, 1)]  # fmt: skip
    assert {s.time() for s in starts} == {time(14)}
    assert said(response) == [
        "The check-in schedule “monthly-meeting (FREQ=MONTHLY;BYDAY=1WE)” was saved. "
        "4 check-ins were created."
    ]


def test_weekly_on_several_days_every_other_week(manager_client: Any, site: Site) -> None:
    data = {**FIRST_WEDNESDAY, "repeats": "weekly", "interval": "2", "weekdays": ["TH", "MO"]}
    assert manager_client.post(url("schedules_create", site), data).status_code == 302
    assert CheckInSchedule.objects.get().rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"


def test_the_preview_shows_the_rule_in_words_and_the_next_dates_and_writes_nothing(
    manager_client: Any, site: Site
) -> None:
    entries = AuditEntry.objects.count()
    response = manager_client.post(
        url("schedules_create", site), {**FIRST_WEDNESDAY, "preview": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: nothing is saved yet" in html
    assert "First Wednesday of every month at 14:00" in html
    assert "America/Toronto" in html
    assert '<time datetime="2026-01-07T14:00">' in html
    assert '<time datetime="2026-08-05T14:00">' in html  # eight dates
    assert html.count("<time datetime=") == 8
    assert 'value="FREQ=MONTHLY;BYDAY=1WE"' in html  # the rule field shows what it wrote
    assert not CheckInSchedule.objects.exists()
    assert not CheckIn.objects.exists()
    assert AuditEntry.objects.count() == entries
    # The page shown again keeps the choices: saving it saves what was previewed.
    assert manager_client.post(url("schedules_create", site), FIRST_WEDNESDAY).status_code == 302


def test_the_preview_marks_dates_during_operating_hours(manager_client: Any, site: Site) -> None:
    site.hours.create(weekday=2, opens=time(9), closes=time(17))  # Wednesdays
    data = {**FIRST_WEDNESDAY, "format": "visit", "preview": "1"}
    html = manager_client.post(url("schedules_create", site), data).content.decode()
    assert html.count("during operating hours") == 8


def test_the_preview_of_an_edit_changes_nothing(manager_client: Any, site: Site) -> None:
    schedule = ScheduleFactory(site=site)
    schedule_generate(schedule=schedule)
    schedule.refresh_from_db()
    version = schedule.edit_version
    before = set(CheckIn.objects.values_list("pk", "scheduled_start"))
    page = url("schedules_edit", site, pk=schedule.pk)
    data = {**FIRST_WEDNESDAY, "key": schedule.key, **opened(manager_client, page), "preview": "1"}
    response = manager_client.post(page, data)
    assert response.status_code == 200
    assert "First Wednesday of every month at 10:00" not in response.content.decode()
    assert "First Wednesday of every month at 14:00" in response.content.decode()
    schedule.refresh_from_db()
    assert (schedule.rrule, schedule.start_time, schedule.edit_version) == (
        "FREQ=MONTHLY;BYDAY=2TU",
        time(10),
        version,
    )
    assert set(CheckIn.objects.values_list("pk", "scheduled_start")) == before


def test_an_edit_says_how_many_check_ins_were_created_and_removed(
    manager_client: Any, site: Site, settings: Any
) -> None:
    settings.HR_POLICE_SCHEDULE_MONTHS_AHEAD = 3
    schedule = ScheduleFactory(site=site, start=date(2026, 1, 1), start_time=time(14))
    assert schedule_generate(schedule=schedule).created == 3  # second Tuesdays
    page = url("schedules_edit", site, pk=schedule.pk)
    data = {**FIRST_WEDNESDAY, "key": schedule.key, **opened(manager_client, page)}
    response = manager_client.post(page, data)
    assert response.status_code == 302
    assert said(response)[0].endswith(
        "was updated. 4 check-ins were created. 3 future check-ins without an outcome were removed."
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"repeats": "weekly"}, "weekdays", "Choose at least one day of the week."),
        ({"position": ""}, "position", "Choose which one in the month"),
        ({"weekday": ""}, "weekday", "Choose the day of the week."),
        ({"repeats": "monthly_day"}, "month_day", "Choose the day of the month."),
        ({"interval": "0"}, "interval", "greater than or equal to 1"),
        ({"interval": "many"}, "interval", "Enter a whole number."),
        ({"position": "9"}, "position", "Select a valid choice."),
        ({"repeats": "hourly"}, "repeats", "Select a valid choice."),
        ({"repeats": "advanced"}, "rrule", "Enter a rule, for example"),
        ({"repeats": "advanced", "rrule": "FREQ=HOURLY"}, "rrule", "FREQ=HOURLY is refused"),
    ],
)
def test_bad_picker_input_names_the_field_and_saves_nothing(
    manager_client: Any, site: Site, changes: dict[str, str], field: str, message: str
) -> None:
    for preview in ({}, {"preview": "1"}):
        response = manager_client.post(
            url("schedules_create", site), {**FIRST_WEDNESDAY, **changes, **preview}
        )
        assert response.status_code == 422
        errors = response.context["form"].errors
        assert list(errors) == [field]
        assert message in " ".join(errors[field])
        assert "Preview: nothing is saved yet" not in response.content.decode()
    assert not CheckInSchedule.objects.exists()


def test_a_rule_the_picker_cannot_write_keeps_the_advanced_field(
    manager_client: Any, site: Site
) -> None:
    rule = "FREQ=YEARLY;BYMONTH=3,9;BYDAY=2TU"
    schedule = ScheduleFactory(site=site, rrule=rule)
    page = url("schedules_edit", site, pk=schedule.pk)
    html = manager_client.get(page).content.decode()
    assert '<option value="advanced" selected>' in html
    assert f'value="{rule}"' in html
    assert "Now: second Tuesday of every year, in March and September at 10:00." in html
    # Saved as the page holds it (another field changed), the rule is the same.
    data = page_form(html)
    data["location"] = "Community room"
    assert manager_client.post(page, data).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.rrule, schedule.location) == (rule, "Community room")


def test_a_rule_the_picker_can_write_opens_in_the_picker(manager_client: Any, site: Site) -> None:
    schedule = ScheduleFactory(site=site, rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR")
    html = manager_client.get(url("schedules_edit", site, pk=schedule.pk)).content.decode()
    assert '<option value="monthly_weekday" selected>' in html
    assert '<option value="-1" selected>' in html
    assert '<option value="FR" selected>' in html
    assert 'name="interval" value="3"' in html


def test_the_picker_speaks_french(manager_client: Any, site: Site) -> None:
    manager_client.cookies["django_language"] = "fr-ca"
    html = manager_client.get(
        url("schedules_create", site), HTTP_ACCEPT_LANGUAGE="fr-ca"
    ).content.decode()
    assert "Répétition" in html
    assert "Mensuel, un jour de la semaine" in html
    assert all(word in html for word in ("premier", "dernier", "mercredi"))
    response = manager_client.post(
        url("schedules_create", site),
        {**FIRST_WEDNESDAY, "preview": "1"},
        HTTP_ACCEPT_LANGUAGE="fr-ca",
    )
    html = response.content.decode()
    assert "Le premier mercredi de chaque mois à 14" in html
    assert "Aperçu des dates" in html


def test_record_outcomes_on_the_site_overview_goes_to_the_quick_outcome_form(
    manager_client: Any, site: Site
) -> None:
    CheckInFactory(site=site, scheduled_start=datetime(2026, 1, 2, 10, tzinfo=TORONTO),
                   status="scheduled")  # fmt: skip
    html = manager_client.get(
        reverse("agreements:site_overview", args=[site.slug])
    ).content.decode()
    awaiting = url("checkins_awaiting", site)
    assert f'<a href="{awaiting}">Record outcomes</a>' in html
    assert manager_client.get(awaiting).status_code == 200
