"""Small things that cost trust (issue 17, item 6), in a real browser: a wrong
two-factor code on a phone is called wrong, not "too many"; a new site's short name
fills itself from its name."""

from __future__ import annotations

import base64
import re
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from agreements.models import Site
from tests.conftest import World
from tests.e2e.conftest import sign_in

PASSWORD = "correct horse battery staple"


def _wrong(device: TOTPDevice) -> str:
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    return "000000" if right != "000000" else "111111"


def test_a_first_wrong_code_on_a_phone_is_called_wrong_not_too_many(
    phone: Any, live_server: Any, world: World, settings: Any
) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    manager = world.users["manager"]
    manager.set_password(PASSWORD)
    manager.save()
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    page = phone
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Second step of sign-in")).to_be_visible()
    page.get_by_label("Code").fill(_wrong(device))
    page.get_by_role("button", name="Continue").click()
    main = page.locator("main")
    expect(main).to_contain_text("That code is not right. Check the time on your phone")
    expect(main).not_to_contain_text("Too many")
    # The code field is still there to try again, and the page fits the phone.
    expect(page.get_by_label("Code")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_the_setup_page_on_a_phone_offers_the_authenticator_link_and_grouped_key(
    phone: Any, live_server: Any, world: World, settings: Any
) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    page = phone
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/accounts/2fa/setup/")
    link = page.get_by_role("link", name="Open in my authenticator app")
    expect(link).to_have_attribute("href", re.compile(r"^otpauth://totp/hr_police%3A.+secret="))
    key = page.get_by_test_id("totp-key")
    groups = key.locator("span").all_inner_texts()
    assert all(len(g) == 4 for g in groups[:-1])
    assert len(groups) >= 8
    device = TOTPDevice.objects.get(user=world.users["manager"])
    assert "".join(groups) == base64.b32encode(device.bin_key).decode()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_new_sites_short_name_fills_itself_from_its_name(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page.context, live_server, world.users["admin"])
    page.goto(f"{live_server.url}/sites/new/")
    name = page.get_by_label("Name", exact=False).first
    slug = page.locator("#id_slug")
    name.fill("Rivière-Claire Centre")
    expect(slug).to_have_value("riviere-claire-centre")
    name.fill("Rivière-Claire Centre Nord")
    expect(slug).to_have_value("riviere-claire-centre-nord")
    # Once edited by hand, the short name stays as typed.
    slug.fill("rc-north")
    name.fill("Something else")
    expect(slug).to_have_value("rc-north")
    # Emptied again, it follows the name again.
    slug.fill("")
    name.fill("Lakeport Site")
    expect(slug).to_have_value("lakeport-site")
    assert not Site.objects.filter(slug="lakeport-site").exists()  # typing saves nothing
