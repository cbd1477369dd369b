"""A manager sets up a check-in schedule with the picker, on a phone and at a desk: sees
the rule in words and the next dates before saving, saves, and reads how many check-ins
were created; then "Record outcomes" on the site overview opens the quick outcome form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from liaisons.models import CheckIn, CheckInSchedule
from tests.conftest import World
from tests.e2e.conftest import DESKTOP, PHONE, confine_to, sign_in
from tests.e2e.test_accessibility import axe_problems
from tests.factories import CheckInFactory


@pytest.fixture(params=["phone", "desktop", "desktop without JavaScript"])
def screen(
    request: Any, browser: Any, browser_context_args: dict[str, Any], live_server: Any
) -> Iterator[Any]:
    """A page on a phone (375 px, touch) or a desktop, confined to the live server; the
    picker works without JavaScript too (the server writes the rule)."""
    size = PHONE if request.param == "phone" else DESKTOP
    scripts = {"java_script_enabled": "without" not in request.param}
    context = browser.new_context(**{**browser_context_args, **size, **scripts})
    outside = confine_to(context, live_server)
    yield context.new_page()
    context.close()
    assert not outside, f"the page tried to load from outside the app: {outside}"


def press(page: Any, button: Any) -> None:
    """Tap on a touch screen, click otherwise."""
    if page.viewport_size["width"] < 576:
        button.tap()
    else:
        button.click()


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_manager_picks_first_wednesdays_previews_the_dates_and_saves(
    screen: Any, live_server: Any, world: World, request: Any
) -> None:
    page = screen
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/schedules/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add check-in schedule")

    page.get_by_label("Name").fill("first-wednesdays")
    page.get_by_label("Repeats").select_option(label="Monthly, on a weekday (the first Wednesday…)")
    page.get_by_label("Which one in the month").select_option(label="first")
    page.get_by_label("Day of the week (monthly, on a weekday)").select_option(label="Wednesday")
    today = world.site.today()
    page.locator("#id_start").fill(str(today))  # "Start" is also in "Start time"
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Format").select_option(label="Meeting")

    press(page, page.get_by_role("button", name="Preview the dates"))
    preview = page.get_by_role("region", name="Preview: nothing is saved yet")
    expect(preview).to_contain_text("First Wednesday of every month at 14:00")
    expect(preview).to_contain_text("America/Toronto")
    dates = preview.get_by_role("listitem")
    expect(dates).to_have_count(8)
    for text in dates.all_inner_texts():
        assert text.startswith("Wed"), text  # every date shown is a Wednesday
        assert "14:00" in text
    expect(page.get_by_label("Advanced: RFC 5545 rule")).to_have_value("FREQ=MONTHLY;BYDAY=1WE")
    assert not CheckInSchedule.objects.exists()
    assert not CheckIn.objects.exists()
    assert fits(page)
    if "without" not in request.node.callspec.params["screen"]:  # axe runs in the page
        assert axe_problems(page) == []

    press(page, page.get_by_role("button", name="Save"))
    status = page.get_by_role("status").first
    expect(status).to_contain_text("was saved")
    created = CheckIn.objects.filter(schedule__key="first-wednesdays").count()
    assert created > 0
    expect(status).to_contain_text(f"{created} check-ins were created.")
    expect(page.get_by_role("cell", name="first Wednesday of every month at 14:00")).to_be_visible()
    assert CheckInSchedule.objects.get().rrule == "FREQ=MONTHLY;BYDAY=1WE"
    assert fits(page)


def test_record_outcomes_opens_the_quick_outcome_form(
    screen: Any, live_server: Any, world: World
) -> None:
    page = screen
    yesterday = datetime.combine(world.site.today() - timedelta(days=1), datetime.min.time())
    CheckInFactory(
        site=world.site,
        scheduled_start=yesterday.replace(hour=10, tzinfo=world.site.tz),
        status="scheduled",
    )
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/")
    press(page, page.get_by_role("link", name="Record outcomes"))
    expect(page).to_have_url(re.compile(r"/sites/riverside/checkins/awaiting/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-ins awaiting an outcome")
    page.get_by_label("Outcome", exact=True).select_option(label="Held")
    press(page, page.get_by_role("button", name="Record"))
    expect(page.get_by_role("status").first).to_contain_text("was held")
    assert CheckIn.objects.get().status == "held"


def test_with_javascript_the_picker_shows_only_its_pattern_and_writes_the_rule(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/schedules/new/")
    weekdays = page.get_by_role("group", name="Days of the week (weekly)")
    position = page.get_by_label("Which one in the month")
    rule = page.get_by_label("Advanced: RFC 5545 rule")
    expect(weekdays).to_be_visible()
    expect(position).to_be_hidden()

    weekdays.get_by_label("Thursday").check()
    weekdays.get_by_label("Monday").check()
    page.get_by_label("Every how many").fill("2")
    expect(rule).to_have_value("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH")

    page.get_by_label("Repeats").select_option(value="monthly_weekday")
    expect(weekdays).to_be_hidden()
    position.select_option(label="last")
    page.get_by_label("Day of the week (monthly, on a weekday)").select_option(label="Friday")
    expect(rule).to_have_value("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR")

    # A rule typed by hand: the picker steps aside.
    rule.fill("FREQ=YEARLY;BYMONTH=3;BYDAY=2TU")
    expect(page.get_by_label("Repeats")).to_have_value("advanced")
    expect(position).to_be_hidden()
