"""Consultation on a protocol draft in a browser (issue 19, part 2): a manager opens a
draft for consultation from its version page, the community body reads it (with what it
changes) and comments on a phone-sized page, the manager answers, the community body reads
the answer; the liaison cannot reach the consultation, and their protocol pages say
nothing of it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from consultations.models import Comment, Consultation
from tests.conftest import World
from tests.e2e.conftest import DESKTOP, confine_to, fits_width, sign_in
from tests.factories import ClauseFactory, ProtocolFactory, SignedProtocolFactory

OLD_CLAUSE = "Officers do not enter during opening hours."
NEW_CLAUSE = "Officers do not enter during opening hours, except with a warrant shown to staff."
COMMENT = "The warrant exception should say who at the site is told first."
ANSWER = "The shift lead is told first; the clause will say so."


def test_open_read_the_diff_comment_answer_and_police_kept_out(
    context: Any, phone: Any, live_server: Any, world: World
) -> None:
    site = world.site
    in_force = SignedProtocolFactory(site=site, version=1)
    ClauseFactory(protocol=in_force, topic="entry_during_hours", text=OLD_CLAUSE)
    draft = ProtocolFactory(site=site, version=2, created_on=site.today())
    ClauseFactory(protocol=draft, topic="entry_during_hours", text=NEW_CLAUSE)
    manager = context.new_page()
    sign_in(context, live_server, world.users["manager"])
    sign_in(phone.context, live_server, world.users["community"])

    # The manager opens the draft for consultation from its version page.
    manager.goto(f"{live_server.url}/sites/riverside/protocols/{draft.pk}/")
    closes = site.today() + timedelta(days=14)
    manager.get_by_label("Last day to comment").fill(closes.isoformat())
    manager.get_by_role("button", name="Open for consultation").click()
    expect(manager.get_by_text("is open for consultation")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.closes_on == closes
    url = f"{live_server.url}/sites/riverside/consultations/{consultation.pk}/"
    expect(manager).to_have_url(url)

    # The community body finds it from its menu, reads what changes and comments.
    phone.goto(f"{live_server.url}/sites/riverside/protocol/")
    phone.get_by_role("link", name="Consultations").tap()
    phone.get_by_role("link", name="Protocol version 2").tap()
    expect(phone).to_have_url(url)
    diff = phone.get_by_role("table", name=re.compile("Version 1 beside version 2"))
    expect(diff.locator("ins").first).to_be_visible()
    expect(diff).to_contain_text("warrant")
    phone.get_by_label("Your comment").fill(COMMENT)
    phone.get_by_role("button", name="Post the comment").tap()
    expect(phone.get_by_text("Comment posted")).to_be_visible()
    expect(phone.get_by_text(COMMENT)).to_be_visible()
    assert fits_width(phone)
    comment = Comment.objects.get()

    # The manager answers the comment.
    manager.reload()
    expect(manager.get_by_text(COMMENT)).to_be_visible()
    card = manager.locator(f"#comment-{comment.pk}")
    card.get_by_label("The site's answer").fill(ANSWER)
    card.get_by_role("button", name="Answer").click()
    expect(manager.get_by_text("Answer saved")).to_be_visible()

    # The community body reads the answer, as the site's, not a person's.
    phone.reload()
    answer = phone.get_by_role("group", name="The site's answer")
    expect(answer).to_contain_text(ANSWER)
    assert "manager-riverside" not in phone.content()

    # The liaison cannot reach the consultation, and their protocol page is silent on it.
    police = context.browser.new_context(**DESKTOP)
    outside = confine_to(police, live_server)
    sign_in(police, live_server, world.users["liaison"])
    liaison = police.new_page()
    refused = liaison.goto(url)
    assert refused is not None
    assert refused.status == 403
    assert COMMENT not in liaison.content()
    liaison.goto(f"{live_server.url}/sites/riverside/protocol/")
    assert "onsultation" not in liaison.content()
    assert NEW_CLAUSE not in liaison.content()
    police.close()
    assert not outside
