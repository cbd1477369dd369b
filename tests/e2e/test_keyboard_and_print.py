"""Keyboard-only use, a visible focus, print styles, and a report page that updates in place."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from agreements.models import Interaction, ReportJob
from tests.conftest import World
from tests.e2e.conftest import sign_in

FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {inner: !e.matches(":focus"), tag: e.tagName, type: e.type || '',
          name: e.name || e.id || e.textContent.trim().slice(0, 30),
          outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth) || 0};
}"""


def tab_to(page: Any, name: str, limit: int = 60) -> dict[str, Any]:
    """Press Tab until the element called `name` has focus; every element on the way must
    show a visible outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["inner"]:
            continue  # focus is on a part inside a date field, drawn by the browser itself
        assert focused["outline"] != "none", f"no visible focus on {focused}"
        assert focused["width"] >= 2, f"focus outline too thin on {focused}"
        if focused["name"] == name:
            return focused
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_interaction_form_works_with_the_keyboard_alone(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/interactions/new/")

    # The first Tab reaches the skip link, which takes focus past the menus to the form.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    day = world.site.today() - timedelta(days=2)
    tab_to(page, "occurred_at")
    # Headless Chromium shows a datetime-local field as mm/dd/yyyy, hh:mm AM; each part
    # moves on when typed in full, except the year (up to six digits).
    page.keyboard.type(f"{day:%m%d%Y}")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("1030a")
    tab_to(page, "category")
    page.keyboard.type("Police vehicle")
    tab_to(page, "distance_band")
    page.keyboard.type("Inside the agreed")
    tab_to(page, "vehicle_present")
    page.keyboard.press("Space")
    # The narrative waits under "More details": Enter on its summary opens it.
    tab_to(page, "more-details")
    page.keyboard.press("Enter")
    tab_to(page, "narrative")
    page.keyboard.type("Cruiser idled by the door; left when asked.")
    tab_to(page, "Save")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("was saved")
    saved = Interaction.objects.get()
    assert saved.category == "vehicle_in_buffer"
    assert saved.distance_band == "buffer"
    assert saved.vehicle_present
    assert saved.narrative.startswith("Cruiser idled")
    assert saved.occurred_at.date() == day


def test_printing_hides_the_menus_and_buttons_and_keeps_the_content(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/score/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    page.emulate_media(media="print")
    expect(nav).to_be_hidden()
    expect(page.get_by_role("navigation", name="Site records")).to_be_hidden()
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Factor scores and weights")).to_be_visible()


def test_a_report_in_progress_updates_in_place_without_reloading(
    page: Any, live_server: Any, world: World
) -> None:
    admin = world.users["admin"]
    job = ReportJob.objects.create(
        requested_by=admin,
        as_of=world.site.today(),
        status="running",
        progress=10,
        message="Scoring sites",
    )
    sign_in(page.context, live_server, admin)
    page.goto(f"{live_server.url}/reports/{job.pk}/")
    page.evaluate("window.notReloaded = true")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Scoring sites")
    ReportJob.objects.filter(pk=job.pk).update(progress=70, message="Drawing charts")
    expect(status).to_contain_text("Drawing charts", timeout=8000)
    expect(page.locator("progress")).to_have_attribute("value", "70")
    assert page.evaluate("window.notReloaded === true")
