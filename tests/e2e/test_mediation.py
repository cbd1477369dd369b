"""The mediation loop in a browser (issue 18): a manager shares an interaction, the
liaison replies on a phone-sized page, the manager resolves the thread with an outcome,
and the liaison reads it. The liaison never sees the narrative, nor which staff member
wrote."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from mediation.models import SharedThread, ThreadReply
from tests.conftest import World
from tests.e2e.conftest import fits_width, sign_in
from tests.factories import InteractionFactory

NARRATIVE = "Narrative-4d2e: staff watched from the desk."
SUMMARY = "A cruiser idled by the door for an hour."
POLICE_REPLY = "The sergeant will brief the night shift about the buffer."
OUTCOME = "Cruisers park beyond the buffer from now on."


def test_share_reply_on_a_phone_resolve_and_both_read_the_outcome(
    context: Any, phone: Any, live_server: Any, world: World
) -> None:
    interaction = InteractionFactory(site=world.site, narrative=NARRATIVE)
    manager = context.new_page()
    sign_in(context, live_server, world.users["manager"])
    sign_in(phone.context, live_server, world.users["liaison"])

    # The manager shares the interaction from its page.
    manager.goto(f"{live_server.url}/sites/riverside/interactions/{interaction.pk}/edit/")
    manager.get_by_role("link", name="Share with the liaison for mediation…").click()
    manager.get_by_label("Summary for the liaison").fill(SUMMARY)
    manager.get_by_role("button", name="Share").click()
    expect(manager.get_by_role("link", name="Open the mediation thread")).to_be_visible()
    thread = SharedThread.objects.get(interaction=interaction)

    # The liaison finds it in their list and replies, on a phone.
    phone.goto(f"{live_server.url}/sites/riverside/shared/")
    phone.get_by_role("link", name=re.compile("^Open the mediation thread")).tap()
    expect(phone).to_have_url(re.compile(f"/sites/riverside/shared/{thread.pk}/$"))
    expect(phone.get_by_text(SUMMARY)).to_be_visible()
    phone.get_by_label("Your reply").fill(POLICE_REPLY)
    phone.get_by_role("button", name="Post the reply").tap()
    expect(phone.get_by_text("Reply posted")).to_be_visible()
    expect(phone.get_by_text(POLICE_REPLY)).to_be_visible()
    assert fits_width(phone)
    assert NARRATIVE not in phone.content()
    assert ThreadReply.objects.get().author_role == "liaison"

    # The manager reads the reply and resolves the thread with its outcome.
    manager.goto(f"{live_server.url}/sites/riverside/shared/{thread.pk}/")
    expect(manager.get_by_text(POLICE_REPLY)).to_be_visible()
    manager.get_by_role("combobox", name=re.compile("^Status")).select_option("resolved")
    manager.get_by_role("textbox", name=re.compile("^Outcome")).fill(OUTCOME)
    manager.get_by_role("button", name="Save the status").click()
    expect(manager.get_by_text("Thread status saved")).to_be_visible()
    expect(manager.get_by_role("status", name="Outcome")).to_contain_text(OUTCOME)

    # The liaison reads the outcome; the site's reply is the site's, not a person's.
    phone.reload()
    expect(phone.get_by_role("status", name="Outcome")).to_contain_text(OUTCOME)
    expect(phone.get_by_role("heading", name=re.compile("Mediation thread"))).to_contain_text(
        "Resolved"
    )
    assert "manager-riverside" not in phone.content()
    assert fits_width(phone)
