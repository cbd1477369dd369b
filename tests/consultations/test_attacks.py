"""Consultations, attacked (issue 19, adversarial pass): the community body reaching text
or sites it must not, a police liaison after comments, another site's manager, the PII
guard on what a stressed union worker types, and the hour rule.

Each test is one attempt; those that once succeeded are marked "was a leak"."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tokens import token_create
from agreements.audit import AuditEntry
from agreements.models import ProtocolClause, TokenScope
from agreements.services import protocol_save
from consultations.models import Answer, Comment, Consultation
from consultations.services import comment_add, comment_answer, consultation_close
from tests.consultations.fixtures import ANSWER, COMMENT, NEW_CLAUSE, Setting

pytestmark = pytest.mark.django_db

LATER_DRAFT = "Later-draft-5b0c: officers may wait at the door while a warrant is sought."
LIST_API = "/api/v1/sites/riverside/consultations"


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_for(user: Any) -> Client:
    raw = token_create(user=user, name="api", scope=TokenScope.WRITE)[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def detail(consultation: Consultation, slug: str = "riverside") -> str:
    return reverse("consultations:detail", kwargs={"slug": slug, "pk": consultation.pk})


def comments_url(consultation: Consultation, slug: str = "riverside") -> str:
    return f"/api/v1/sites/{slug}/consultations/{consultation.pk}/comments"


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


# --- the community body ------------------------------------------------------------------------


def _edit_draft(setting: Setting, text: str) -> None:
    draft = setting.draft
    draft.refresh_from_db()
    clause = draft.clauses.get()
    clause.text = text
    protocol_save(protocol=draft, clauses=[clause], actor=setting.manager)


def test_was_a_leak_a_closed_consultation_does_not_show_the_draft_as_edited_since(
    setting: Setting,
) -> None:
    """The consultation closed; the site kept negotiating the draft with police. The
    community body read the new wording (never opened to it) through the closed
    consultation's page and the API."""
    consultation = setting.open()
    comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    consultation_close(consultation=consultation, actor=setting.manager)
    _edit_draft(setting, LATER_DRAFT)
    page = client_for(setting.community).get(detail(consultation))
    assert page.status_code == 200
    assert COMMENT in page.content.decode()  # its own record stays readable
    listed = api_for(setting.community).get(LIST_API)
    assert listed.status_code == 200
    for text in (page.content.decode(), listed.content.decode()):
        assert LATER_DRAFT not in text
        assert NEW_CLAUSE not in text
    # The site's managers still read the version as it is.
    assert LATER_DRAFT in client_for(setting.manager).get(detail(consultation)).content.decode()
    # Once signed, the version is the community's to read again (as every signed one).
    _sign(setting)
    assert LATER_DRAFT in client_for(setting.community).get(detail(consultation)).content.decode()


def _sign(setting: Setting) -> None:
    draft = setting.draft
    draft.refresh_from_db()
    today = setting.world.site.today()
    draft.status, draft.signed_on, draft.effective_from = "signed", today, today
    protocol_save(protocol=draft, clauses=list(draft.clauses.all()), actor=setting.manager)


def test_an_open_consultation_shows_the_draft_as_it_is(setting: Setting) -> None:
    consultation = setting.open()
    _edit_draft(setting, LATER_DRAFT)
    assert LATER_DRAFT in client_for(setting.community).get(detail(consultation)).content.decode()


def test_the_community_cannot_reach_another_sites_consultation_by_id(setting: Setting) -> None:
    other = setting.world.other_site
    other.community_oversight = True
    other.save()
    theirs = setting.open()
    comment_add(consultation=theirs, author=setting.community, text=COMMENT)
    outsider = setting.world.users["other_manager"]
    for client in (client_for(outsider),):
        assert client.get(detail(theirs, "eastside")).status_code == 404
        assert client.get(detail(theirs)).status_code == 404
    api = api_for(outsider)
    assert post_json(api, comments_url(theirs, "eastside"),
                     {"answers": 1, "text": ANSWER}).status_code == 404  # fmt: skip
    assert post_json(api, comments_url(theirs), {"text": COMMENT}).status_code == 404


def test_nothing_is_posted_once_the_site_opted_out(setting: Setting) -> None:
    consultation = setting.open()
    site = setting.world.site
    site.community_oversight = False
    site.save()
    community = client_for(setting.community)
    assert community.get(detail(consultation)).status_code == 404
    assert community.post(detail(consultation), {"text": COMMENT}).status_code == 404
    assert post_json(api_for(setting.community), comments_url(consultation),
                     {"text": COMMENT}).status_code == 404  # fmt: skip
    with pytest.raises(PermissionDenied):  # the service refuses whatever the caller
        comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    assert not Comment.objects.exists()


def test_no_comment_on_a_signed_version_through_any_path(setting: Setting) -> None:
    consultation = setting.open()
    _sign(setting)
    assert client_for(setting.community).post(detail(consultation),
                                              {"text": COMMENT}).status_code == 422  # fmt: skip
    assert post_json(api_for(setting.community), comments_url(consultation),
                     {"text": COMMENT}).status_code == 422  # fmt: skip
    with pytest.raises(ValidationError):
        comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    assert not Comment.objects.exists()


def test_the_community_is_not_told_which_manager_answered_or_which_account_wrote(
    setting: Setting,
) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    comment_answer(comment=comment, author=setting.manager, text=ANSWER)
    reader = setting.world.users["community"]
    page = client_for(reader).get(detail(consultation)).content.decode()
    listed = api_for(reader).get(LIST_API).content.decode()
    for text in (page, listed):
        assert ANSWER in text
        assert setting.manager.username not in text


# --- a police liaison, and another site's manager ---------------------------------------------


def test_the_liaison_reads_no_comment_anywhere(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    liaison = client_for(setting.liaison)
    for url in (detail(consultation), "/sites/riverside/consultations/", "/sites/riverside/"):
        answer = liaison.get(url)
        assert COMMENT not in answer.content.decode(), url
    api = api_for(setting.liaison)
    assert api.get(LIST_API).status_code == 403
    assert post_json(api, comments_url(consultation),
                     {"answers": comment.pk, "text": ANSWER}).status_code == 403  # fmt: skip
    assert not any(COMMENT in m.body for m in mail.outbox)
    assert not any(setting.liaison.email in m.to for m in mail.outbox)


def test_another_sites_manager_cannot_answer(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    outsider = setting.world.users["other_manager"]
    for slug in ("riverside", "eastside"):
        ids = {"slug": slug, "pk": consultation.pk, "comment": comment.pk}
        url = reverse("consultations:answer", kwargs=ids)
        assert client_for(outsider).post(url, {f"answer-{comment.pk}-text": ANSWER}
                                         ).status_code == 404  # fmt: skip
        assert post_json(api_for(outsider), comments_url(consultation, slug),
                         {"answers": comment.pk, "text": ANSWER}).status_code == 404  # fmt: skip
    with pytest.raises(PermissionDenied):  # whatever the caller
        comment_answer(comment=comment, author=outsider, text=ANSWER)
    assert not Answer.objects.exists()


# --- the PII guard, on what a tired union worker types -----------------------------------------

STRESSED = [
    "Reach him at four one six five five five zero one nine nine, cops took his phone.",
    "Police keep going to where she stays, 212 Sherbourne, at night.",
    "His insta is jay.runs.toronto and officers filmed it.",
    "Cops took down the number: six four seven, five five five, one two three four.",
]


@pytest.mark.parametrize("text", STRESSED)
def test_the_guard_refuses_identifiers_in_comments_and_answers(setting: Setting, text: str) -> None:
    consultation = setting.open()
    with pytest.raises(ValidationError):
        comment_add(consultation=consultation, author=setting.community, text=text)
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    with pytest.raises(ValidationError):
        comment_answer(comment=comment, author=setting.manager, text=text, pii_confirmed=True)
    assert post_json(api_for(setting.community), comments_url(consultation),
                     {"text": text, "pii_confirmed": True}).status_code == 422  # fmt: skip
    assert Comment.objects.count() == 1
    assert not Answer.objects.exists()


def test_a_description_of_someone_waits_for_confirmation(setting: Setting) -> None:
    consultation = setting.open()
    described = ("The woman in the wheelchair with the pink hair, the only one like her "
                 "around, got ticketed by the door.")  # fmt: skip
    with pytest.raises(ValidationError):
        comment_add(consultation=consultation, author=setting.community, text=described)


# --- the hour, everywhere ------------------------------------------------------------------------


def test_was_a_leak_a_comment_and_its_answer_are_dated_to_the_hour_in_the_audit_log(
    setting: Setting,
) -> None:
    """A comment may recount what police did near the site, so it is kept to the hour
    (consultations/models.py); its audit entries, and the notice's, kept the minute."""
    consultation = setting.open()
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    # 37 minutes and 12 seconds past this hour, so that any minute kept would show.
    minutes = timezone.now().replace(minute=37, second=12, microsecond=0)
    with time_machine.travel(minutes, tick=False):
        comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
        comment_answer(comment=comment, author=setting.manager, text=ANSWER)
        comment_answer(comment=comment, author=setting.manager, text=ANSWER + " Reworded.")
    about = AuditEntry.objects.filter(id__gt=before)
    assert about.count() >= 5  # the comment, its notice, the answer, its wording, notices
    for entry in about:
        assert (entry.at.minute, entry.at.second, entry.at.microsecond) == (0, 0, 0), entry.detail
    comment.refresh_from_db()
    assert (comment.posted_at.minute, comment.posted_at.second) == (0, 0)
    assert not any(COMMENT in m.body or ANSWER in m.body for m in mail.outbox)


def test_was_a_leak_a_clause_added_after_closing_is_not_reachable(setting: Setting) -> None:
    """A clause added to the draft after its consultation closed was shown to the
    community body (the same leak as above); no parameter of the page reaches it."""
    consultation = setting.open()
    consultation_close(consultation=consultation, actor=setting.manager)
    text = "Never-opened-1f4: no undercover presence at all."
    never = ProtocolClause.objects.create(protocol=setting.draft, topic="plainclothes", text=text)
    community = client_for(setting.community)
    for url in (detail(consultation) + f"?protocol={setting.draft.pk}&clause={never.pk}",
                detail(consultation) + "?a=1&b=2", "/sites/riverside/consultations/"):  # fmt: skip
        assert never.text not in community.get(url).content.decode()
