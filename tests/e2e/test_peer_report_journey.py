"""A peer report from the street to the follow-up (issue 19, part 3): the union worker
files it on a phone and reads the code to the reporter; the site's manager reviews it
into the interaction log; the reporter, with no account, types the code on /follow-up/
and reads "Reviewed", and nothing else about the report."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from agreements.choices import Consent, Source
from agreements.models import Interaction
from peer_reports.models import PeerReport
from tests.conftest import World
from tests.e2e.conftest import confine_to, fits_width, sign_in
from tests.e2e.test_accessibility import axe_problems

NARRATIVE = "Two officers stood by the door for an hour and turned people away."


def test_file_on_a_phone_review_into_the_log_and_follow_up_without_an_account(
    context: Any, phone: Any, browser: Any, browser_context_args: dict[str, Any],
    live_server: Any, world: World,
) -> None:  # fmt: skip
    day = world.site.today() - timedelta(days=1)

    # The union worker files the report on a phone.
    sign_in(phone.context, live_server, world.users["community"])
    phone.goto(f"{live_server.url}/sites/riverside/protocol/")
    phone.get_by_role("link", name="File a peer report").tap()
    expect(phone.get_by_role("heading", name="File a peer report")).to_be_visible()
    phone.get_by_label("What police did").select_option("stationed_in_buffer")
    phone.get_by_label("Day it happened").fill(day.isoformat())
    phone.get_by_label("Hour it happened").select_option("14")
    expect(phone.get_by_label("Inside the agreed buffer (within 100 m)")).to_be_visible()
    phone.get_by_label("At the entrance (within 10 m)").check()
    phone.get_by_label("Officers present").fill("2")
    phone.get_by_label("What happened").fill(NARRATIVE)
    assert fits_width(phone)
    # The reporter's consent is never assumed: skipped, the form asks for it by name.
    phone.get_by_role("button", name="File the report and get the follow-up code").tap()
    expect(phone.locator("#form-errors")).to_contain_text("What the reporter agreed to")
    phone.get_by_label("Raised with police — the site may").check()
    phone.get_by_role("button", name="File the report and get the follow-up code").tap()
    expect(phone.get_by_role("heading", name="Peer report filed")).to_be_visible()
    assert phone.url.endswith("/sites/riverside/peer-reports/filed/")
    code = phone.locator("#follow-up-code").inner_text().strip()
    assert re.fullmatch(r"[a-z]+(-[a-z]+){4}", code)
    expect(phone.get_by_text("This code is shown only once.")).to_be_visible()
    # The copy button says, to a screen reader too, that the code was copied.
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    phone.get_by_role("button", name="Copy the code").tap()
    expect(phone.locator("#copy-status")).to_have_text("Copied")
    assert not axe_problems(phone)
    # A reload files nothing and shows the code no more.
    phone.reload()
    expect(phone.get_by_role("heading", name="The code was shown once")).to_be_visible()
    expect(phone.locator("#follow-up-code")).to_have_count(0)
    assert PeerReport.objects.count() == 1

    # The manager finds it on the interaction log and enters it into the log.
    manager = context.new_page()
    sign_in(context, live_server, world.users["manager"])
    manager.goto(f"{live_server.url}/sites/riverside/interactions/")
    panel = manager.locator("#peer-reports")
    expect(panel).to_contain_text("Peer reports awaiting review (1)")
    panel.get_by_role("link").first.click()
    expect(manager.get_by_role("heading", name=re.compile("^Peer report"))).to_be_visible()
    expect(manager.get_by_role("definition").filter(has_text=NARRATIVE)).to_be_visible()
    manager.get_by_role("button", name="Enter into the log").click()
    expect(manager.get_by_text("Entered into the interaction log")).to_be_visible()
    interaction = Interaction.objects.get(site=world.site)
    assert (interaction.source, interaction.consent) == (Source.PEER_REPORTED, Consent.MEDIATION)

    # The reporter, on any device and with no account, follows up with the code.
    visitor_context = browser.new_context(**browser_context_args)
    outside = confine_to(visitor_context, live_server)
    visitor = visitor_context.new_page()
    visitor.goto(f"{live_server.url}/follow-up/")
    # A typo is kept in the field after "Not found", to be corrected.
    visitor.get_by_label("Your follow-up code").fill(code + "x")
    visitor.get_by_role("button", name="See the status").click()
    expect(visitor.locator("#follow-up-answer")).to_contain_text("Not found.")
    expect(visitor.get_by_label("Your follow-up code")).to_have_value(code + "x")
    assert not axe_problems(visitor)
    visitor.get_by_label("Your follow-up code").fill("  " + code.replace("-", " ").upper())
    visitor.get_by_role("button", name="See the status").click()
    answer = visitor.locator("#follow-up-answer")
    expect(answer).to_contain_text("Reviewed")
    shown = visitor.locator("main").inner_text() if visitor.locator("main").count() else ""
    page = visitor.content()
    for secret in (world.site.name, "riverside", NARRATIVE, "stationed", "entrance",
                   day.isoformat(), "community-riverside", code):  # fmt: skip
        assert secret not in page, secret
        assert secret not in shown, secret
    visitor_context.close()
    assert not outside
