"""Browser journeys on Debian's Chromium against pytest-django's live server.

No browser is downloaded: Playwright drives the system Chromium (`apt-get install
chromium`). Without it every test here is skipped with that advice, visible in pytest's
summary (`-rs`). Every request the page makes outside the live server is refused, so a
test also proves the app loads nothing from the internet.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client, override_settings

E2E_DIR = os.path.dirname(__file__)

CHROMIUM = os.environ.get("HR_POLICE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed as root (CI, containers)
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's event loop stays open in this thread until the
    session ends, and the rest of the suite must not run beside it (see async_unsafe)."""
    items.sort(key=lambda item: str(item.path).startswith(E2E_DIR))
    # A browser and a live server: slow as a whole (axe on every page takes half a minute).
    for item in items:
        if str(item.path).startswith(E2E_DIR):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def async_unsafe_allowed() -> Iterator[None]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls. Set for the browser tests
    # only (they run last), so no other test or subprocess inherits it.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="session", autouse=True)
def chromium_installed(async_unsafe_allowed: None) -> None:
    if not os.path.exists(CHROMIUM):
        advice = (
            "Browser tests need Debian's Chromium: `apt-get install chromium` "
            "(or set HR_POLICE_CHROMIUM to a Chromium binary)."
        )
        if os.environ.get("CI") == "true":  # CI installs it: a missing browser is a failure
            pytest.fail(advice)
        pytest.skip(advice)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium_installed: None
) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, **DESKTOP, "locale": "en-CA", "timezone_id": "UTC"}


@pytest.fixture(scope="session")
def plain_http() -> Iterator[None]:
    # Django's SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the live server
    # builds its handler, so the per-test `settings` fixture is too late for it.
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def live_server(plain_http: None, live_server: Any) -> Any:
    return live_server


@pytest.fixture(autouse=True)
def http_settings(settings: Any) -> None:
    # The live server speaks plain HTTP; production cookies are Secure-only.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.HR_POLICE_LOGIN_THROTTLING = False
    settings.AXES_ENABLED = False


def confine_to(context: Any, live_server: Any) -> list[str]:
    """Refuse every request not for the live server; returns the list of those refused."""
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith((live_server.url, "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    context.set_default_timeout(10_000)
    return outside


@pytest.fixture
def context(context: Any, live_server: Any) -> Iterator[Any]:
    """pytest-playwright's desktop context, confined to the live server."""
    outside = confine_to(context, live_server)
    yield context
    assert not outside, f"the page tried to load from outside the app: {outside}"


@pytest.fixture
def phone(browser: Any, browser_context_args: dict[str, Any], live_server: Any) -> Iterator[Any]:
    """A page in a phone-sized, touch context (375 × 812), confined to the live server."""
    context = browser.new_context(**{**browser_context_args, **PHONE})
    outside = confine_to(context, live_server)
    yield context.new_page()
    context.close()
    assert not outside, f"the page tried to load from outside the app: {outside}"


def sign_in(context: Any, live_server: Any, user: User) -> None:
    """Give the browser a signed-in session without the sign-in form (faster; the form
    itself is exercised by the liaison journey)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def fits_width(page: Any) -> bool:
    """Whether the page fits its viewport's width (no sideways scrolling), measured once
    its stylesheets have loaded: before then nothing scrolls inside its own box."""
    page.wait_for_load_state("load")
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
