"""The consultation pages, without a browser: what the community body reads and posts,
what managers do, what police and researchers are refused, and the query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Answer, Comment, Consultation
from consultations.services import comment_add, comment_answer, consultation_close
from tests.consultations.fixtures import (
    ANSWER,
    COMMENT,
    OLD_CLAUSE,
    REFUSED,
    REWORDED,
    WARNED,
    Setting,
)

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def detail(consultation: Consultation) -> str:
    return reverse("consultations:detail", kwargs={"slug": "riverside", "pk": consultation.pk})


LIST = "/sites/riverside/consultations/"


def test_a_manager_opens_a_draft_from_its_version_page(setting: Setting) -> None:
    manager = client_for(setting.manager)
    page = manager.get(f"/sites/riverside/protocols/{setting.draft.pk}/").content.decode()
    assert "Open for consultation" in page
    day = setting.world.site.today() + timedelta(days=10)
    answer = manager.post(
        reverse("consultations:open", kwargs={"slug": "riverside", "pk": setting.draft.pk}),
        {"closes_on": day.isoformat()},
    )
    consultation = Consultation.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == detail(consultation)
    assert consultation.closes_on == day
    # The version page now links to it and offers no second one.
    page = manager.get(f"/sites/riverside/protocols/{setting.draft.pk}/").content.decode()
    assert detail(consultation) in page
    assert "Open for consultation" not in page


def test_a_signed_version_page_offers_no_consultation(setting: Setting) -> None:
    page = client_for(setting.manager).get(f"/sites/riverside/protocols/{setting.in_force.pk}/")
    assert "Open for consultation" not in page.content.decode()


def test_a_bad_closing_day_is_said_and_nothing_opens(setting: Setting) -> None:
    manager = client_for(setting.manager)
    day = setting.world.site.today() + timedelta(days=200)
    answer = manager.post(
        reverse("consultations:open", kwargs={"slug": "riverside", "pk": setting.draft.pk}),
        {"closes_on": day.isoformat()},
        follow=True,
    )
    assert "Not opened" in answer.content.decode()
    assert "90 days" in answer.content.decode()
    assert not Consultation.objects.exists()


def test_the_community_reads_the_draft_with_its_diff_and_comments(setting: Setting) -> None:
    consultation = setting.open()
    community = client_for(setting.community)
    listed = community.get(LIST).content.decode()
    assert detail(consultation) in listed
    page = community.get(detail(consultation)).content.decode()
    assert "Version 1 beside version 2" in page
    assert "<ins>" in page
    assert "warrant" in page
    assert OLD_CLAUSE.split()[0] in page
    answer = community.post(detail(consultation), {"text": COMMENT})
    assert answer.status_code == 302
    page = community.get(detail(consultation)).content.decode()
    assert COMMENT in page
    assert "Your comment" in page
    assert "Not answered yet." in page
    assert Comment.objects.get().author == setting.community


def test_the_community_sees_the_answer_but_not_who_gave_it(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    manager = client_for(setting.manager)
    url = reverse(
        "consultations:answer",
        kwargs={"slug": "riverside", "pk": consultation.pk, "comment": comment.pk},
    )
    posted = manager.post(url, {f"answer-{comment.pk}-text": ANSWER})
    assert posted.status_code == 302
    manager.post(url, {f"answer-{comment.pk}-text": REWORDED})
    assert Answer.objects.count() == 2
    page = client_for(setting.community).get(detail(consultation)).content.decode()
    assert REWORDED in page
    assert ANSWER in page  # the earlier wording, listed
    assert "Earlier wordings" in page
    assert setting.manager.username not in page
    # The site's managers see who commented and who answered.
    page = manager.get(detail(consultation)).content.decode()
    assert setting.community.username in page
    assert setting.manager.username in page


def test_a_refused_comment_is_said_on_its_field_and_kept(setting: Setting) -> None:
    consultation = setting.open()
    answer = client_for(setting.community).post(detail(consultation), {"text": REFUSED})
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "phone number" in page
    assert "416-555-0199" in page  # the text typed stays in the form
    assert not Comment.objects.exists()


def test_a_warned_comment_is_saved_once_confirmed(setting: Setting) -> None:
    consultation = setting.open()
    community = client_for(setting.community)
    warned = community.post(detail(consultation), {"text": WARNED})
    assert warned.status_code == 422
    assert "This text describes police, not a client" in warned.content.decode()
    saved = community.post(detail(consultation), {"text": WARNED, "pii_confirmed": "on"})
    assert saved.status_code == 302
    assert Comment.objects.get().text == WARNED


def test_a_closed_consultation_stays_readable_and_takes_no_comment(setting: Setting) -> None:
    consultation = setting.open()
    comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    consultation_close(consultation=consultation, actor=setting.manager)
    community = client_for(setting.community)
    page = community.get(detail(consultation)).content.decode()
    assert COMMENT in page
    assert "it takes no more comments" in page
    assert "Post the comment" not in page
    refused = community.post(detail(consultation), {"text": "Comment-late: one more point."})
    assert refused.status_code == 422
    assert Comment.objects.count() == 1


def test_open_consultations_are_listed_first(setting: Setting) -> None:
    old = setting.open()
    consultation_close(consultation=old, actor=setting.manager)
    new = setting.open()
    page = client_for(setting.community).get(LIST).content.decode()
    assert page.index(detail(new)) < page.index(detail(old))


def test_the_manager_extends_and_closes(setting: Setting) -> None:
    consultation = setting.open(days=5)
    manager = client_for(setting.manager)
    kwargs = {"slug": "riverside", "pk": consultation.pk}
    later = setting.world.site.today() + timedelta(days=40)
    manager.post(reverse("consultations:extend", kwargs=kwargs), {"extend-closes_on": later})
    consultation.refresh_from_db()
    assert consultation.closes_on == later
    bad = manager.post(
        reverse("consultations:extend", kwargs=kwargs),
        {"extend-closes_on": setting.world.site.today()},
    )
    assert bad.status_code == 422
    manager.post(reverse("consultations:close", kwargs=kwargs), {"close-confirm": "on"})
    consultation.refresh_from_db()
    assert consultation.closed_at is not None


def test_the_signing_page_counts_the_answered_comments(setting: Setting) -> None:
    consultation = setting.open()
    first = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    comment_add(consultation=consultation, author=setting.community, text=COMMENT + " Also.")
    comment_answer(comment=first, author=setting.manager, text=ANSWER)
    page = client_for(setting.manager).get(
        reverse("agreements:protocols_sign", kwargs={"slug": "riverside", "pk": setting.draft.pk})
    )
    text = page.content.decode()
    assert "1 of 2 community comments answered." in text
    assert 'id="unanswered-comments"' in text
    assert "You may still sign" in text


# --- who may not ------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("liaison", 403), ("researcher", 403),
                                              ("other_manager", 404)])  # fmt: skip
def test_police_researchers_and_other_sites_cannot_reach_a_consultation(
    setting: Setting, role: str, status: int
) -> None:
    consultation = setting.open()
    comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    client = client_for(setting.world.users[role])
    for url in (LIST, detail(consultation)):
        answer = client.get(url)
        assert answer.status_code == status, url
        assert COMMENT not in answer.content.decode()
    assert client.post(detail(consultation), {"text": COMMENT}).status_code == status
    assert Comment.objects.count() == 1


def test_the_liaisons_protocol_pages_say_nothing_of_a_consultation(setting: Setting) -> None:
    consultation = setting.open()
    comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    liaison = client_for(setting.liaison)
    for url in ("/sites/riverside/protocol/", "/sites/riverside/protocol/diff/?a=1&b=2"):
        page = liaison.get(url).content.decode()
        assert COMMENT not in page
        assert "onsultation" not in page
        assert "warrant shown to staff" not in page  # the draft's text
    assert liaison.get("/sites/riverside/protocol/v2/").status_code == 404


def test_a_manager_cannot_comment_and_the_community_cannot_answer(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    assert (
        client_for(setting.manager).post(detail(consultation), {"text": COMMENT}).status_code == 403
    )
    url = reverse(
        "consultations:answer",
        kwargs={"slug": "riverside", "pk": consultation.pk, "comment": comment.pk},
    )
    answer = client_for(setting.community).post(url, {f"answer-{comment.pk}-text": ANSWER})
    assert answer.status_code == 403
    assert not Answer.objects.exists()


def test_a_draft_never_consulted_is_out_of_the_communitys_reach(setting: Setting) -> None:
    community = client_for(setting.community)
    assert "warrant shown to staff" not in community.get(LIST).content.decode()
    assert community.get("/sites/riverside/protocol/v2/").status_code == 404
    assert community.get(f"/sites/riverside/protocols/{setting.draft.pk}/").status_code == 403


def test_another_sites_consultation_is_not_found(setting: Setting) -> None:
    consultation = setting.open()
    other = setting.world.other_site
    other.community_oversight = True
    other.save()
    url = reverse("consultations:detail", kwargs={"slug": "eastside", "pk": consultation.pk})
    assert client_for(setting.world.users["other_manager"]).get(url).status_code == 404


# --- queries ------------------------------------------------------------------------------


def _fill(setting: Setting, consultation: Consultation, n: int) -> None:
    for i in range(n):
        comment = comment_add(
            consultation=consultation, author=setting.community, text=f"{COMMENT} Point {i}."
        )
        comment_answer(comment=comment, author=setting.manager, text=f"{ANSWER} Point {i}.")
        comment_answer(comment=comment, author=setting.manager, text=f"{REWORDED} Point {i}.")


@pytest.mark.parametrize("role", ["manager", "community"])
def test_the_pages_queries_do_not_grow_with_comments(
    setting: Setting, role: str, django_assert_max_num_queries: Any
) -> None:
    consultation = setting.open()
    _fill(setting, consultation, 1)
    client = client_for(setting.world.users[role])
    client.get(detail(consultation))
    with django_assert_max_num_queries(40) as few_detail:
        client.get(detail(consultation))
    with django_assert_max_num_queries(40) as few_list:
        client.get(LIST)
    _fill(setting, consultation, 6)
    consultation_close(consultation=consultation, actor=setting.manager)
    for _ in range(4):
        consultation_close(consultation=setting.open(), actor=setting.manager)
    with django_assert_max_num_queries(len(few_detail)):
        page = client.get(detail(consultation))
    assert page.content.decode().count('class="card mb-3" id="comment-') == 7
    with django_assert_max_num_queries(len(few_list)):
        client.get(LIST)


def test_the_delete_page_refuses_a_draft_the_community_commented_on(setting: Setting) -> None:
    consultation = setting.open()
    comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    url = f"/sites/riverside/protocols/{setting.draft.pk}/delete/"
    manager = client_for(setting.manager)
    assert "commented on this version" in manager.get(url).content.decode()
    manager.post(url, {"edit_version": setting.draft.edit_version})
    assert Comment.objects.count() == 1
