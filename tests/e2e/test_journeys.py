"""The journeys of issue 9, one per role, driven through the browser as a person would."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from agreements.models import Interaction, Protocol
from liaisons.models import Acknowledgement
from reports.exports import RESEARCH_HEADER
from tests.conftest import World
from tests.e2e.conftest import fits_width, sign_in
from tests.factories import (
    TORONTO,
    ClauseFactory,
    InteractionFactory,
    ScheduleFactory,
    SignedProtocolFactory,
)


def signed_protocol(world: World) -> Protocol:
    protocol = SignedProtocolFactory(
        site=world.site, version=1, review_by=world.site.today() + timedelta(days=365)
    )
    ClauseFactory(protocol=protocol, topic="proximity_buffer", text="No cruisers in the buffer.")
    return protocol


def open_sections(phone: Any) -> None:
    """Unfold the site's sections on a phone and wait until the menu has finished opening:
    a tap during Bootstrap's collapse animation lands on whatever the growing menu does
    not yet cover (a loaded CI machine once opened Schedules instead of Interactions)."""
    phone.get_by_role("navigation", name="Site records").get_by_role(
        "button", name="Site sections"
    ).tap()
    expect(phone.locator("#site-sections.collapse.show")).to_be_visible()


def test_manager_on_a_phone_logs_a_cruiser_in_the_buffer(
    phone: Any, live_server: Any, world: World
) -> None:
    signed_protocol(world)
    sign_in(phone.context, live_server, world.users["manager"])
    phone.goto(f"{live_server.url}/sites/riverside/score/")
    compliance = phone.get_by_role("row", name=re.compile("^Compliance"))
    expect(compliance).to_contain_text("0 breaches in the last 90 days")
    expect(compliance).to_contain_text("25 / 25")
    total_before = phone.locator("section[aria-label=Total] .display-5").inner_text()

    sections = phone.get_by_role("navigation", name="Site records")
    open_sections(phone)  # folded on a phone
    sections.get_by_role("link", name="Interactions").tap()
    phone.get_by_role("link", name="Add police interaction").tap()
    yesterday = world.site.today() - timedelta(days=1)
    phone.get_by_label("When (local time; minutes are dropped)").fill(f"{yesterday}T14:00")
    phone.get_by_label("Category").select_option(label="Police vehicle in the buffer")
    phone.get_by_label("Distance band").select_option(label="Inside the agreed buffer")
    phone.get_by_label("Officers present").fill("2")
    phone.get_by_label("Vehicle present").check()
    phone.get_by_text("More details").tap()
    phone.get_by_label("Narrative").fill("Marked cruiser idled across from the door for an hour.")
    phone.get_by_role("button", name="Save").tap()

    expect(phone.get_by_role("status")).to_contain_text("was saved")
    expect(phone.get_by_role("table").get_by_text("breach", exact=True)).to_be_visible()
    assert Interaction.objects.get().is_breach

    open_sections(phone)
    sections.get_by_role("link", name="Score").tap()
    expect(compliance).to_contain_text("1 breach in the last 90 days")
    expect(compliance).to_contain_text("20 / 25")
    total_after = phone.locator("section[aria-label=Total] .display-5").inner_text()
    assert float(total_after) < float(total_before)
    # The page fits the phone: nothing scrolls sideways.
    assert fits_width(phone)


def test_manager_drafts_signs_and_supersedes_a_protocol(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/protocols/")
    page.get_by_role("link", name=re.compile("^Add|New")).first.click()

    page.get_by_label("Status").select_option(label="Draft")
    page.get_by_label("Created on").fill(str(world.site.today() - timedelta(days=60)))
    page.get_by_label("Signatories").fill("Site director; Division inspector")
    today = world.site.today()
    page.get_by_label("Review by").fill(str(today + timedelta(days=365)))
    clauses = page.get_by_role("group", name="Clauses")
    clauses.get_by_label("Topic").first.select_option(
        label="No stationing or parking inside the buffer"
    )
    clauses.get_by_label("Text").first.fill("Police vehicles do not park inside the buffer.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Protocol version 1 was saved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")

    # Sign it, on its own confirmation page (six required topics are missing).
    page.get_by_role("link", name="Sign this version…").click()
    page.get_by_label("Signed on").fill(str(today - timedelta(days=30)))
    page.get_by_label("Takes effect on").fill(str(today - timedelta(days=30)))
    page.get_by_label("I sign this version without the missing topics listed above.").check()
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("In force")
    expect(page.get_by_role("link", name="Edit draft")).to_have_count(0)

    # Supersede it: a new version from this one, signed from today.
    page.get_by_role("button", name="Start a new version from this one").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 2")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Sign this version…").click()
    expect(page.get_by_role("region", name="The version it ends")).to_contain_text("Version 1")
    page.get_by_label("Signed on").fill(str(today))
    page.get_by_label("Takes effect on").fill(str(today))
    page.get_by_label("I sign this version without the missing topics listed above.").check()
    page.get_by_role("button", name="Sign version 2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Protocol version 2")
    expect(page.get_by_role("heading", level=1)).to_contain_text("In force")

    versions = {p.version: p for p in Protocol.objects.filter(site=world.site)}
    assert versions[1].status == "ended"
    assert versions[1].ended_on == today
    assert versions[2].status == "signed"
    page.goto(f"{live_server.url}/sites/riverside/protocols/{versions[1].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ended")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("In force")


def test_liaison_signs_in_with_two_factor_acknowledges_and_sees_no_interactions(
    page: Any, live_server: Any, world: World, settings: Any
) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    protocol = signed_protocol(world)
    ScheduleFactory(site=world.site)
    hidden = InteractionFactory(
        site=world.site, narrative="Cruiser parked across from the door with its lights off."
    )
    liaison = world.users["liaison"]
    liaison.set_password("correct horse battery staple")
    liaison.save()
    device = TOTPDevice.objects.create(user=liaison, name="phone", confirmed=True)

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.get_by_label("Username").fill(liaison.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Second step of sign-in")).to_be_visible()
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Code").fill(f"{token:0{device.digits}d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Second step of sign-in")

    page.goto(f"{live_server.url}/sites/riverside/protocol/")
    page.get_by_role("button", name=re.compile("acknowledge it")).click()
    expect(page.get_by_role("status").first).to_contain_text("acknowledged")
    assert Acknowledgement.objects.filter(protocol=protocol, officer__user=liaison).exists()

    # Walk every link the liaison is offered, from the home page and the site's menu.
    seen: set[str] = set()
    queue = [f"{live_server.url}/", f"{live_server.url}/sites/riverside/protocol/"]
    forbidden = [
        hidden.narrative,
        "Police vehicle in the buffer",
        "Interaction log",
        "Add police interaction",
        "Police interactions",
        "/interactions/",
    ]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        html = page.content()
        for text in forbidden:
            assert text not in html, f"{url} shows {text!r} to a liaison"
        for href in page.locator("a[href^='/']").evaluate_all("els => els.map(e => e.href)"):
            # Files (a report, a calendar) download rather than open, query string or not.
            if href.startswith(live_server.url) and not urlsplit(href).path.endswith(
                (".pdf", ".ics")
            ):
                queue.append(href.split("#")[0])
    visited = {urlsplit(url).path for url in seen}
    assert {
        "/sites/riverside/profile/",
        "/sites/riverside/protocol/",
        "/sites/riverside/upcoming/",
        "/sites/riverside/shared/",
        "/sites/riverside/calendar/",
    } <= visited, visited

    # The interaction pages themselves are refused.
    for path in (
        "/sites/riverside/interactions/",
        "/sites/riverside/interactions/new/",
        f"/sites/riverside/interactions/{hidden.pk}/edit/",
        "/sites/riverside/exports/interactions.csv",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status in (403, 404), path
        assert hidden.narrative not in page.content()


def test_researcher_filters_the_dashboard_and_downloads_the_pdf_and_csv(
    page: Any, live_server: Any, world: World
) -> None:
    signed_protocol(world)
    world.other_site.region = "BC"
    world.other_site.save()
    # Twelve in the last complete month: above the suppression threshold (10), so shown.
    last_month = world.site.today().replace(day=1) - timedelta(days=1)
    InteractionFactory.create_batch(
        12,
        site=world.site,
        occurred_at=datetime.combine(last_month, time(14), tzinfo=TORONTO),
        narrative="Never in a research file.",
    )
    sign_in(page.context, live_server, world.users["researcher"])

    page.goto(f"{live_server.url}/dashboard/")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Riverside Health Hub")).to_be_visible()
    expect(table.get_by_role("link", name="Eastside Site")).to_be_visible()
    page.get_by_label("Region").select_option("BC")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile("region=BC"))
    expect(table.get_by_role("link", name="Eastside Site")).to_be_visible()
    expect(table.get_by_role("link", name="Riverside Health Hub")).to_have_count(0)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the research CSV").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == RESEARCH_HEADER
    june = next(r for r in rows if r["site"] == "riverside" and r["month"] == f"{last_month:%Y-%m}")
    assert june["vehicle_in_buffer"] == "12"
    assert "Never in a research file" not in text
    response = page.request.get(f"{live_server.url}/api/v1/exports/interactions.csv")
    assert response.headers["content-type"].startswith("text/csv")

    page.get_by_role("link", name="Clear").click()
    table.get_by_role("link", name="Riverside Health Hub").click()
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Research edition").click()
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    assert Path(pdf_download.value.path()).read_bytes()[:5] == b"%PDF-"


def test_admin_changes_a_weight_and_the_rubric_becomes_custom(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page.context, live_server, world.users["admin"])
    page.goto(f"{live_server.url}/sites/riverside/score/")
    expect(page.get_by_text(re.compile("rubric v1 ·"))).to_be_visible()

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("link", name="Rubric weights").click()
    weight = page.get_by_label("F2 Support from police leadership")
    expect(weight).to_have_attribute("type", "number")
    weight.fill("2")
    page.get_by_role("button", name="Save weights").click()
    expect(page.get_by_role("status").first).to_be_visible()

    page.goto(f"{live_server.url}/sites/riverside/score/")
    expect(page.get_by_text(re.compile("rubric v1-custom"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"weights 1/2/1/1/1\b"))).to_be_visible()
