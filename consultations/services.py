"""Every write of a consultation: open it, extend or close it, comment, answer.

Each runs in one transaction with the site locked (so that two managers cannot open the
same version twice, nor a comment slip in as a consultation closes), validates with
`full_clean()` (the PII guard included), writes its audit entry (field names, never the
text) and e-mails a link to those concerned (consultations/notify.py). Pages, the API and
the hook run when a version is signed call these and nothing else.

Who may act is checked here too, whatever the caller: the site's community body comments,
its managers (and network administrators) open, extend, close and answer.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements import audit
from agreements.access import GRANTS, Permission, roles_by_site
from agreements.audit import Action
from agreements.models import Protocol
from agreements.services import _lock_site
from agreements.types import Actor
from consultations import rules
from consultations.models import Answer, ClosedReason, Comment, Consultation
from consultations.notify import ANSWERED, COMMENTED, OPENED, notify


def open_consultation_of(protocol: Protocol) -> Consultation | None:
    """The version's consultation open today, if any (at most one: `consultation_open`
    keeps it so)."""
    today = protocol.site.today()
    rows = Consultation.objects.filter(
        protocol=protocol, closed_at__isnull=True, closes_on__gte=today
    ).order_by("-id")
    found = rows.first()
    if found is not None:
        found.protocol, found.site = protocol, protocol.site
    return found if found is not None and found.is_open(today) else None


def consultation_open(*, protocol: Protocol, closes_on: object, actor: Actor) -> Consultation:
    """Open a draft or negotiating version to the site's community body until
    `closes_on` (inclusive, at the site; today to 90 days ahead). A version has one open
    consultation at a time; once one has closed, another may be opened."""
    site = protocol.site
    _require(actor, site.pk, Permission.MANAGE, rules.MANAGERS_ONLY)
    with transaction.atomic():
        _lock_site(site.pk)
        stored = Protocol.objects.select_related("site").get(pk=protocol.pk)
        today = site.today()
        if not site.community_oversight:
            raise ValidationError(rules.NO_OVERSIGHT)
        if stored.status not in rules.CONSULTABLE:
            raise ValidationError(rules.NOT_CONSULTABLE)
        if (refusal := rules.closing_day_refusal(closes_on, today)) is not None:
            raise ValidationError({"closes_on": refusal})
        current = open_consultation_of(stored)
        if current is not None:
            raise ValidationError(rules.ALREADY_OPEN % {"day": current.closes_on})
        consultation = Consultation(
            site=site,
            protocol=stored,
            opened_by=_user(actor),
            closes_on=closes_on,  # type: ignore[misc]  # a date: closing_day_refusal checked
            opened_at=timezone.now(),
        )
        consultation.full_clean()
        consultation.save()
        audit.record(
            Action.CREATE,
            actor=actor,
            site=site,
            obj=consultation,
            fields=["closes_on"],
            detail=f"consultation opened on protocol version {stored.version}",
        )
        notify(consultation=consultation, event=OPENED, actor=actor)
    return consultation


def consultation_extend(
    *, consultation: Consultation, closes_on: object, actor: Actor
) -> Consultation:
    """Move an open consultation's closing day later (at most 90 days from today)."""
    _require(actor, consultation.site_id, Permission.MANAGE, rules.MANAGERS_ONLY)
    with transaction.atomic():
        stored = _locked(consultation)
        today = stored.site.today()
        if not stored.is_open(today):
            raise ValidationError(rules.CLOSED_ALREADY)
        refusal = rules.extension_refusal(closes_on, stored.closes_on, today)
        if refusal is not None:
            raise ValidationError({"closes_on": refusal})
        before = stored.closes_on
        stored.closes_on = closes_on  # type: ignore[assignment]
        stored.full_clean()
        stored.save(update_fields=["closes_on"])
        audit.record(
            Action.UPDATE,
            actor=actor,
            site=stored.site,
            obj=stored,
            fields=["closes_on"],
            detail=f"consultation extended from {before} to {closes_on}",
        )
    return stored


def consultation_close(
    *, consultation: Consultation, actor: Actor, reason: str = rules.BY_MANAGER
) -> Consultation:
    """Close an open consultation now: it takes no more comments; managers may still
    answer those it received."""
    if reason == rules.BY_MANAGER:
        _require(actor, consultation.site_id, Permission.MANAGE, rules.MANAGERS_ONLY)
    with transaction.atomic():
        stored = _locked(consultation)
        if stored.closed_at is not None or stored.closes_on < stored.site.today():
            raise ValidationError(rules.CLOSED_ALREADY)
        stored.closed_at = timezone.now()
        stored.closed_by = _user(actor)
        stored.closed_reason = ClosedReason(reason)
        stored.full_clean()
        stored.save(update_fields=["closed_at", "closed_by", "closed_reason"])
        audit.record(
            Action.UPDATE,
            actor=actor,
            site=stored.site,
            obj=stored,
            fields=["closed_at"],
            detail=f"consultation closed ({reason})",
        )
    return stored


def close_after_sign(protocol: Protocol, actor: Actor) -> None:
    """Registered with agreements.services: signing a version closes its consultation
    (inside the signing transaction). The version stays readable to the community body
    with its comments and answers."""
    rows = Consultation.objects.filter(protocol=protocol, closed_at__isnull=True)
    for consultation in rows.filter(closes_on__gte=protocol.site.today()):
        consultation_close(consultation=consultation, actor=actor, reason=rules.BY_SIGNING)


def comment_add(
    *, consultation: Consultation, author: Actor, text: str, pii_confirmed: bool = False
) -> Comment:
    """The community body's comment on an open consultation; the site's managers are
    e-mailed a link."""
    _require(author, consultation.site_id, Permission.ACT_AS_COMMUNITY, rules.COMMUNITY_ONLY)
    with transaction.atomic():
        stored = _locked(consultation)
        if not stored.is_open():
            raise ValidationError(rules.CLOSED_NOW)
        comment = Comment(consultation=stored, author=_user(author), text=text)
        comment.pii_confirmed = pii_confirmed
        comment.full_clean()
        comment.save()
        audit.record(
            Action.CREATE,
            actor=author,
            site=stored.site,
            obj=comment,
            fields=["text"],
            detail=f"comment in consultation {stored.pk}",
            hourly=True,  # the comment is kept to the hour (models.py): so is its entry
        )
        notify(consultation=stored, event=COMMENTED, actor=author)
    return comment


def comment_answer(
    *, comment: Comment, author: Actor, text: str, pii_confirmed: bool = False
) -> Answer:
    """The managers' answer to a comment, or a new wording of it (the earlier wording is
    kept: consultations/models.py). Allowed after the consultation closed: the comments
    it received still deserve an answer. The comment's author is e-mailed a link."""
    consultation = comment.consultation
    _require(author, consultation.site_id, Permission.MANAGE, rules.MANAGERS_ONLY)
    with transaction.atomic():
        stored = _locked(consultation)
        current = Answer.objects.filter(comment=comment).order_by("-id").first()
        if current is not None and current.text == text:
            raise ValidationError({"text": rules.SAME_ANSWER})
        answer = Answer(comment=comment, answered_by=_user(author), text=text)
        answer.comment.consultation = stored
        answer.pii_confirmed = pii_confirmed
        answer.full_clean()
        answer.save()
        edited = current is not None
        audit.record(
            Action.UPDATE if edited else Action.CREATE,
            actor=author,
            site=stored.site,
            obj=answer,
            fields=["text"],
            detail=f"{'new wording of the answer' if edited else 'answer'} to comment "
            f"{comment.pk} in consultation {stored.pk}",
            hourly=True,  # as the answer's own time
        )
        notify(consultation=stored, event=ANSWERED, actor=author, comment=comment)
    return answer


def _require(actor: Actor, site_id: int, permission: Permission, message: object) -> None:
    held = roles_by_site(actor).get(site_id, frozenset()) if actor is not None else frozenset()
    if not held & GRANTS[permission]:
        raise PermissionDenied(str(message))


def _locked(consultation: Consultation) -> Consultation:
    """The consultation as stored, with its site locked until the transaction ends."""
    _lock_site(consultation.site_id)
    return Consultation.objects.select_related("site", "protocol").get(pk=consultation.pk)


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None
