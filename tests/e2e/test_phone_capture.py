"""Logging an interaction on a phone (issue 17 item 1): one tap from the home page or any
site page, on the first screen; the time already set; the site's sections in a menu.
And the same journey on a desktop."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from agreements.choices import Role
from agreements.models import Interaction, Membership
from tests.conftest import World
from tests.e2e.conftest import PHONE, fits_width, sign_in
from tests.factories import InteractionFactory

FIRST_SCREEN = PHONE["viewport"]["height"]  # 812 px
LOG = "Log an interaction"

# A manager's site pages, each with a record or two behind it.
SITE_PAGES = [
    "/sites/riverside/",
    "/sites/riverside/score/",
    "/sites/riverside/profile/",
    "/sites/riverside/interactions/",
    "/sites/riverside/officers/",
    "/sites/riverside/checkins/",
    "/sites/riverside/checkins/awaiting/",
    "/sites/riverside/engagements/new/",
    "/sites/riverside/exports/",
    "/sites/riverside/audit/",
    "/sites/riverside/protocol/",
]


def top_of(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None, "the control is not displayed"
    return float(box["y"])


def test_a_manager_logs_an_interaction_from_the_home_page_in_one_tap(
    phone: Any, live_server: Any, world: World
) -> None:
    InteractionFactory.create_batch(2, site=world.site, category="alert_shared")
    sign_in(phone.context, live_server, world.users["manager"])
    phone.goto(live_server.url + "/")

    control = phone.get_by_role("link", name=re.compile(f"^{LOG}"))
    expect(control).to_be_visible()
    assert top_of(control) < FIRST_SCREEN
    control.tap()  # a manager of one site goes straight to its form

    expect(phone).to_have_url(re.compile("/sites/riverside/interactions/new/$"))
    when = phone.get_by_label("When (local time; minutes are dropped)")
    expect(when).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT\d\d:00$"))  # now, to the hour
    category = phone.get_by_label("Category")
    first_group = category.locator("optgroup").first
    expect(first_group).to_have_attribute("label", "Most used here")
    expect(first_group.locator("option").first).to_have_text("Toxic-drug alert shared")
    # The rarely used fields wait under "More details".
    expect(phone.get_by_label("Narrative")).to_be_hidden()

    category.select_option("vehicle_in_buffer")
    phone.get_by_label("Distance band").select_option(label="Inside the agreed buffer")
    phone.get_by_label("Vehicle present").check()
    phone.get_by_role("button", name="Save").tap()

    expect(phone.get_by_role("status")).to_contain_text("was saved")
    expect(phone.get_by_role("table").get_by_text("Police vehicle in the buffer")).to_be_visible()
    saved = Interaction.objects.get(category="vehicle_in_buffer")
    assert saved.occurred_at.minute == 0
    assert saved.site == world.site
    assert fits_width(phone)


def test_the_control_is_on_the_first_screen_of_every_site_page(
    phone: Any, live_server: Any, world: World
) -> None:
    interaction = InteractionFactory(site=world.site)
    sign_in(phone.context, live_server, world.users["manager"])
    late = []
    for path in [*SITE_PAGES, f"/sites/riverside/interactions/{interaction.pk}/edit/"]:
        response = phone.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        control = phone.locator(".site-bar").get_by_role("link", name=LOG)
        expect(control).to_be_visible()
        top = top_of(control)
        if top >= FIRST_SCREEN:
            late.append(f"{path}: {top:.0f} px down")
        assert control.get_attribute("href") == "/sites/riverside/interactions/new/"
    assert not late, "\n".join(late)


def test_the_sections_fold_into_a_menu_on_a_phone(
    phone: Any, live_server: Any, world: World
) -> None:
    sign_in(phone.context, live_server, world.users["manager"])
    phone.goto(live_server.url + "/sites/riverside/")
    sections = phone.get_by_role("navigation", name="Site records")
    menu = sections.get_by_role("button", name="Site sections")
    score = sections.get_by_role("link", name="Score")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(score).to_be_hidden()

    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(score).to_be_visible()
    score.tap()
    expect(phone).to_have_url(re.compile("/sites/riverside/score/$"))
    expect(phone.get_by_role("heading", level=1)).to_be_visible()


def test_a_manager_of_two_sites_chooses_one_on_a_desktop(
    page: Any, live_server: Any, world: World
) -> None:
    manager = world.users["manager"]
    Membership.objects.create(user=manager, role=Role.MANAGER, site=world.other_site)
    sign_in(page.context, live_server, manager)
    page.goto(live_server.url + "/")

    chooser = page.get_by_role("button", name=LOG)
    expect(chooser).to_have_attribute("aria-expanded", "false")
    chooser.click()
    expect(chooser).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Riverside Health Hub").first.click()
    expect(page).to_have_url(re.compile("/sites/riverside/interactions/new/$"))

    details = page.locator("details.more-details")
    expect(details).not_to_have_attribute("open", "")
    # Choosing a request for information opens "More details" for its legal basis.
    page.get_by_label("Category").select_option("information_request")
    expect(details).to_have_attribute("open", "")
    page.get_by_label("Distance band").select_option(label="Inside the site")
    page.get_by_label("Legal basis").select_option("none")
    page.get_by_label("Disclosed").select_option("false")
    page.get_by_label("Narrative").fill("Officer asked for the visit log; staff declined.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("was saved")
    # On a desktop the sections stay in view, without the phone's menu button.
    sections = page.get_by_role("navigation", name="Site records")
    expect(sections.get_by_role("button", name="Site sections")).to_be_hidden()
    expect(sections.get_by_role("link", name="Score")).to_be_visible()
    saved = Interaction.objects.get()
    assert (saved.category, saved.legal_basis, saved.disclosed) == (
        "information_request",
        "none",
        False,
    )
    assert saved.is_breach
    # And the same control sits atop the list it came back to.
    expect(page.locator(".site-bar").get_by_role("link", name=LOG)).to_be_visible()


def test_a_refusal_keeps_what_was_typed_and_opens_more_details(
    phone: Any, live_server: Any, world: World
) -> None:
    sign_in(phone.context, live_server, world.users["manager"])
    phone.goto(live_server.url + "/sites/riverside/interactions/new/")
    phone.get_by_label("Category").select_option("stop_or_search")
    phone.get_by_label("Distance band").select_option(label="Inside the agreed buffer")
    phone.get_by_label("Officers present").fill("3")
    phone.locator("details.more-details > summary").tap()
    phone.get_by_label("Narrative").fill(
        "Officers searched people at the corner; ring 416-555-0199."
    )
    phone.get_by_role("button", name="Save").tap()

    expect(phone.get_by_label("Narrative")).to_be_visible()  # the section opened itself
    expect(phone.get_by_label("Narrative")).to_have_value(re.compile("^Officers searched"))
    expect(phone.get_by_label("Category")).to_have_value("stop_or_search")
    expect(phone.get_by_label("Officers present")).to_have_value("3")
    assert not Interaction.objects.exists()
