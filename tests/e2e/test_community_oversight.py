"""A drug users' union's account, in a browser (issue 19): it reads its site's protocol,
research figures and transparency report from its menu; another site does not exist for
it; no page it reaches holds a narrative, a shared summary or who logged anything."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from agreements.sharing import interaction_share
from tests.conftest import World
from tests.e2e.conftest import sign_in
from tests.factories import ClauseFactory, InteractionFactory, SignedProtocolFactory

CLAUSE = "Officers do not enter the site during its operating hours without a warrant."
NARRATIVE = "Cruiser idling beside the loading dock for an hour."
SUMMARY = "Please ask the patrol not to idle by the dock."


def _records(world: World) -> None:
    protocol = SignedProtocolFactory(site=world.site, version=1)
    ClauseFactory(protocol=protocol, topic="entry_during_hours", text=CLAUSE)
    interaction = InteractionFactory(site=world.site, narrative=NARRATIVE)
    interaction_share(interaction=interaction, summary=SUMMARY, actor=world.users["manager"])


def _nothing_private(page: Any) -> None:
    text = page.content()
    assert NARRATIVE not in text
    assert SUMMARY not in text
    assert "manager-riverside" not in text


def test_the_union_reads_its_protocol_figures_and_transparency_and_nothing_else(
    page: Any, live_server: Any, world: World
) -> None:
    _records(world)
    sign_in(page.context, live_server, world.users["community"])
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Your role: Community oversight")).to_be_visible()
    _nothing_private(page)
    page.get_by_role("link", name="Protocol of Riverside Health Hub").click()
    expect(page.get_by_role("heading", name="The protocol in force")).to_be_visible()
    expect(page.get_by_text(CLAUSE)).to_be_visible()
    # No police-side control: nothing to acknowledge, no liaison edition.
    expect(page.get_by_role("button", name="acknowledge")).to_have_count(0)
    expect(page.get_by_role("link", name="Liaison edition (PDF)")).to_have_count(0)
    _nothing_private(page)
    menu = page.get_by_role("navigation", name="For community oversight")
    menu.get_by_role("link", name="Score", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/sites/riverside/score/")
    _nothing_private(page)
    page.get_by_role("navigation", name="For community oversight").get_by_role(
        "link", name="Transparency report"
    ).click()
    expect(
        page.get_by_role("heading", name="Transparency report: police requests for information")
    ).to_be_visible()
    _nothing_private(page)
    # Pages about interactions answer "not allowed"; another site does not exist.
    for path, status in (
        ("/sites/riverside/interactions/", 403),
        ("/sites/riverside/shared/", 403),
        ("/sites/eastside/profile/", 404),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == status, path
        _nothing_private(page)


def test_the_union_finds_its_way_on_a_phone(phone: Any, live_server: Any, world: World) -> None:
    _records(world)
    sign_in(phone.context, live_server, world.users["community"])
    phone.goto(f"{live_server.url}/sites/riverside/profile/")
    menu = phone.get_by_role("navigation", name="For community oversight")
    menu.get_by_role("link", name="Transparency report").tap()
    expect(phone).to_have_url(f"{live_server.url}/sites/riverside/transparency/")
    phone.wait_for_load_state("load")  # measured with the page's styles applied
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
