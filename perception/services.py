"""Every write of the self-assessment: opening a round, answering it, closing it.

Each runs in one transaction with the site locked, validates with `full_clean()` (the
PII guard on comments included) and writes its audit entry, which names fields only:
never a rating, never a comment's text. Pages, the API and the admin all come here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import audit
from agreements.access import roles_by_site
from agreements.audit import Action
from agreements.models import Site
from agreements.pii_guard import site_roster
from agreements.services import _lock_site
from agreements.types import Actor
from perception.independence import respondent_side
from perception.instrument import CURRENT, rating_refusals, statements
from perception.models import SelfAssessmentRating, SelfAssessmentResponse, SelfAssessmentRound

# Rounds last from a day to a year: a quarterly round is the expected rhythm.
LONGEST_ROUND_DAYS = 366

ONE_OPEN_ROUND = _(
    "A round is already open at this site (until %(day)s): close it before opening another."
)
CLOSING_DAY = _("Choose a closing day from today to a year from today.")
NOT_A_RESPONDENT = _(
    "Only the site's managers and its police liaison officers answer a self-assessment."
)
ROUND_CLOSED = _("This round is closed: it takes no more answers.")
ANSWERED_ALREADY = _("You have answered this round already; each person answers once.")
CLOSED_ALREADY = _("This round is closed already.")


@dataclass(frozen=True)
class AnswerIn:
    statement: str
    rating: int  # 1 to 5: checked here, whatever the caller sent
    comment: str = ""


def open_round_of(site: Site) -> SelfAssessmentRound | None:
    """The site's round open today (at most one: `round_open` keeps it so)."""
    today = site.today()
    return (
        SelfAssessmentRound.objects.filter(site=site, closed_on__isnull=True, closes_on__gte=today)
        .order_by("-opened_on", "-id")
        .first()
    )


def round_open(*, site: Site, closes_on: object, actor: Actor) -> SelfAssessmentRound:
    """Open a round of the current instrument, answerable until `closes_on` (inclusive,
    at the site). One round is open at a time, so that each side answers the same round.
    Callers check that the actor manages the site."""
    with transaction.atomic():
        _lock_site(site.pk)
        today = site.today()
        if not isinstance(closes_on, type(today)) or not (
            today <= closes_on <= today + timedelta(days=LONGEST_ROUND_DAYS)
        ):
            raise ValidationError({"closes_on": CLOSING_DAY})
        current = open_round_of(site)
        if current is not None:
            raise ValidationError(ONE_OPEN_ROUND % {"day": current.closes_on})
        round_ = SelfAssessmentRound(
            site=site,
            instrument=CURRENT,
            opened_by=actor if actor is not None and actor.is_authenticated else None,
            opened_on=today,
            closes_on=closes_on,
        )
        round_.full_clean()
        round_.save()
        audit.record(Action.CREATE, actor=actor, site=site, obj=round_,
                     fields=["closes_on"], detail="self-assessment round opened")  # fmt: skip
    return round_


def round_close(*, round_: SelfAssessmentRound, actor: Actor) -> SelfAssessmentRound:
    """Close a round before its last day: it takes no more answers, and both sides see
    both sides' answers. Callers check that the actor manages the site."""
    with transaction.atomic():
        _lock_site(round_.site_id)
        stored = SelfAssessmentRound.objects.select_related("site").get(pk=round_.pk)
        today = stored.site.today()
        if stored.is_closed(today):
            raise ValidationError(CLOSED_ALREADY)
        stored.closed_on = today
        stored.full_clean()
        stored.save(update_fields=["closed_on"])
        audit.record(Action.UPDATE, actor=actor, site=stored.site, obj=stored,
                     fields=["closed_on"], detail="self-assessment round closed")  # fmt: skip
    return stored


def response_submit(
    *,
    round_: SelfAssessmentRound,
    actor: Actor,
    answers: Sequence[AnswerIn],
    pii_confirmed: bool = False,
) -> SelfAssessmentResponse:
    """Record `actor`'s answer to a round, for the side their role at the site gives
    them (PermissionDenied for anyone who answers for neither side). Every statement of
    the round's instrument is rated once; comments pass the PII guard, whose warnings
    `pii_confirmed` confirms. Errors are keyed `rating_<statement>`,
    `comment_<statement>` or `answers`."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(NOT_A_RESPONDENT)
    site = round_.site
    side = respondent_side(roles_by_site(actor).get(site.pk, frozenset()))
    if side is None:
        raise PermissionDenied(NOT_A_RESPONDENT)
    with transaction.atomic():
        _lock_site(site.pk)
        stored = SelfAssessmentRound.objects.get(pk=round_.pk)
        if stored.is_closed(site.today()):
            raise ValidationError(ROUND_CLOSED)
        if SelfAssessmentResponse.objects.filter(round=stored, respondent=actor).exists():
            raise ValidationError(ANSWERED_ALREADY)
        errors: dict[str, list[Any]] = {
            key: [message]
            for key, message in rating_refusals(
                stored.instrument, [(a.statement, a.rating) for a in answers]
            ).items()
        }
        known = {s.key for s in statements(stored.instrument)}
        roster = site_roster(site.pk)  # the guard's allowed names, looked up once
        rows = []
        for answer in answers:
            if answer.statement not in known or f"rating_{answer.statement}" in errors:
                continue
            row = SelfAssessmentRating(
                statement=answer.statement, rating=answer.rating, comment=answer.comment
            )
            row.site_id_for_guard = site.pk  # type: ignore[attr-defined]
            row.pii_officers = roster
            row.pii_confirmed = pii_confirmed
            try:
                row.full_clean(exclude=["response"], validate_unique=False)
            except ValidationError as error:
                # The errors themselves, with their codes: a PII warning is told apart by it.
                for field, items in error.error_dict.items():
                    errors.setdefault(f"{field}_{answer.statement}", []).extend(items)
            rows.append(row)
        if errors:
            raise ValidationError(errors)
        response = SelfAssessmentResponse(
            round=stored, side=side, respondent=actor, submitted_at=timezone.now()
        )
        response.full_clean()
        response.save()
        for row in rows:
            row.response = response
        SelfAssessmentRating.objects.bulk_create(rows)
        response.pii_confirmed_warnings = {  # type: ignore[attr-defined]
            f"comment_{row.statement}": kinds
            for row in rows
            for kinds in row.pii_confirmed_warnings.values()
        }
        fields = ["rating"] + (["comment"] if any(row.comment for row in rows) else [])
        audit.record(Action.CREATE, actor=actor, site=site, obj=response, fields=fields,
                     detail=f"self-assessment answer, {side} side")  # fmt: skip
    return response
