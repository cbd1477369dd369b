"""The report for the meeting with the chief (issue 17, item 5), as a manager gets it: choose
a day on the scorecard page, download the manager edition, and read in the PDF the clause
each breach broke."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import World
from tests.e2e.conftest import fits_width, sign_in
from tests.factories import ClauseFactory, InteractionFactory, SignedProtocolFactory

BUFFER = "Marked and unmarked police vehicles do not park or idle inside the agreed buffer."
HOURS = "Officers do not enter the site during its operating hours without a warrant."
PLAINCLOTHES = "No plain-clothes officer attends the site or its outreach."


def breaches_around(world: World, chosen: date) -> None:
    protocol = SignedProtocolFactory(
        site=world.site, version=1, review_by=world.site.today() + timedelta(days=365)
    )
    for position, (topic, text) in enumerate(
        (
            ("proximity_buffer", BUFFER),
            ("entry_during_hours", HOURS),
            ("plainclothes", PLAINCLOTHES),
        )
    ):
        ClauseFactory(protocol=protocol, topic=topic, text=text, position=position)

    def at(day: date) -> datetime:
        return datetime.combine(day, time(14), tzinfo=world.site.tz)

    InteractionFactory(
        site=world.site,
        occurred_at=at(chosen - timedelta(days=5)),
        category="vehicle_in_buffer",
        clause_topic="proximity_buffer",
    )
    InteractionFactory(
        site=world.site,
        occurred_at=at(chosen - timedelta(days=9)),
        category="uninvited_entry",
        distance_band="inside",
        clause_topic="entry_during_hours",
    )
    InteractionFactory(
        site=world.site, occurred_at=at(chosen - timedelta(days=12)), category="surveillance"
    )  # no clause recorded
    # After the chosen day: not in that day's report.
    InteractionFactory(
        site=world.site,
        occurred_at=at(chosen + timedelta(days=2)),
        category="plainclothes_presence",
        clause_topic="plainclothes",
    )


def pdf_text(path: Path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_manager_downloads_the_chief_report_for_a_chosen_day(
    page: Any, live_server: Any, world: World
) -> None:
    chosen = world.site.today() - timedelta(days=20)
    breaches_around(world, chosen)
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/score/")
    page.get_by_label("As of").fill(f"{chosen}")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server.url}/sites/riverside/score/?as_of={chosen}")
    expect(page.get_by_text(f"PDF report as of {chosen}:")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Manager edition").click()
    assert download.value.suggested_filename == f"riverside-manager-{chosen}.pdf"
    pages = pdf_text(Path(download.value.path()))

    # Page 1: the summary for the meeting, for the chosen day.
    assert f"as of {chosen}" in pages[0]
    assert "Summary for the meeting with police" in pages[0]
    assert "What is asked of police" in pages[0]
    assert "Upcoming protocol changes" in pages[0]
    assert "No stationing or parking inside the buffer 1" in pages[0]
    assert "No entry during operating hours 1" in pages[0]
    assert "No clause recorded 1" in pages[0]

    # The breach list: each breach with the clause it broke, and none after the day.
    text = " ".join(pages)
    listed = text[text.index("Breaches of the last 90 days") :]
    assert f"Clause broken: No stationing or parking inside the buffer — {BUFFER}" in listed
    assert f"Clause broken: No entry during operating hours — {HOURS}" in listed
    assert "Clause broken: no clause recorded" in listed
    assert PLAINCLOTHES not in listed
    assert listed.count("Clause broken:") == 3


def test_a_bad_day_in_the_report_link_says_what_is_wrong(
    phone: Any, live_server: Any, world: World
) -> None:
    sign_in(phone.context, live_server, world.users["manager"])
    response = phone.goto(f"{live_server.url}/sites/riverside/report/manager.pdf?as_of=2026-02-30")
    assert response is not None
    assert response.status == 400
    expect(phone.get_by_role("alert")).to_contain_text("As of: Enter a valid date.")
    expect(phone.get_by_role("heading", name="This report could not be made")).to_be_visible()
    assert fits_width(phone)
