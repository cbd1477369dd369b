"""The police right of reply (issue 18): the liaison replies, on a phone, to the newest
complete month's scorecard; the manager reads the reply beside the score and in both
editions of the report (manager, liaison), marked as the police service's words."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from agreements.periods import Month
from agreements.research_days import month_end
from score_replies.models import ScoreReply
from tests.conftest import World
from tests.e2e.conftest import fits_width, sign_in

REPLY = "Reply-e2e-41: our officers kept to the agreed buffer; we ask for a July check-in."
MARK = "The police service's reply (their words, not the site's)"


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_liaison_replies_and_the_manager_reads_it_beside_the_score_and_in_both_pdfs(
    phone: Any, page: Any, live_server: Any, world: World
) -> None:
    site = world.site
    newest = Month.of(site.today().replace(day=1)).shift(-1)
    last_day = month_end(newest.first_day())

    # The liaison, on a phone: from their menu to the reply page.
    sign_in(phone.context, live_server, world.users["liaison"])
    phone.goto(f"{live_server.url}/sites/riverside/upcoming/")
    phone.get_by_role("link", name="Reply to the scorecard").click()
    expect(
        phone.get_by_role("heading", name="The police service's reply to the scorecard")
    ).to_be_visible()
    expect(phone.get_by_label("Month", exact=True)).to_have_value(str(newest))
    expect(phone.get_by_text("Dedicated liaison —")).to_be_visible()
    expect(phone.get_by_text("Relationship score")).to_have_count(0)

    # The liaison edition as of the month's last day, from the reply page.
    with phone.expect_download() as download:
        phone.get_by_role("link", name=f"Liaison edition as of {last_day} (PDF)").click()
    assert download.value.suggested_filename == f"riverside-liaison-{last_day}.pdf"

    phone.get_by_label("Your service's reply").fill(REPLY)
    phone.get_by_role("button", name="Save the reply").click()
    expect(phone.get_by_text("Your service's reply is saved")).to_be_visible()
    expect(phone.get_by_test_id("score-reply")).to_contain_text(REPLY)
    expect(phone.get_by_test_id("score-reply")).to_contain_text(MARK)
    assert fits_width(phone)
    assert ScoreReply.objects.get(site=site).text == REPLY

    # The manager: the reply beside today's score (the newest complete month's reply).
    sign_in(page.context, live_server, world.users["manager"])
    page.goto(f"{live_server.url}/sites/riverside/score/")
    printed = page.get_by_test_id("score-reply")
    expect(printed).to_contain_text(MARK)
    expect(printed).to_contain_text("Lakeport Police Service")
    expect(printed).to_contain_text(REPLY)

    for edition, label in (("manager", "Manager edition"), ("liaison", "Liaison edition")):
        with page.expect_download() as download:
            page.get_by_role("link", name=label, exact=True).click()
        text = pdf_text(Path(download.value.path()))
        assert MARK in text, edition
        assert "Lakeport Police Service, about the" in text, edition
        assert REPLY in text, edition


def test_a_researcher_reads_the_scorecard_without_the_reply(
    page: Any, live_server: Any, world: World
) -> None:
    from score_replies.services import score_reply_write

    newest = Month.of(world.site.today().replace(day=1)).shift(-1)
    score_reply_write(site=world.site, month=newest, text=REPLY, actor=world.users["liaison"])
    sign_in(page.context, live_server, world.users["researcher"])
    page.goto(f"{live_server.url}/sites/riverside/score/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_test_id("score-reply")).to_have_count(0)
    assert "Reply-e2e-41" not in page.content()
