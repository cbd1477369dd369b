"""The consultation page on a phone, as the new-user trial of issue 19 found it wanting:
a refused comment lands on its form with the error summary focused, the comparison reads
one clause above the other without running off the screen, the home page's link lands on
the comment waiting, closing early takes a ticked box, and a saved answer is said on its
comment."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from consultations.models import Consultation
from consultations.services import comment_add, consultation_open
from tests.conftest import World
from tests.e2e.conftest import fits_width, sign_in
from tests.factories import ClauseFactory, ProtocolFactory, SignedProtocolFactory

OLD = "Officers do not enter during opening hours."
URL = "https://police.example.org/policies/supervised-consumption-site-entry-protocol-2026"
NEW = f"Officers do not enter during opening hours, except with a warrant shown ({URL})."
COMMENT = "The warrant exception should say who at the site is told first."
REFUSED = "Call 416-555-0199 to follow up."


def _consultation(world: World) -> Consultation:
    site = world.site
    in_force = SignedProtocolFactory(site=site, version=1)
    draft = ProtocolFactory(site=site, version=2, created_on=site.today())
    ClauseFactory(protocol=in_force, topic="entry_during_hours", text=OLD)
    ClauseFactory(protocol=draft, topic="entry_during_hours", text=NEW)
    # Many clauses that do not change: the page the trial found too long.
    for topic in ("notification", "proximity_buffer", "plainclothes", "information_sharing"):
        text = f"Clause on {topic.replace('_', ' ')} that reads the same in both versions."
        ClauseFactory(protocol=in_force, topic=topic, text=text)
        ClauseFactory(protocol=draft, topic=topic, text=text)
    return consultation_open(
        protocol=draft, closes_on=site.today() + timedelta(days=14), actor=world.users["manager"]
    )


def in_view(page: Any, selector: str) -> bool:
    """Whether `selector` comes into the screen (waiting for the page to scroll there)."""
    page.wait_for_function(
        "s => { const e = document.querySelector(s); if (!e) return false;"
        " const r = e.getBoundingClientRect();"
        " return r.top < window.innerHeight && r.bottom > 0; }",
        arg=selector,
        timeout=5000,
    )
    return True


def test_the_community_reads_and_comments_on_a_phone(
    phone: Any, live_server: Any, world: World
) -> None:
    consultation = _consultation(world)
    url = f"{live_server.url}/sites/riverside/consultations/{consultation.pk}/"
    sign_in(phone.context, live_server, world.users["community"])
    phone.goto(url)
    # One community menu, the consultations marked current.
    expect(phone.get_by_role("navigation", name="For community oversight")).to_have_count(1)
    # The comparison: the changed clause stacked, nothing past the right edge; the
    # unchanged ones folded.
    diff = phone.get_by_role("table", name=re.compile("Version 1 beside version 2"))
    expect(diff.locator("ins").first).to_be_visible()
    assert fits_width(phone)
    box = phone.locator(".table-responsive")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
    old, new = diff.locator("tbody td").all()[:2]
    assert old.bounding_box()["y"] < new.bounding_box()["y"]  # one above the other
    folded = phone.get_by_text("Unchanged clauses (4)")
    expect(folded).to_be_visible()
    expect(phone.locator(".diff-same dd").first).to_be_hidden()
    # A refused comment: the page lands on the form, its error summary focused.
    phone.get_by_label("Your comment").fill(REFUSED)
    phone.get_by_role("button", name="Post the comment").tap()
    expect(phone).to_have_url(re.compile("#comment-errors$"))
    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("phone number")
    expect(summary).to_be_focused()
    assert in_view(phone, "#comment-errors")
    # Fixed, it is posted, and the page opens on it.
    phone.get_by_label("Your comment").fill(COMMENT)
    phone.get_by_role("button", name="Post the comment").tap()
    expect(phone.get_by_text("Comment posted")).to_be_visible()
    assert in_view(phone, "#comments [role=status]")


def test_the_manager_lands_on_the_comment_closes_deliberately_and_sees_the_answer_saved(
    phone: Any, live_server: Any, world: World
) -> None:
    consultation = _consultation(world)
    comment = comment_add(consultation=consultation, author=world.users["community"],
                          text=COMMENT)  # fmt: skip
    sign_in(phone.context, live_server, world.users["manager"])
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name=re.compile("community comment on the protocol")).tap()
    expect(phone).to_have_url(re.compile(f"#comment-{comment.pk}$"))
    assert in_view(phone, f"#comment-{comment.pk}")
    card = phone.locator(f"#comment-{comment.pk}")
    card.get_by_label("The site's answer").fill("The shift lead is told first.")
    card.get_by_role("button", name="Answer").tap()
    expect(phone).to_have_url(re.compile(f"#comment-{comment.pk}$"))
    saved = card.get_by_role("status")
    expect(saved).to_contain_text("Answer saved")
    assert in_view(phone, f"#comment-{comment.pk} [role=status]")
    # The answer reads once; its edit box is folded.
    expect(card.get_by_text("Edit the answer")).to_be_visible()
    expect(card.get_by_role("textbox", name="The site's answer")).to_be_hidden()
    # Closing early: not one tap beside Extend, a box to tick first.
    phone.get_by_text("Close the consultation before its closing day").tap()
    phone.get_by_role("button", name="Close the consultation now").tap()
    expect(phone.get_by_role("alert")).to_contain_text("Not closed")
    consultation.refresh_from_db()
    assert consultation.closed_at is None
    phone.get_by_label("I want to close it before its closing day").check()
    phone.get_by_role("button", name="Close the consultation now").tap()
    expect(phone.get_by_text("The consultation is closed")).to_be_visible()
    consultation.refresh_from_db()
    assert consultation.closed_at is not None
