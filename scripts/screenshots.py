"""Regenerate the screenshots in docs/screenshots/ (`make screenshots`).

Starts a throwaway server on a free loopback port with the fictional demo data
(`seed_demo`) in a temporary SQLite database, signs in as each demo user with Debian's
Chromium (Playwright drives it; no browser is downloaded), and saves PNGs: desktop pages
at 1280 px, a few at phone width (375 px), and one page in French. Two-factor sign-in is
off for this server only (HR_POLICE_REQUIRE_2FA=false): it holds nothing but demo data.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from local_server import ROOT, ServerProcess, demo_passwords, free_port, manage
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("HR_POLICE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 812}
SITE = "harbourview"

# (file name, demo user, path, viewport, language cookie)
SHOTS: list[tuple[str, str | None, str, dict[str, int], str | None]] = [
    ("login.png", None, "/accounts/login/", DESKTOP, None),
    ("home-manager.png", "demo-manager", "/", DESKTOP, None),
    ("site-overview.png", "demo-manager", f"/sites/{SITE}/", DESKTOP, None),
    ("scorecard.png", "demo-manager", f"/sites/{SITE}/score/", DESKTOP, None),
    ("interactions.png", "demo-manager", f"/sites/{SITE}/interactions/", DESKTOP, None),
    ("interaction-form.png", "demo-manager", f"/sites/{SITE}/interactions/new/", DESKTOP, None),
    ("dashboard-researcher.png", "demo-researcher", "/dashboard/", DESKTOP, None),
    ("liaison-protocol.png", "demo-liaison", f"/sites/{SITE}/protocol/", DESKTOP, None),
    ("weights-admin.png", "demo-admin", "/weights/", DESKTOP, None),
    ("dashboard-fr.png", "demo-manager", "/dashboard/", DESKTOP, "fr-ca"),
    ("phone-scorecard.png", "demo-manager", f"/sites/{SITE}/score/", PHONE, None),
    ("phone-interaction-form.png", "demo-manager", f"/sites/{SITE}/interactions/new/", PHONE, None),
    ("phone-liaison-protocol.png", "demo-liaison", f"/sites/{SITE}/protocol/", PHONE, None),
    ("phone-home-manager.png", "demo-manager", "/", PHONE, None),
    ("phone-site-overview.png", "demo-manager", f"/sites/{SITE}/", PHONE, None),
    ("schedule-picker.png", "demo-manager", f"/sites/{SITE}/schedules/new/", DESKTOP, None),
    ("people-site.png", "demo-manager", f"/sites/{SITE}/people/", DESKTOP, None),
]


@contextmanager
def demo_server() -> Iterator[tuple[str, dict[str, str]]]:
    """A runserver on a free port over a fresh demo database; yields (URL, passwords)."""
    with tempfile.TemporaryDirectory(prefix="hr_police_screens_") as tmp:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",  # runserver serves the static files
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "HR_POLICE_REQUIRE_2FA": "false",
            "HR_POLICE_PRIVATE_FILES": f"{tmp}/private",
            "HR_POLICE_TASK_BACKEND": "immediate",
        }
        manage(env, "migrate", "--noinput", "-v0")
        passwords = demo_passwords(manage(env, "seed_demo", "--reset-passwords"))
        port = free_port()
        server = ServerProcess(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env,
            port,
        )
        try:
            server.wait_ready()
            yield server.url, passwords
        finally:
            server.stop()


def signed_in_page(browser: Browser, url: str, user: str | None, password: str | None,
                   viewport: dict[str, int], language: str | None) -> Page:  # fmt: skip
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport,
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=1,
        locale="en-CA",
    )
    # Nothing but this server, ever.
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(url) else route.abort(),
    )
    page = context.new_page()
    if user:  # in English, the labels this script knows; the language is chosen after
        page.goto(f"{url}/accounts/login/")
        page.get_by_label("Username").fill(user)
        page.get_by_label("Password").fill(password or "")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    if language:
        context.add_cookies([{"name": "django_language", "value": language, "url": url}])
    return page


def save_small(png: bytes, target: Path) -> None:
    """Quantise to 256 colours: screenshots of flat pages lose nothing visible."""
    from io import BytesIO

    image = Image.open(BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def main() -> int:
    if not os.path.exists(CHROMIUM):
        print("Screenshots need Debian's Chromium: apt-get install chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server() as (url, passwords), sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync",
                  "--lang=en-CA"],
        )  # fmt: skip
        for name, user, path, viewport, language in SHOTS:
            page = signed_in_page(browser, url, user, passwords.get(user or ""), viewport, language)
            response: Any = page.goto(url + path)
            if response is None or response.status != 200:
                raise SystemExit(f"{path} as {user}: HTTP {response and response.status}")
            # A viewport-sized picture, or a little more for a long page on a phone.
            height = viewport["height"] if viewport is DESKTOP else 1400
            clip = {"x": 0, "y": 0, "width": viewport["width"], "height": height}
            png = page.screenshot(full_page=True, clip=clip)
            save_small(png, OUT / name)
            print(f"{name:<28} {path} as {user or 'anonymous'}")
            page.context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
