"""The consultation's services, without a page: who may open, comment and answer, when,
what the PII guard refuses, what is audited and who is e-mailed (a link, never text)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError

from agreements.audit import Action, AuditEntry
from agreements.choices import ProtocolStatus
from agreements.services import protocol_sign
from consultations import rules
from consultations.models import Answer, Comment, Consultation
from consultations.services import (
    comment_add,
    comment_answer,
    consultation_close,
    consultation_extend,
    consultation_open,
)
from tests.consultations.fixtures import (
    ANSWER,
    COMMENT,
    NEW_CLAUSE,
    REFUSED,
    REWORDED,
    WARNED,
    Setting,
)

pytestmark = pytest.mark.django_db


def entries(**filters: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def test_opening_a_draft_tells_the_community_body_with_a_link_only(setting: Setting) -> None:
    consultation = setting.open()
    assert consultation.is_open()
    [entry] = entries(object_type="consultation", action=Action.CREATE)
    assert entry.actor == setting.manager.username
    assert "version 2" in entry.detail
    [message] = mail.outbox
    assert message.to == ["union@community.example"]
    assert f"/sites/riverside/consultations/{consultation.pk}/" in message.body
    assert NEW_CLAUSE not in message.body
    assert "Le français suit" in message.body


@pytest.mark.parametrize("status", [ProtocolStatus.DRAFT, ProtocolStatus.NEGOTIATING])
def test_a_draft_or_a_version_in_negotiation_may_be_opened(setting: Setting, status: str) -> None:
    Consultation.objects.all().delete()
    setting.draft.status = status
    setting.draft.save()
    assert setting.open().protocol == setting.draft


def test_a_signed_version_cannot_be_opened(setting: Setting) -> None:
    with pytest.raises(ValidationError) as refused:
        consultation_open(
            protocol=setting.in_force, closes_on=setting.world.site.today(), actor=setting.manager
        )
    assert refused.value.messages == [str(rules.NOT_CONSULTABLE)]
    assert not Consultation.objects.exists()
    assert entries(object_type="consultation") == []


@pytest.mark.parametrize(("days", "allowed"), [(-1, False), (0, True), (90, True), (91, False)])
def test_the_closing_day_is_today_to_ninety_days_ahead(
    setting: Setting, days: int, allowed: bool
) -> None:
    closes_on = setting.world.site.today() + timedelta(days=days)
    if allowed:
        assert setting.open(days).closes_on == closes_on
        return
    with pytest.raises(ValidationError) as refused:
        setting.open(days)
    assert "closes_on" in refused.value.message_dict
    assert "90 days" in refused.value.message_dict["closes_on"][0]


def test_a_site_without_community_oversight_cannot_open_one(setting: Setting) -> None:
    site = setting.world.site
    site.community_oversight = False
    site.save()
    with pytest.raises(ValidationError) as refused:
        setting.open()
    assert refused.value.messages == [str(rules.NO_OVERSIGHT)]


def test_a_version_has_one_open_consultation_at_a_time(setting: Setting) -> None:
    first = setting.open()
    with pytest.raises(ValidationError, match="already open"):
        setting.open()
    consultation_close(consultation=first, actor=setting.manager)
    second = setting.open()
    assert second.pk != first.pk
    assert Consultation.objects.count() == 2


@pytest.mark.parametrize("role", ["community", "liaison", "researcher", "other_manager"])
def test_only_the_sites_managers_open_extend_and_close(setting: Setting, role: str) -> None:
    user = setting.world.users[role]
    with pytest.raises(PermissionDenied):
        consultation_open(protocol=setting.draft, closes_on=setting.world.site.today(), actor=user)
    consultation = setting.open()
    with pytest.raises(PermissionDenied):
        consultation_extend(
            consultation=consultation,
            closes_on=consultation.closes_on + timedelta(days=1),
            actor=user,
        )
    with pytest.raises(PermissionDenied):
        consultation_close(consultation=consultation, actor=user)


def test_an_admin_may_open_one(setting: Setting) -> None:
    admin = setting.world.users["admin"]
    consultation_open(protocol=setting.draft, closes_on=setting.world.site.today(), actor=admin)


def test_the_community_comments_and_the_managers_are_told(setting: Setting) -> None:
    consultation = setting.open()
    mail.outbox.clear()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    assert (comment.author, comment.text) == (setting.community, COMMENT)
    # Kept to the hour at the site.
    local = setting.world.site.local(comment.posted_at)
    assert (local.minute, local.second) == (0, 0)
    [entry] = entries(object_type="comment")
    assert (entry.action, entry.fields) == (Action.CREATE, ["text"])
    assert COMMENT not in entry.detail
    [message] = mail.outbox
    assert message.to == ["manager@site.example"]
    assert COMMENT not in message.body


@pytest.mark.parametrize("role", ["manager", "admin", "liaison", "researcher"])
def test_only_the_community_body_comments(setting: Setting, role: str) -> None:
    consultation = setting.open()
    with pytest.raises(PermissionDenied):
        comment_add(consultation=consultation, author=setting.world.users[role], text=COMMENT)
    assert not Comment.objects.exists()


def test_a_comment_is_refused_once_the_closing_day_has_passed(setting: Setting) -> None:
    consultation = setting.open(days=3)
    later = setting.world.site.today() + timedelta(days=4)
    with (
        time_machine.travel(later.isoformat() + "T17:00:00Z", tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    assert refused.value.messages == [str(rules.CLOSED_NOW)]


def test_a_comment_is_refused_after_a_manager_closed_it(setting: Setting) -> None:
    consultation = setting.open()
    consultation_close(consultation=consultation, actor=setting.manager)
    with pytest.raises(ValidationError, match="closed"):
        comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    consultation.refresh_from_db()
    assert consultation.closed_reason == rules.BY_MANAGER


def test_signing_the_version_closes_its_consultation(setting: Setting) -> None:
    consultation = setting.open()
    comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    today = setting.world.site.today()
    protocol_sign(
        protocol=setting.draft,
        signed_on=today,
        effective_from=today + timedelta(days=10),
        missing_acknowledged=True,
        actor=setting.manager,
    )
    consultation.refresh_from_db()
    assert consultation.closed_at is not None
    assert consultation.closed_reason == rules.BY_SIGNING
    assert not consultation.is_open()
    with pytest.raises(ValidationError, match="closed"):
        comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    # The signing and the closing are audited together; the comment stays answerable.
    closed = entries(object_type="consultation", action=Action.UPDATE)
    assert [e.detail for e in closed] == ["consultation closed (signed)"]
    comment_answer(comment=Comment.objects.get(), author=setting.manager, text=ANSWER)


def test_the_pii_guard_refuses_naming_what_it_found(setting: Setting) -> None:
    consultation = setting.open()
    with pytest.raises(ValidationError) as refused:
        comment_add(consultation=consultation, author=setting.community, text=REFUSED)
    [message] = refused.value.message_dict["text"]
    assert "phone number" in message
    assert "416-555-0199" in message
    # A refusal cannot be confirmed away.
    with pytest.raises(ValidationError):
        comment_add(
            consultation=consultation, author=setting.community, text=REFUSED, pii_confirmed=True
        )
    assert not Comment.objects.exists()


def test_a_warning_needs_confirmation_which_is_audited(setting: Setting) -> None:
    consultation = setting.open()
    with pytest.raises(ValidationError) as warned:
        comment_add(consultation=consultation, author=setting.community, text=WARNED)
    assert "confirm" in warned.value.message_dict["text"][0]
    comment_add(
        consultation=consultation, author=setting.community, text=WARNED, pii_confirmed=True
    )
    [entry] = entries(object_type="comment")
    assert "PII warnings confirmed" in entry.detail


def test_managers_answer_and_the_author_is_told(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    mail.outbox.clear()
    answer = comment_answer(comment=comment, author=setting.manager, text=ANSWER)
    assert (answer.text, answer.answered_by) == (ANSWER, setting.manager)
    [message] = mail.outbox
    assert message.to == ["union@community.example"]
    assert ANSWER not in message.body
    assert COMMENT not in message.body
    [entry] = entries(object_type="answer")
    assert entry.action == Action.CREATE


@pytest.mark.parametrize("role", ["community", "liaison", "researcher", "other_manager"])
def test_only_managers_answer(setting: Setting, role: str) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    with pytest.raises(PermissionDenied):
        comment_answer(comment=comment, author=setting.world.users[role], text=ANSWER)
    assert not Answer.objects.exists()


def test_rewording_an_answer_keeps_the_earlier_wording(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    comment_answer(comment=comment, author=setting.manager, text=ANSWER)
    with pytest.raises(ValidationError):
        comment_answer(comment=comment, author=setting.manager, text=ANSWER)
    comment_answer(comment=comment, author=setting.manager, text=REWORDED)
    assert list(comment.answers.values_list("text", flat=True)) == [ANSWER, REWORDED]
    assert [e.action for e in entries(object_type="answer")] == [Action.CREATE, Action.UPDATE]


def test_the_answer_passes_the_pii_guard(setting: Setting) -> None:
    consultation = setting.open()
    comment = comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    with pytest.raises(ValidationError, match="phone number"):
        comment_answer(comment=comment, author=setting.manager, text=REFUSED)


def test_a_manager_extends_the_closing_day_to_a_later_one(setting: Setting) -> None:
    consultation = setting.open(days=5)
    today = setting.world.site.today()
    for refused_day in (today + timedelta(days=5), today + timedelta(days=91)):
        with pytest.raises(ValidationError) as refused:
            consultation_extend(
                consultation=consultation, closes_on=refused_day, actor=setting.manager
            )
        assert "closes_on" in refused.value.message_dict
    extended = consultation_extend(
        consultation=consultation, closes_on=today + timedelta(days=30), actor=setting.manager
    )
    assert extended.closes_on == today + timedelta(days=30)
    [entry] = entries(object_type="consultation", action=Action.UPDATE)
    assert entry.fields == ["closes_on"]


def test_a_closed_consultation_cannot_be_extended_or_closed_again(setting: Setting) -> None:
    consultation = setting.open()
    consultation_close(consultation=consultation, actor=setting.manager)
    with pytest.raises(ValidationError, match="closed already"):
        consultation_extend(
            consultation=consultation,
            closes_on=consultation.closes_on + timedelta(days=1),
            actor=setting.manager,
        )
    with pytest.raises(ValidationError, match="closed already"):
        consultation_close(consultation=consultation, actor=setting.manager)


def test_a_comment_is_not_kept_without_its_audit_entry(setting: Setting) -> None:
    consultation = setting.open()
    lost = DatabaseError("server closed the connection unexpectedly")
    with (
        mock.patch("agreements.audit.AuditEntry.objects.create", side_effect=lost),
        pytest.raises(DatabaseError),
    ):
        comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    assert not Comment.objects.exists()


def test_the_rules_read_the_closing_day_at_the_site() -> None:
    day = date(2026, 6, 1)
    assert rules.is_open(closed=False, closes_on=day, protocol_status="draft", today=day)
    assert not rules.is_open(
        closed=False, closes_on=day, protocol_status="draft", today=day + timedelta(days=1)
    )
    assert not rules.is_open(closed=False, closes_on=day, protocol_status="signed", today=day)
    assert not rules.is_open(closed=True, closes_on=day, protocol_status="draft", today=day)
    assert rules.closes_soon(day + timedelta(days=6), day)
    assert not rules.closes_soon(day + timedelta(days=7), day)


def test_a_draft_the_community_commented_on_is_not_deleted(setting: Setting) -> None:
    from agreements.services import record_delete

    consultation = setting.open()
    comment_add(consultation=consultation, author=setting.community, text=COMMENT)
    with pytest.raises(ValidationError, match="commented on this version"):
        record_delete(instance=setting.draft, actor=setting.manager)
    assert Comment.objects.count() == 1
    # A draft opened but never commented on may still go, with its empty consultation.
    other = setting.draft.__class__.objects.create(
        site=setting.world.site, version=3, created_on=setting.world.site.today()
    )
    consultation_open(protocol=other, closes_on=setting.world.site.today(), actor=setting.manager)
    record_delete(instance=other, actor=setting.manager)
    assert Consultation.objects.count() == 1
