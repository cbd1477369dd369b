"""score_reply_write: who may write, which months, versions kept, the PII guard, the audit
entry (names, never the text) and the managers' e-mail (a link and the month only)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.audit import Action, AuditEntry
from agreements.choices import Role
from score_replies.models import ScoreReply, ScoreReplyVersion
from score_replies.services import score_reply_write
from tests.conftest import World, make_user
from tests.factories import AssignmentFactory, OfficerFactory, PoliceServiceFactory, SiteFactory
from tests.score_replies.conftest import REPLY, REWORDED

pytestmark = pytest.mark.django_db


def write(world: World, text: str = REPLY, month: str = "2026-05", **kwargs: Any) -> Any:
    return score_reply_write(
        site=world.site, month=month, text=text, actor=world.users["liaison"], **kwargs
    )


def test_it_writes_the_reply_with_the_officers_service_and_a_first_version(world: World) -> None:
    reply, created = write(world)
    assert created
    assert (reply.month, reply.text) == (date(2026, 5, 1), REPLY)
    assert reply.author.badge_number == "4411"
    assert reply.service == reply.author.service
    [version] = reply.versions.all()
    assert (version.number, version.text, version.author) == (1, REPLY, reply.author)


def test_every_edit_appends_a_version_and_nothing_is_deleted(world: World) -> None:
    write(world)
    reply, created = write(world, REWORDED)
    assert not created
    assert reply.text == REWORDED
    assert list(reply.versions.values_list("number", "text")) == [(2, REWORDED), (1, REPLY)]
    assert ScoreReply.objects.count() == 1


def test_the_same_text_again_changes_nothing(world: World) -> None:
    write(world)
    before = AuditEntry.objects.count()
    _reply, created = write(world, f"  {REPLY}  ")
    assert not created
    assert ScoreReplyVersion.objects.count() == 1
    assert AuditEntry.objects.count() == before


def test_one_reply_per_site_and_month(world: World) -> None:
    write(world)
    write(world, month="2026-04")
    assert set(ScoreReply.objects.values_list("month", flat=True)) == {
        date(2026, 5, 1),
        date(2026, 4, 1),
    }


@pytest.mark.parametrize(
    "month",
    ["2026-06", "2026-07", "2019-12", "1989-01", "2026-13", "May 2026", "", "2026-05-01"],
)
def test_a_month_not_complete_before_the_opening_or_absurd_is_refused(
    world: World, month: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        write(world, month=month)
    assert list(refused.value.message_dict) == ["month"]
    assert not ScoreReply.objects.exists()
    assert not AuditEntry.objects.filter(object_type="scorereply").exists()


def test_a_planned_site_has_no_month_to_reply_to(world: World) -> None:
    planned = SiteFactory(slug="planned", status="planned", opened_on=None)
    officer = world.users["liaison"].liaison_officer  # type: ignore[union-attr]
    AssignmentFactory(officer=officer, site=planned, role="backup")
    with pytest.raises(ValidationError) as refused:
        score_reply_write(site=planned, month="2026-05", text=REPLY, actor=world.users["liaison"])
    assert "month" in refused.value.message_dict


def test_only_an_officer_assigned_to_the_site_today_may_write(world: World) -> None:
    for actor in (world.users["manager"], world.users["admin"], world.users["researcher"]):
        with pytest.raises(PermissionDenied):
            score_reply_write(site=world.site, month="2026-05", text=REPLY, actor=actor)
    # A liaison of the other site only.
    other = make_user(Role.LIAISON, username="liaison-east")
    AssignmentFactory(officer=OfficerFactory(user=other), site=world.other_site)
    with pytest.raises(PermissionDenied):
        score_reply_write(site=world.site, month="2026-05", text=REPLY, actor=other)
    # An assignment that ended yesterday.
    ended = make_user(Role.LIAISON, username="liaison-ended")
    AssignmentFactory(officer=OfficerFactory(user=ended), site=world.site, role="backup",
                      start=date(2025, 1, 1), end=date(2026, 6, 9))  # fmt: skip
    with pytest.raises(PermissionDenied):
        score_reply_write(site=world.site, month="2026-05", text=REPLY, actor=ended)
    assert not ScoreReply.objects.exists()


def test_a_site_that_refuses_police_accounts_takes_no_reply_from_an_account(world: World) -> None:
    world.site.police_accounts = False
    world.site.save()
    with pytest.raises(PermissionDenied):
        write(world)


def test_the_service_is_the_authors_at_the_time(world: World) -> None:
    reply, _ = write(world)
    officer = reply.author
    officer.service = PoliceServiceFactory(name="Regional Police")
    officer.save()
    reply.refresh_from_db()
    assert reply.service.name == "Lakeport Police Service"


def test_identifiers_are_refused_and_warnings_need_confirmation(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        write(world, "Call us at 416-555-0199 about this month.")
    assert list(refused.value.message_dict) == ["text"]
    warned = "We saw the man with the spiderweb tattoo near the door."
    with pytest.raises(ValidationError):
        write(world, warned)
    assert not ScoreReply.objects.exists()
    _reply, _ = write(world, warned, pii_confirmed=True)
    entry = AuditEntry.objects.get(object_type="scorereply", action=Action.CREATE)
    assert "PII warnings confirmed: text" in entry.detail
    assert warned not in entry.detail


def test_unstorable_or_overlong_text_names_the_field(world: World) -> None:
    for text in ("nul \x00 here", "lone \ud800 surrogate", "x" * 4001, "   "):
        with pytest.raises(ValidationError) as refused:
            write(world, text)
        assert list(refused.value.message_dict) == ["text"], text


def test_the_audit_names_fields_never_the_text(world: World) -> None:
    world.users["manager"].email = "manager@example.org"  # type: ignore[union-attr]
    world.users["manager"].save()  # type: ignore[union-attr]
    write(world)
    write(world, REWORDED)
    entries = AuditEntry.objects.filter(object_type="scorereply").order_by("id")
    assert [(e.action, e.fields) for e in entries] == [
        (Action.CREATE, ["month", "text"]),
        (Action.NOTIFY, []),
        (Action.UPDATE, ["text"]),
        (Action.NOTIFY, []),
    ]
    for entry in entries:
        assert "Reply-5e1d" not in entry.detail
        assert entry.actor == world.users["liaison"].username  # type: ignore[union-attr]


def test_the_managers_are_emailed_a_link_and_the_month_never_the_text(world: World) -> None:
    manager = world.users["manager"]
    manager.email = "manager@example.org"  # type: ignore[union-attr]
    manager.save()  # type: ignore[union-attr]
    other = world.users["other_manager"]
    other.email = "other@example.org"  # type: ignore[union-attr]
    other.save()  # type: ignore[union-attr]
    write(world)
    [message] = mail.outbox
    assert message.to == ["manager@example.org"]
    assert "May 2026" in message.subject
    assert "mai 2026" in message.subject
    assert "/sites/riverside/score/?as_of=2026-05-31" in message.body
    assert "/sites/riverside/score-replies/?month=2026-05" in message.body
    assert "Reply-5e1d" not in message.body + message.subject
    notice = AuditEntry.objects.get(action=Action.NOTIFY)
    assert "manager@example.org" not in notice.detail


def test_a_failed_email_keeps_the_reply(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.users["manager"].email = "manager@example.org"  # type: ignore[union-attr]
    world.users["manager"].save()  # type: ignore[union-attr]

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    reply, created = write(world)
    assert created
    assert ScoreReply.objects.filter(pk=reply.pk).exists()
    assert not AuditEntry.objects.filter(action=Action.NOTIFY).exists()
