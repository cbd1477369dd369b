"""Issue 18, part 3: a round of self-assessment by both sides yields the perception gap
on the scorecard. The manager opens a round and answers on a desktop; the liaison answers
on a phone; the scorecard shows, per factor, the computed score, each side's perception,
the gap and the flag of a gap of 25 or more."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from perception.models import SelfAssessmentResponse, SelfAssessmentRound
from tests.conftest import World
from tests.e2e.conftest import sign_in
from tests.factories import CheckInFactory


def rate_everything(page: Any, rating: int, *, tap: bool = False) -> None:
    """Choose `rating` for every statement (the radio labelled "4 · Agree", say)."""
    for group in page.get_by_role("radiogroup").all():
        choice = group.get_by_label(re.compile(f"^{rating} · "))
        choice.tap() if tap else choice.check()


def test_both_sides_answer_and_the_scorecard_shows_the_gap(
    context: Any, phone: Any, live_server: Any, world: World
) -> None:
    site = world.site
    CheckInFactory(site=site, status="scheduled",
                   scheduled_start=timezone.now() + timedelta(days=12))  # fmt: skip

    # The manager opens a round and answers: every statement "5 · Strongly agree".
    desk = context.new_page()
    sign_in(context, live_server, world.users["manager"])
    desk.goto(f"{live_server.url}/sites/riverside/self-assessment/")
    expect(desk.get_by_role("heading", name="Self-assessment", exact=True)).to_be_visible()
    desk.get_by_label("Last day to answer").fill(f"{site.today() + timedelta(days=14):%Y-%m-%d}")
    desk.get_by_role("button", name="Open a round").click()
    expect(desk.get_by_role("status").or_(desk.locator(".alert-success")).first).to_contain_text(
        "The round is open"
    )
    desk.get_by_role("link", name="Give your answers").click()
    rate_everything(desk, 5)
    desk.get_by_label("Comment (optional)").first.fill("The planning table met monthly.")
    desk.get_by_role("button", name="Submit my answers").click()
    expect(desk.locator("body")).to_contain_text("your answers were saved")
    # Before police answer, the manager's scorecard shows no gap yet.
    desk.goto(f"{live_server.url}/sites/riverside/score/")
    expect(desk.get_by_test_id("perception-table")).to_have_count(0)

    # The liaison answers on a phone, through the link in the liaison's menu.
    sign_in(phone.context, live_server, world.users["liaison"])
    phone.goto(f"{live_server.url}/sites/riverside/protocol/")
    phone.get_by_role("link", name="Perception gap").tap()
    phone.get_by_role("link", name="Give your answers").first.tap()
    expect(phone.locator("body")).not_to_contain_text("The planning table met monthly.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    rate_everything(phone, 3, tap=True)
    phone.get_by_role("button", name="Submit my answers").tap()
    expect(phone.locator("body")).to_contain_text("your answers were saved")
    # Now both have answered, the liaison reads the manager's comment.
    expect(phone.locator("body")).to_contain_text("The planning table met monthly.")
    phone.get_by_role("link", name="Perception gap").tap()
    police_table = phone.get_by_test_id("perception-table")
    expect(police_table).to_be_visible()
    # Police read the computed score of the liaison factor only.
    f4_computed = police_table.locator('tr[data-factor="entry_presence_agreement"] td').first
    expect(f4_computed).to_have_text("—")

    # The manager's scorecard: per factor computed, manager 100, liaison 50, gap 50, flagged.
    desk.goto(f"{live_server.url}/sites/riverside/score/")
    table = desk.get_by_test_id("perception-table")
    expect(table).to_be_visible()
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers == ["Factor", "Computed", "Site managers", "Police liaisons", "Gap"]
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(5)
    for index in range(5):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(re.compile(r"^\d+$"))  # the computed score
        expect(cells.nth(1)).to_have_text("100.0")
        expect(cells.nth(2)).to_have_text("50.0")
        expect(cells.nth(3)).to_contain_text("50.0")
        expect(cells.nth(3).get_by_test_id("gap-flag")).to_be_visible()
    day = site.today() + timedelta(days=12)
    expect(desk.get_by_test_id("gap-note")).to_contain_text("topic for the next check-in")
    expect(desk.get_by_test_id("gap-note")).to_contain_text(str(day.year))

    assert SelfAssessmentRound.objects.count() == 1
    assert sorted(SelfAssessmentResponse.objects.values_list("side", flat=True)) == [
        "liaison", "manager"
    ]  # fmt: skip
