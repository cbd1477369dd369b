"""Two-factor messages that a user can trust: a first wrong code is called wrong (not
"too many"), the wait is named only while the device really refuses codes, and the
set-up page offers an otpauth:// link and the key in groups."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import key_groups
from agreements.choices import Role
from agreements.models import Site
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
START = datetime(2026, 6, 1, 12, 0, 0, tzinfo=ZoneInfo("UTC"))
WRONG = "That code is not right. Check the time on your phone and try again."


@pytest.fixture(autouse=True)
def two_factor(settings: Any) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True


def _code(device: TOTPDevice) -> str:
    return str(TOTP(device.bin_key, step=device.step, digits=device.digits).token()).zfill(6)


def _signed_in(site: Site, username: str = "mona") -> Client:
    make_user(Role.MANAGER, site=site, username=username)
    browser = Client()
    browser.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return browser


def _wrong_code(device: TOTPDevice) -> str:
    return "000000" if _code(device) != "000000" else "111111"


@time_machine.travel(START, tick=False)
def test_it_calls_the_first_wrong_setup_code_wrong_not_too_many(site: Site) -> None:
    browser = _signed_in(site)
    browser.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user__username="mona")
    page = browser.post("/accounts/2fa/setup/", {"code": _wrong_code(device)})
    assert page.status_code == 422
    text = page.content.decode()
    assert WRONG in text
    assert "Too many" not in text


def test_it_says_too_many_only_while_the_device_refuses_codes(site: Site) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        browser = _signed_in(site)
        browser.get("/accounts/2fa/setup/")
        device = TOTPDevice.objects.get(user__username="mona")
        browser.post("/accounts/2fa/setup/", {"code": _code(device)})  # confirmed
        later = Client()
        later.post("/accounts/login/", {"username": "mona", "password": PASSWORD})
        traveller.shift(timedelta(seconds=40))
        device.refresh_from_db()
        first = later.post("/accounts/2fa/verify/", {"code": _wrong_code(device)})
        assert WRONG in first.content.decode()
        assert "Too many" not in first.content.decode()
        # At once, the device still refuses (django-otp waits 1 s after one failure):
        # even the right code is refused, and the page says to wait.
        device.refresh_from_db()
        second = later.post("/accounts/2fa/verify/", {"code": _code(device)})
        assert second.status_code == 422
        assert "Too many wrong codes just now: wait 1 second" in second.content.decode()
        traveller.shift(timedelta(seconds=2))
        third = later.post("/accounts/2fa/verify/", {"code": _wrong_code(device)})
        assert WRONG in third.content.decode()
        traveller.shift(timedelta(seconds=5))
        assert later.post("/accounts/2fa/verify/", {"code": _code(device)}).status_code == 302


@time_machine.travel(START, tick=False)
def test_the_setup_page_links_to_the_authenticator_with_the_encoded_uri(site: Site) -> None:
    browser = _signed_in(site, "mona+desk")
    page = browser.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user__username="mona+desk")
    uri = page.context["uri"]
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parts.path == "/hr_police%3Amona%2Bdesk"  # issuer:account, percent-encoded
    assert unquote(parts.path) == "/hr_police:mona+desk"
    query = parse_qs(parts.query)
    secret = page.context["secret"]
    assert query["secret"] == [secret]
    assert query["issuer"] == ["hr_police"]
    assert query["digits"] == ["6"]
    assert query["period"] == ["30"]
    assert TOTP(device.bin_key).token() is not None
    html = page.content.decode()
    assert f'href="{uri.replace("&", "&amp;")}"' in html
    assert "Open in my authenticator app" in html


def test_the_key_is_shown_in_groups_of_four_and_copies_as_one_string(site: Site) -> None:
    assert key_groups("ABCDEFGHIJ") == ["ABCD", "EFGH", "IJ"]
    browser = _signed_in(site)
    page = browser.get("/accounts/2fa/setup/")
    secret = page.context["secret"]
    html = page.content.decode()
    shown = "".join(f'<span class="me-2">{g}</span>' for g in key_groups(secret))
    assert shown in html  # groups with no text between them: one string when copied
    assert len(key_groups(secret)) == len(secret) // 4
