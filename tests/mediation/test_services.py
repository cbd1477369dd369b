"""The thread's services without a page: validation, the PII guard, the hour rule, the
audit entries and the e-mail notices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from agreements.audit import Action, AuditEntry
from agreements.sharing import interaction_unshare
from mediation.models import SharedThread, ThreadReply
from mediation.services import thread_open, thread_reply_post, thread_status_set
from tests.mediation.fixtures import (
    OUTCOME,
    POLICE_REPLY,
    REFUSED,
    SITE_REPLY,
    SUMMARY,
    WARNED,
    Mediation,
    share,
)

pytestmark = pytest.mark.django_db


def test_a_reply_is_audited_by_field_name_never_by_text(mediation: Mediation) -> None:
    reply = thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                              author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    entry = AuditEntry.objects.get(object_type="threadreply", object_id=str(reply.pk))
    assert (entry.action, entry.fields, entry.actor) == (Action.CREATE, ["text"], "liaison-all")
    assert entry.site_id == mediation.world.site.pk
    assert not AuditEntry.objects.filter(detail__contains="Reply-police").exists()


def test_the_pii_guard_refuses_an_identifier_in_a_reply_naming_the_field(
    mediation: Mediation,
) -> None:
    with pytest.raises(ValidationError) as refused:
        thread_reply_post(thread=mediation.thread, author=mediation.manager,
                          author_role="manager", text=REFUSED, pii_confirmed=True)  # fmt: skip
    assert "text" in refused.value.message_dict
    assert not ThreadReply.objects.exists()


def test_a_warning_needs_confirmation_and_the_confirmation_is_audited(
    mediation: Mediation,
) -> None:
    with pytest.raises(ValidationError) as warned:
        thread_reply_post(thread=mediation.thread, author=mediation.manager,
                          author_role="manager", text=WARNED)  # fmt: skip
    assert "text" in warned.value.message_dict
    reply = thread_reply_post(thread=mediation.thread, author=mediation.manager,
                              author_role="manager", text=WARNED, pii_confirmed=True)  # fmt: skip
    entry = AuditEntry.objects.get(object_type="threadreply", object_id=str(reply.pk))
    assert "PII warnings confirmed: text (description)" in entry.detail


def test_police_cannot_reply_once_the_interaction_is_unshared(mediation: Mediation) -> None:
    interaction_unshare(interaction=mediation.interaction, actor=mediation.manager)
    with pytest.raises(ValidationError):
        thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                          author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    # The site keeps its thread, and may still write in it.
    thread_reply_post(thread=mediation.thread, author=mediation.manager,
                      author_role="manager", text=SITE_REPLY)  # fmt: skip
    assert ThreadReply.objects.count() == 1


def test_resolving_needs_an_outcome_and_changes_nothing_without_it(mediation: Mediation) -> None:
    with pytest.raises(ValidationError) as refused:
        thread_status_set(thread=mediation.thread, status="resolved", outcome="",
                          actor=mediation.manager)  # fmt: skip
    assert list(refused.value.message_dict) == ["outcome"]
    assert SharedThread.objects.get().status == "open"
    with pytest.raises(ValidationError) as unknown:
        thread_status_set(thread=mediation.thread, status="closed", actor=mediation.manager)
    assert list(unknown.value.message_dict) == ["status"]


def test_resolving_keeps_the_hour_who_and_the_outcome_and_is_audited(
    mediation: Mediation,
) -> None:
    with time_machine.travel(datetime(2026, 7, 2, 15, 47, tzinfo=UTC), tick=False):
        thread = thread_status_set(thread=mediation.thread, status="resolved",
                                   outcome=OUTCOME, actor=mediation.manager)  # fmt: skip
    thread.refresh_from_db()
    assert (thread.status, thread.outcome, thread.resolved_by) == (
        "resolved",
        OUTCOME,
        mediation.manager,
    )
    assert thread.resolved_at == datetime(2026, 7, 2, 15, tzinfo=UTC)
    entry = AuditEntry.objects.filter(object_type="sharedthread", action=Action.UPDATE).get()
    assert entry.fields == ["outcome", "status"]
    assert entry.at == datetime(2026, 7, 2, 15, tzinfo=UTC)  # kept to the hour
    assert "Outcome-88f0" not in entry.detail


def test_a_reply_reopens_a_resolved_thread_and_keeps_its_outcome(mediation: Mediation) -> None:
    thread_status_set(thread=mediation.thread, status="resolved", outcome=OUTCOME,
                      actor=mediation.manager)  # fmt: skip
    thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                      author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    thread = SharedThread.objects.get()
    assert (thread.status, thread.resolved_at, thread.outcome) == ("open", None, OUTCOME)


def test_replies_are_kept_to_the_hour_and_ordered_by_id(mediation: Mediation) -> None:
    with time_machine.travel(datetime(2026, 7, 2, 15, 47, tzinfo=UTC), tick=False):
        first = thread_reply_post(thread=mediation.thread, author=mediation.manager,
                                  author_role="manager", text=SITE_REPLY)  # fmt: skip
    with time_machine.travel(datetime(2026, 7, 2, 15, 5, tzinfo=UTC), tick=False):
        second = thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                                   author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    stored = list(ThreadReply.objects.values_list("pk", "posted_at"))
    hour = datetime(2026, 7, 2, 15, tzinfo=UTC)
    assert stored == [(first.pk, hour), (second.pk, hour)]
    at = set(AuditEntry.objects.filter(object_type="threadreply").values_list("at", flat=True))
    assert at == {hour}


def test_sharing_again_after_an_unshare_brings_back_the_same_thread(mediation: Mediation) -> None:
    thread_reply_post(thread=mediation.thread, author=mediation.manager,
                      author_role="manager", text=SITE_REPLY)  # fmt: skip
    interaction_unshare(interaction=mediation.interaction, actor=mediation.manager)
    again = share(mediation.interaction, mediation.manager, SUMMARY)
    assert again.pk == mediation.thread.pk
    assert again.replies.count() == 1
    assert thread_open(interaction=mediation.interaction, actor=None).pk == again.pk


def test_the_other_side_is_emailed_a_link_and_never_the_text(mediation: Mediation) -> None:
    mail.outbox.clear()
    thread_reply_post(thread=mediation.thread, author=mediation.manager,
                      author_role="manager", text=SITE_REPLY)  # fmt: skip
    assert [m.to for m in mail.outbox] == [["liaison@police.example"]]
    thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                      author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    thread_status_set(thread=mediation.thread, status="resolved", outcome=OUTCOME,
                      actor=mediation.manager)  # fmt: skip
    assert [m.to for m in mail.outbox] == [
        ["liaison@police.example"],
        ["manager@site.example"],
        ["liaison@police.example"],
    ]
    path = f"/sites/riverside/shared/{mediation.thread.pk}/"
    for message in mail.outbox:
        text = message.subject + message.body
        assert path in message.body
        assert "Riverside Health Hub" in text
        for secret in ("Reply-site", "Reply-police", "Outcome-88f0", "Summary-5c1d",
                       "Narrative-e29a", "manager-riverside", "liaison-all"):  # fmt: skip
            assert secret not in text
        assert "Le français suit" in message.body
    notices = AuditEntry.objects.filter(action=Action.NOTIFY, object_type="sharedthread")
    assert notices.count() == 3
    assert not notices.filter(detail__contains="@").exists()


def test_police_of_a_site_refusing_police_accounts_get_no_notice(mediation: Mediation) -> None:
    site = mediation.world.site
    site.police_accounts = False
    site.save()
    mail.outbox.clear()
    thread_reply_post(thread=mediation.thread, author=mediation.manager,
                      author_role="manager", text=SITE_REPLY)  # fmt: skip
    assert mail.outbox == []


def test_sharing_by_any_path_opens_the_thread(mediation: Mediation) -> None:
    """The sharing service itself opens the thread (not only the share page): a share made
    by the API or a command is a thread police can answer."""
    from agreements.sharing import interaction_share
    from tests.factories import InteractionFactory

    interaction = InteractionFactory(site=mediation.world.site)
    interaction_share(interaction=interaction, summary=SUMMARY, actor=mediation.manager)
    thread = SharedThread.objects.get(interaction=interaction)
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="sharedthread", object_id=str(thread.pk)
    ).exists()
