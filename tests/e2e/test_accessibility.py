"""axe-core on every page, as each role that sees it; and every page fits a phone.

axe-core comes inside axe-playwright-python (its axe.min.js is injected into the page);
nothing is fetched, which the confined browser context would refuse anyway.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.db import models

from tests.conftest import World
from tests.e2e.conftest import sign_in
from tests.e2e.pages import pages_for, world_records
from tests.factories import ClauseFactory, SignedProtocolFactory

AXE = Axe()
BLOCKING = {"serious", "critical"}
PHONE_WIDTH = 375


def axe_problems(page: Any) -> list[str]:
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            problems.append(f"{violation['id']} ({violation['impact']}): {targets[:5]}")
    return problems


def overflow(page: Any) -> str | None:
    """The widest element past the right edge at phone width, if the page scrolls sideways."""
    # Measured once the stylesheets have loaded: a page whose text is already there may
    # still wait for Bootstrap, and without it nothing scrolls inside its own box.
    page.wait_for_load_state("load")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 812})
    try:
        return page.evaluate(
            """() => {
              const root = document.documentElement;
              if (root.scrollWidth <= window.innerWidth) return null;
              const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(e => !e.closest('.table-responsive'));
              const e = wide.length ? wide[wide.length - 1] : root;
              return `${root.scrollWidth}px wide; e.g. <${e.tagName.toLowerCase()}`
                + ` class="${e.className}">`;
            }"""
        )
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def expected_input_types() -> dict[str, str]:
    """Field name → the input type a phone needs for it, from the models' field types."""
    kinds: list[tuple[type[models.Field], str]] = [
        (models.DateTimeField, "datetime-local"),
        (models.DateField, "date"),
        (models.TimeField, "time"),
        (models.EmailField, "email"),
        (models.IntegerField, "number"),
        (models.DecimalField, "number"),
    ]
    expected: dict[str, str] = {"phone": "tel", "weight": "number"}
    for config in (apps.get_app_config("agreements"), apps.get_app_config("liaisons")):
        for model in config.get_models():
            for field in model._meta.get_fields():
                if not getattr(field, "editable", False) or field.primary_key:
                    continue
                for kind, input_type in kinds:
                    if isinstance(field, kind) and not field.choices:
                        expected.setdefault(field.name, input_type)
                        break
    return expected


def wrong_input_types(page: Any, expected: dict[str, str]) -> list[str]:
    inputs = page.locator("form input[name]").evaluate_all(
        "els => els.map(e => [e.name.replace(/^.*-\\d+-/, ''), e.type])"
    )
    return [
        f"input {name} is type={got}, not {expected[name]}"
        for name, got in inputs
        if name in expected and got not in (expected[name], "hidden")
    ]


def check_pages(page: Any, live_server: Any, pages: list[tuple[str, str]]) -> list[str]:
    failures = []
    types = expected_input_types()
    for name, path in pages:
        url = live_server.url + path
        # Files (CSV, PDF, calendars) are not pages: ask for the type before opening.
        head = page.request.get(url, max_redirects=0)
        if not head.headers.get("content-type", "").startswith("text/html"):
            continue
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, name
        failures += [f"{name} {path}: {problem}" for problem in axe_problems(page)]
        failures += [f"{name} {path}: {problem}" for problem in wrong_input_types(page, types)]
        wide = overflow(page)
        if wide:
            failures.append(f"{name} {path}: scrolls sideways at {PHONE_WIDTH}px: {wide}")
    return failures


@pytest.mark.parametrize("role", ["manager", "liaison", "researcher", "admin", "community"])
def test_every_page_passes_axe_and_fits_a_phone(
    page: Any, live_server: Any, world: World, role: str
) -> None:
    objects = world_records(world)
    sign_in(page.context, live_server, world.users[role])
    pages = pages_for(role, objects)
    assert len(pages) > 3
    failures = check_pages(page, live_server, pages)
    assert not failures, "\n".join(failures)


def test_signed_out_pages_pass_axe_and_fit_a_phone(
    page: Any, live_server: Any, world: World
) -> None:
    objects = world_records(world)
    pages = [
        ("login", "/accounts/login/"),
        ("protocol_by_link", f"/protocol/{objects['link_token']}/"),
        ("peer_reports:follow_up", "/follow-up/"),
    ]
    failures = check_pages(page, live_server, pages)
    assert not failures, "\n".join(failures)


def test_main_pages_pass_axe_on_a_phone(phone: Any, live_server: Any, world: World) -> None:
    """On a touch screen the menu collapses and targets must stay large enough to tap."""
    world_records(world)
    failures = []
    for role, paths in {
        "manager": [
            "/sites/riverside/",
            "/sites/riverside/score/",
            "/sites/riverside/interactions/",
            "/sites/riverside/interactions/new/",
        ],
        "liaison": ["/sites/riverside/protocol/", "/sites/riverside/upcoming/"],
        "researcher": ["/dashboard/"],
    }.items():
        phone.context.clear_cookies()
        sign_in(phone.context, live_server, world.users[role])
        for path in paths:
            phone.goto(live_server.url + path)
            failures += [f"{role} {path}: {problem}" for problem in axe_problems(phone)]
    assert not failures, "\n".join(failures)


def scroll_boxes_out_of_reach(page: Any) -> list[str]:
    """axe's scrollable-region-focusable alone: a box that scrolls sideways must be
    reachable by keyboard, or its hidden columns are out of reach without a mouse."""
    results = AXE.run(
        page,
        options={"runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]}},
    )
    return [
        " ".join(map(str, node["target"]))
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def test_tables_that_scroll_on_a_phone_are_reachable_by_keyboard(
    page: Any, live_server: Any, world: World
) -> None:
    """The protocol diff and the audit log are wider than a phone: their scroll boxes
    take keyboard focus (Tab, then the arrow keys) and say what they hold."""
    objects = world_records(world)
    site = world.site
    newer = SignedProtocolFactory(site=site, version=objects["signed"].version + 1)
    # A clause that cites its source by address: a word no phone can wrap.
    url = "https://police.example.org/policies/supervised-consumption-site-entry-protocol-2026"
    ClauseFactory(protocol=newer, topic="proximity_buffer", text=f"Park beyond the buffer ({url}).")
    sign_in(page.context, live_server, world.users["manager"])
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 812})
    diff = f"/sites/{site.slug}/protocol/diff/?a={objects['signed'].version}&b={newer.version}"
    failures = []
    for path in (diff, f"/sites/{site.slug}/audit/"):
        page.goto(live_server.url + path)
        box = page.locator(".table-responsive").first
        assert box.evaluate("e => e.scrollWidth > e.clientWidth"), f"{path} does not scroll"
        failures += [f"{path}: {target}" for target in scroll_boxes_out_of_reach(page)]
        name = box.evaluate(
            "e => (e.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)"
            ".map(id => document.getElementById(id).textContent.trim()).join(' ')"
        )
        if box.get_attribute("role") != "region" or not name:
            failures.append(f"{path}: the scroll box is not a named region")
        box.focus()
        page.keyboard.press("ArrowRight")
        if not box.evaluate("e => e.scrollLeft > 0 || new Promise(r => setTimeout("
                            "() => r(e.scrollLeft > 0), 500))"):  # fmt: skip
            failures.append(f"{path}: the arrow key does not scroll it")
    assert not failures, "\n".join(failures)
