"""Issue 17 item 4 in the browser: a manager (on a phone) or an administrator (on a
desktop) invites a new manager for a site without the Django admin; the invitee opens
the e-mailed link, sets a password and two-factor sign-in in one flow, lands on the
site, and later signs in again with the password and the second factor."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import Invitation
from agreements.audit import AuditEntry
from tests.conftest import World
from tests.e2e.conftest import DESKTOP, PHONE, confine_to, sign_in
from tests.e2e.test_accessibility import axe_problems, overflow

PASSWORD = "harbour lights at dusk 2026"
EMAIL = "new.manager@example.org"


def open_context(browser: Any, browser_context_args: dict[str, Any], live_server: Any,
                 size: dict[str, Any]) -> tuple[Any, list[str]]:  # fmt: skip
    context = browser.new_context(**{**browser_context_args, **size})
    return context, confine_to(context, live_server)


def tap_or_click(locator: Any, touch: bool) -> None:
    if touch:
        locator.tap()
    else:
        locator.click()


def invite_from_the_site_page(page: Any, live_server: Any, touch: bool) -> None:
    """A manager: the site's overview, its People page, the invitation form."""
    page.goto(f"{live_server.url}/sites/riverside/")
    tap_or_click(page.get_by_role("link", name="People", exact=True).last, touch)
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Site manager").check()
    tap_or_click(page.get_by_role("button", name="Send the invitation"), touch)


def invite_from_the_network_page(page: Any, live_server: Any, touch: bool) -> None:
    """An administrator: the network's People page (in the menu), a site to manage."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Send the invitation"))
    form.get_by_label("E-mail").fill(EMAIL)
    form.get_by_label("Site manager").check()
    form.get_by_label("Riverside Health Hub").check()
    tap_or_click(form.get_by_role("button", name="Send the invitation"), touch)


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


@pytest.mark.parametrize(
    ("size", "inviter"),
    [(PHONE, "manager"), (DESKTOP, "admin")],
    ids=["phone-manager", "desktop-admin"],
)
def test_a_new_manager_is_invited_accepts_and_sees_the_site(
    browser: Any,
    browser_context_args: dict[str, Any],
    live_server: Any,
    world: World,
    settings: Any,
    size: dict[str, Any],
    inviter: str,
) -> None:
    touch = bool(size.get("has_touch"))
    # The inviter's own session, without the second factor (turned on below).
    context, outside = open_context(browser, browser_context_args, live_server, size)
    sign_in(context, live_server, world.users[inviter])
    page = context.new_page()
    if inviter == "manager":
        invite_from_the_site_page(page, live_server, touch)
    else:
        invite_from_the_network_page(page, live_server, touch)
    expect(page.get_by_role("status").first).to_contain_text(f"An invitation was sent to {EMAIL}")
    expect(page.get_by_role("table", name="Invitations not yet accepted")).to_contain_text(EMAIL)
    assert not overflow(page)
    context.close()
    assert not outside, outside

    # The e-mail, from Django's outbox: plain text, the link, its expiry, who invited.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert world.users[inviter].username in message.body
    assert "Riverside Health Hub" in message.body
    found = re.search(r"(http://\S+/accounts/invitation/[A-Za-z0-9_-]+/)", message.body)
    assert found is not None
    link = found[1]
    assert link.startswith(live_server.url)

    # The invitee, on the same kind of device, with no account yet.
    settings.HR_POLICE_REQUIRE_2FA = True
    context, outside = open_context(browser, browser_context_args, live_server, size)
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Accept your invitation")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        f"{world.users[inviter].username} invited you to hr_police as Site manager"
    )
    assert not axe_problems(page)
    assert not overflow(page)
    expect(page.get_by_label("User name")).to_have_value("new.manager")
    page.get_by_label("User name").fill("new-manager")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    tap_or_click(page.get_by_role("button", name="Create my account"), touch)

    # The same flow goes on to the second factor, then to the site.
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    user = User.objects.get(username="new-manager")
    page.get_by_label("Code").fill(current_code(user))
    tap_or_click(page.get_by_role("button", name="Confirm"), touch)
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    recovery = page.locator("ul.font-monospace li").first.inner_text().strip()
    tap_or_click(page.get_by_role("link", name="I have kept them: continue"), touch)
    expect(page).to_have_url(f"{live_server.url}/sites/riverside/")
    expect(page.get_by_role("heading", name="Riverside Health Hub", level=1)).to_be_visible()
    assert not overflow(page)

    # The link worked once.
    page.goto(link)
    expect(page.get_by_role("heading", name="This invitation link does not work")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("It has already been used")

    # Signing in again later: password, then the second factor (a recovery code here: the
    # app's code of this half-minute was just used, and each code works once).
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/sites/riverside/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.get_by_label("Username").fill("new-manager")
    page.get_by_label("Password").fill(PASSWORD)
    tap_or_click(page.get_by_role("button", name="Sign in"), touch)
    expect(page.get_by_role("heading", name="Second step of sign-in")).to_be_visible()
    page.get_by_label("Code").fill(recovery)
    tap_or_click(page.get_by_role("button", name="Continue"), touch)
    expect(page.get_by_role("heading", name="Riverside Health Hub", level=1)).to_be_visible()
    context.close()
    assert not outside, outside

    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert AuditEntry.objects.filter(object_type="invitation", site="riverside").count() == 2
