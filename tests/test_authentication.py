"""Sign-in: two factors, throttling, password rules, session lifetimes (ASVS level 2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements.choices import Role
from agreements.models import Site
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
UTC = ZoneInfo("UTC")


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    return str(TOTP(device.bin_key, step=device.step, digits=device.digits).token()).zfill(6)


# Wrong codes slow the next attempt (django-otp's throttling): tests step past it.
WINDOW_START = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def two_factor(settings: Any) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True


@pytest.mark.usefixtures("two_factor")
@time_machine.travel(WINDOW_START, tick=False)
def test_a_manager_sets_up_two_factor_then_works(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    browser = Client()
    sign_in(browser, "mona")
    first = browser.get("/")
    assert first.status_code == 302
    assert first["Location"].startswith("/accounts/2fa/setup/")
    assert "otpauth://totp/" in browser.get("/accounts/2fa/setup/").content.decode()
    device = TOTPDevice.objects.get(user__username="mona")
    wrong = browser.post("/accounts/2fa/setup/", {"code": "000000"})
    assert wrong.status_code == 422
    with time_machine.travel(WINDOW_START + timedelta(seconds=5), tick=False):
        done = browser.post("/accounts/2fa/setup/", {"code": current_code(device)})
        assert len(done.context["codes"]) == 10
        assert browser.get("/").status_code == 200


@pytest.mark.usefixtures("two_factor")
@time_machine.travel(WINDOW_START, tick=False)
def test_a_new_sign_in_asks_for_the_code_and_a_recovery_code_works_once(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    setup = Client()
    sign_in(setup, "mona")
    setup.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user__username="mona")
    codes = setup.post("/accounts/2fa/setup/", {"code": current_code(device)}).context["codes"]

    later = Client()
    sign_in(later, "mona")
    assert later.get("/")["Location"].startswith("/accounts/2fa/verify/")
    assert later.post("/accounts/2fa/verify/", {"code": "123456"}).status_code == 422
    assert later.get("/").status_code == 302
    with time_machine.travel(WINDOW_START + timedelta(seconds=5), tick=False):
        assert later.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 302
        assert later.get("/").status_code == 200
        again = Client()
        sign_in(again, "mona")
        assert again.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 422


@pytest.mark.usefixtures("two_factor")
@pytest.mark.parametrize(("role", "required"), [(Role.ADMIN, True), (Role.LIAISON, True),
                                                (Role.RESEARCHER, False)])  # fmt: skip
def test_two_factor_is_required_for_these_roles(role: str, required: bool) -> None:
    make_user(role, username="someone")
    browser = Client()
    sign_in(browser, "someone")
    assert (browser.get("/").status_code == 302) is required


def test_two_factor_is_off_where_the_setting_is_off(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    browser = Client()
    sign_in(browser, "mona")
    assert browser.get("/").status_code == 200


def test_it_locks_out_after_five_failures_with_a_clear_message(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    make_user(Role.MANAGER, site=site, username="nadia")
    browser = Client()
    for _ in range(4):
        assert sign_in(browser, "mona", "wrong password").status_code == 200
    assert sign_in(browser, "mona", "wrong password").status_code == 429  # the fifth
    locked = sign_in(browser, "mona")  # even the right password
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in browser.session
    assert sign_in(Client(), "nadia").status_code == 302  # others are not locked out


def test_the_lockout_ends_after_the_cool_off(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    browser = Client()
    start = datetime(2026, 6, 1, 12, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            sign_in(browser, "mona", "wrong password")
        assert sign_in(browser, "mona").status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert sign_in(browser, "mona").status_code == 302


@pytest.mark.parametrize(
    "password", ["short pass1", "password1234", "123456789012345", "mona-mona-mona"]
)
def test_weak_passwords_are_refused(password: str) -> None:
    from django.contrib.auth.models import User

    with pytest.raises(ValidationError):
        validate_password(password, User(username="mona-mona-mona"))


def test_a_long_passphrase_is_accepted_with_no_composition_rules() -> None:
    validate_password("river stones under a slow grey sky")


def test_a_session_ends_after_30_minutes_without_a_request(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    browser = Client()
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=UTC), tick=False) as traveller:
        sign_in(browser, "mona")
        traveller.shift(timedelta(minutes=29))
        assert browser.get("/").status_code == 200  # activity renews the session
        traveller.shift(timedelta(minutes=29))
        assert browser.get("/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert browser.get("/")["Location"].startswith("/accounts/login/")


def test_a_session_ends_12_hours_after_sign_in_however_active(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    browser = Client()
    with time_machine.travel(datetime(2026, 6, 1, 8, tzinfo=UTC), tick=False) as traveller:
        sign_in(browser, "mona")
        for _ in range(35):  # a request every 20 minutes for 11 h 40 min
            traveller.shift(timedelta(minutes=20))
            assert browser.get("/").status_code == 200
        traveller.shift(timedelta(minutes=21))
        response = browser.get("/")
        assert response["Location"].startswith("/accounts/login/")


def test_changing_the_password_ends_other_sessions(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    phone, laptop = Client(), Client()
    sign_in(phone, "mona")
    sign_in(laptop, "mona")
    changed = laptop.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a brand new passphrase here",
         "new_password2": "a brand new passphrase here"},
    )  # fmt: skip
    assert changed.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/")["Location"].startswith("/accounts/login/")


@pytest.mark.usefixtures("two_factor")
def test_api_calls_without_the_second_factor_get_401_not_a_redirect(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    browser = Client()
    sign_in(browser, "mona")
    response = browser.get(f"/api/v1/sites/{site.slug}/calendar.ics")
    assert response.status_code == 401
    assert "Two-factor" in response.json()["detail"]


def test_a_failed_sign_in_says_why_once(site: Site) -> None:
    make_user(Role.MANAGER, site=site, username="mona")
    page = sign_in(Client(), "mona", "wrong password").content.decode()
    assert page.count("Please enter a correct username and password") == 1
    assert "You are not signed in:" in page


def test_behind_the_proxy_a_lockout_holds_for_the_client_that_failed_only(
    site: Site, settings: Any
) -> None:
    """Every request reaches the app from the proxy's address; the client's is in the
    header the proxy writes. Five failures from one client must not lock the account for
    the clients behind the same proxy."""
    settings.HR_POLICE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    make_user(Role.MANAGER, site=site, username="mona")
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.9")
    for _ in range(5):
        sign_in(attacker, "mona", "wrong password")
    assert sign_in(attacker, "mona").status_code == 429  # that client stays locked out
    mona = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="198.51.100.7")
    assert sign_in(mona, "mona").status_code == 302  # from her own address she signs in


def test_a_header_that_is_no_address_is_logged_without_one(site: Site, settings: Any) -> None:
    """A misconfigured proxy (or none, and a client writing the header) is no 500: the
    failed sign-in is still counted and logged, without an address."""
    from agreements.audit import Action, AuditEntry

    settings.HR_POLICE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    make_user(Role.MANAGER, site=site, username="mona")
    browser = Client(HTTP_X_REAL_IP="not-an-address'); --")
    assert sign_in(browser, "mona", "wrong password").status_code == 200
    failed = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert (failed.actor, failed.ip) == ("mona", None)
    good = Client(HTTP_X_REAL_IP="2001:db8::1")
    sign_in(good, "mona", "wrong password")
    assert AuditEntry.objects.filter(ip="2001:db8::1").count() == 1
