"""Signing a protocol version in its own step and withdrawing one that has not taken
effect, in the browser, on a phone and on a desktop (issue 17, item 2)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Protocol
from liaisons.models import Acknowledgement, LiaisonOfficer
from tests.conftest import World
from tests.e2e.conftest import sign_in
from tests.factories import (
    AcknowledgementFactory,
    ClauseFactory,
    ProtocolFactory,
    SignedProtocolFactory,
)

SCREENS = ["phone", "page"]  # the phone context (375 px, touch) and the desktop page


def press(screen: str, locator: Any) -> None:
    locator.tap() if screen == "phone" else locator.click()


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def two_versions(world: World) -> tuple[Protocol, Protocol]:
    """v1 in force; v2 a draft that covers two of the seven required topics."""
    v1 = SignedProtocolFactory(site=world.site, version=1, effective_from=date(2024, 3, 1))
    ClauseFactory(protocol=v1, topic="proximity_buffer", text="No cruisers in the buffer.")
    v2 = ProtocolFactory(
        site=world.site, version=2, created_on=world.site.today() - timedelta(days=10)
    )
    ClauseFactory(protocol=v2, topic="proximity_buffer", text="No cruisers within 150 m.")
    ClauseFactory(protocol=v2, topic="notification", text="The site is told within a day.")
    return v1, v2


@pytest.mark.parametrize("screen", SCREENS)
def test_signing_with_a_missing_topic_warns_on_the_confirmation_page(
    request: Any, screen: str, live_server: Any, world: World
) -> None:
    page = request.getfixturevalue(screen)
    v1, v2 = two_versions(world)
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/protocols/{v2.pk}/")
    press(screen, page.get_by_role("link", name="Sign this version…"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign protocol version 2")
    warning = page.locator("#missing-topics")
    expect(warning).to_contain_text("leaves out 5 of the seven topics")
    expect(warning).to_contain_text("When entry is allowed")
    expect(warning).to_contain_text("No plain-clothes or undercover presence")
    police = page.get_by_role("region", name="What police will see")
    expect(police).to_contain_text("The site is told within a day.")
    assert fits(page)

    takes_effect = world.site.today() + timedelta(days=14)
    page.get_by_label("Signed on").fill(str(world.site.today()))
    page.get_by_label("Takes effect on").fill(str(takes_effect))
    # The warning is not acknowledged: nothing is signed, and the page says why.
    press(screen, page.get_by_role("button", name="Sign version 2"))
    expect(page.get_by_role("alert").first).to_contain_text("confirm that you sign it without them")
    expect(page.get_by_role("region", name="The version it ends")).to_contain_text(
        f"Version 1 stays in force until this one takes effect, and stops being in force "
        f"from {takes_effect}"
    )
    v2.refresh_from_db()
    assert v2.status == "draft"

    page.get_by_label("I sign this version without the missing topics listed above.").check()
    press(screen, page.get_by_role("button", name="Sign version 2"))
    expect(page.get_by_role("status").first).to_contain_text("Protocol version 2 was signed")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Signed — takes effect on {takes_effect}"
    )
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v2.status, v2.effective_from) == ("signed", takes_effect)
    assert (v1.status, v1.ended_on) == ("ended", takes_effect)
    # The version in force still reads so, never "ended".
    page.goto(f"{live_server.url}/sites/riverside/protocols/{v1.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"In force until {takes_effect}")
    assert fits(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_version_not_yet_in_effect_is_withdrawn(
    request: Any, screen: str, live_server: Any, world: World
) -> None:
    page = request.getfixturevalue(screen)
    v1 = SignedProtocolFactory(site=world.site, version=1, effective_from=date(2024, 3, 1))
    takes_effect = world.site.today() + timedelta(days=20)
    v2 = SignedProtocolFactory(
        site=world.site, version=2, signed_on=world.site.today(), effective_from=takes_effect,
        review_by=None,
    )  # fmt: skip
    v1.status, v1.ended_on = "ended", takes_effect
    v1.save()
    AcknowledgementFactory(officer=_officer(world), protocol=v2, acknowledged_at=timezone.now())
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/protocols/{v2.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signed — takes effect on")
    withdraw = page.get_by_role("region", name="Withdraw this version")
    assert fits(page)
    # A reason is required, and passes the PII guard.
    withdraw.get_by_label("Why is it withdrawn?").fill("Call me at 416-555-0199")
    press(screen, withdraw.get_by_role("button", name="Withdraw version 2"))
    expect(page.get_by_role("alert").first).to_contain_text("Remove the phone number")
    v2.refresh_from_db()
    assert v2.status == "signed"

    withdraw = page.get_by_role("region", name="Withdraw this version")
    withdraw.get_by_label("Why is it withdrawn?").fill("The police board has not ratified it.")
    press(screen, withdraw.get_by_role("button", name="Withdraw version 2"))
    expect(page.get_by_role("status").first).to_contain_text("was withdrawn")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Negotiating")
    expect(page.get_by_role("link", name="Edit draft")).to_be_visible()
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v2.status, v2.signed_on) == ("negotiating", None)
    assert (v1.status, v1.ended_on) == ("signed", None)
    assert not Acknowledgement.objects.filter(protocol=v2).exists()
    page.goto(f"{live_server.url}/sites/riverside/protocols/{v1.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("In force")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("until")


def _officer(world: World) -> LiaisonOfficer:
    return LiaisonOfficer.objects.get(user=world.users["liaison"])


def test_a_liaison_on_a_phone_acknowledges_the_version_waiting(
    phone: Any, live_server: Any, world: World
) -> None:
    SignedProtocolFactory(site=world.site, version=1, effective_from=date(2024, 3, 1))
    takes_effect = world.site.today() + timedelta(days=7)
    v2 = SignedProtocolFactory(
        site=world.site, version=2, signed_on=world.site.today(), effective_from=takes_effect,
        review_by=None,
    )  # fmt: skip
    sign_in(phone.context, live_server, world.users["liaison"])
    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_text("Protocol version 2 is signed and takes effect on")).to_be_visible()
    phone.goto(f"{live_server.url}/sites/riverside/protocol/")
    waiting = phone.get_by_role("region", name="A new version is waiting")
    expect(waiting).to_contain_text(f"Version 2 is signed and takes effect on {takes_effect}")
    waiting.get_by_role("button", name="I have read version 2: acknowledge it").tap()
    expect(phone.get_by_role("status").first).to_contain_text("You acknowledged version 2")
    assert Acknowledgement.objects.filter(protocol=v2, officer=_officer(world)).exists()
    assert fits(phone)
