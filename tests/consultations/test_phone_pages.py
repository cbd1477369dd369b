"""The consultation page as a phone user meets it (the new-user trial of issue 19): a
refused comment lands on its form with its errors announced, the home page's link lands
on the comment waiting, the community menu once, closing early only once confirmed, an
answer shown once with its edit box folded away, and the comparison with the unchanged
clauses folded."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Consultation
from consultations.services import comment_add, comment_answer
from consultations.waiting import waiting
from tests.consultations.fixtures import ANSWER, COMMENT, REFUSED, REWORDED, Setting
from tests.factories import ClauseFactory

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(consultation: Consultation) -> str:
    return reverse("consultations:detail", kwargs={"slug": "riverside", "pk": consultation.pk})


def test_a_refused_comment_lands_on_its_form_with_the_errors_announced(setting: Setting) -> None:
    consultation = setting.open()
    community = client_for(setting.community)
    page = community.get(detail(consultation)).content.decode()
    # The form posts to its own error summary, not to the page's top: a browser lands on
    # it and (it takes focus: tabindex="-1") moves the focus there.
    assert f'action="{detail(consultation)}#comment-errors"' in page
    refused = community.post(detail(consultation), {"text": REFUSED})
    assert refused.status_code == 422
    page = refused.content.decode()
    summary = re.search(r'<div class="alert alert-danger"[^>]*>', page)
    assert summary is not None
    assert 'role="alert"' in summary.group(0)
    assert 'id="comment-errors"' in summary.group(0)
    assert 'tabindex="-1"' in summary.group(0)
    assert "data-focus-on-load" in summary.group(0)  # static/js/app.js focuses it
    assert page.index('id="comment-form"') < summary.start()  # above the form it names
    # Once posted, the page opens on the new comment and says so there.
    posted = community.post(detail(consultation), {"text": COMMENT})
    comment = consultation.comments.get()
    assert posted["Location"] == f"{detail(consultation)}#comment-{comment.pk}"
    page = community.get(posted["Location"]).content.decode()
    card = page[page.index(f'id="comment-{comment.pk}"') :]
    assert "Comment posted; the site's managers are told." in card[: card.index("</div></li>")]


def test_the_home_page_link_opens_the_first_comment_waiting(setting: Setting) -> None:
    consultation = setting.open()
    first = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    second = comment_add(consultation=consultation, author=setting.community, text=COMMENT + " 2")
    comment_answer(comment=first, author=setting.manager, text=ANSWER)
    [line] = [
        w
        for w in waiting(setting.manager, {setting.world.site.pk: frozenset({"manager"})})
        if w.kind == "consultation_unanswered"
    ]
    assert line.url == f"{detail(consultation)}#comment-{second.pk}"
    page = client_for(setting.manager).get(detail(consultation)).content.decode()
    assert f'id="comment-{second.pk}"' in page
    # And the page itself offers a short way past the comparison to the comments.
    assert 'href="#comments"' in page
    assert "Jump to the comments (2)" in page
    assert 'id="comments"' in page


@pytest.mark.parametrize("page_name", ["list", "detail"])
def test_the_community_menu_appears_once_with_consultations_current(
    setting: Setting, page_name: str
) -> None:
    consultation = setting.open()
    url = (
        detail(consultation)
        if page_name == "detail"
        else reverse("consultations:list", kwargs={"slug": "riverside"})
    )
    page = client_for(setting.community).get(url).content.decode()
    assert page.count('aria-label="For community oversight"') == 1
    current = re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', page)
    assert current == [reverse("consultations:list", kwargs={"slug": "riverside"})]


def test_closing_early_takes_a_confirmation(setting: Setting) -> None:
    consultation = setting.open()
    manager = client_for(setting.manager)
    url = reverse("consultations:close", kwargs={"slug": "riverside", "pk": consultation.pk})
    page = manager.get(detail(consultation)).content.decode()
    assert "I want to close it before its closing day" in page
    assert f'action="{url}#close-errors"' in page
    bare = manager.post(url)
    assert bare.status_code == 422
    consultation.refresh_from_db()
    assert consultation.closed_at is None
    text = bare.content.decode()
    assert "Not closed: tick the box to confirm" in text
    assert '<details class="border-top pt-2" id="close-early" open>' in text
    confirmed = manager.post(url, {"close-confirm": "on"})
    assert confirmed.status_code == 302
    consultation.refresh_from_db()
    assert consultation.closed_at is not None


def test_an_answer_shows_once_and_saving_lands_on_its_comment(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    comment_answer(comment=comment, author=setting.manager, text=ANSWER)
    manager = client_for(setting.manager)
    page = manager.get(detail(consultation)).content.decode()
    # Read as text; the edit box, holding the answer, folded behind "Edit the answer".
    folded = page.index("<summary>Edit the answer</summary>")
    assert page.index(ANSWER) < folded
    assert page.count(ANSWER) == 2
    assert page.index(ANSWER, page.index(ANSWER) + 1) > folded
    url = reverse(
        "consultations:answer",
        kwargs={"slug": "riverside", "pk": consultation.pk, "comment": comment.pk},
    )
    assert f'action="{url}#answer-{comment.pk}-errors"' in page
    refused = manager.post(url, {f"answer-{comment.pk}-text": REFUSED})
    assert refused.status_code == 422
    text = refused.content.decode()
    assert f'id="answer-{comment.pk}-errors" data-focus-on-load' in text
    assert '<details class="edit-answer" open>' in text
    saved = manager.post(url, {f"answer-{comment.pk}-text": REWORDED})
    assert saved["Location"] == f"{detail(consultation)}#comment-{comment.pk}"
    page = manager.get(saved["Location"]).content.decode()
    card = page[page.index(f'id="comment-{comment.pk}"') :]
    card = card[: card.index("</div></li>")]
    assert "Answer saved; the comment's author is told." in card
    # Said once: a reload does not say it again.
    assert "Answer saved" not in manager.get(detail(consultation)).content.decode()


def test_the_comparison_shows_changes_first_and_folds_the_unchanged(setting: Setting) -> None:
    ClauseFactory(protocol=setting.in_force, topic="notification", text="Staff are told.")
    ClauseFactory(protocol=setting.draft, topic="notification", text="Staff are told.")
    consultation = setting.open()
    page = client_for(setting.community).get(detail(consultation)).content.decode()
    table = page[page.index('<table class="table align-top diff">') : page.index("</table>")]
    assert "diff-changed" in table
    assert "diff-same" not in table
    assert "Staff are told." not in table
    assert "<summary>Unchanged clause (1)</summary>" in page
    folded = page[page.index("<summary>Unchanged clause (1)</summary>") :]
    assert folded.index("Staff are told.") < folded.index("</details>")
    # On a phone the old and new text stack (static/css/app.css), each under its version.
    assert "table-responsive diff-stack" in page
    assert 'data-label="Version 1"' in table
    assert 'data-label="Version 2"' in table


def test_the_police_comparison_page_keeps_every_clause_in_its_table(setting: Setting) -> None:
    ClauseFactory(protocol=setting.in_force, topic="notification", text="Staff are told.")
    ClauseFactory(protocol=setting.draft, topic="notification", text="Staff are told.")
    setting.draft.status = "signed"
    setting.draft.save()
    page = (
        client_for(setting.liaison)
        .get("/sites/riverside/protocol/diff/", {"a": 1, "b": 2})
        .content.decode()
    )
    table = page[page.index('<table class="table align-top diff">') : page.index("</table>")]
    assert "diff-same" in table
    assert "diff-changed" in table
    assert "diff-stack" not in page
