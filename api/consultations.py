"""API endpoints of the `consultations` app (SPEC §7): protocol versions opened to the
site's community body, its comments and the managers' answers.

Scoping is `consultations.selectors.consultation_site`, the pages' own: out of scope 404,
police and researchers 403 (they may see the site, never a consultation), anonymous 401.
Writes go through `consultations.services`, so the PII guard, the audit entry and the
e-mail notices apply as on the pages. The community body is not told which staff member
answered, nor (for comments other than its own) which of its accounts commented.

One POST for both sides of the conversation: the community body sends `{"text": …}` to
comment; a manager sends `{"answers": <comment id>, "text": …}` to answer a comment, or to
give its answer a new wording (the earlier wording is kept and listed).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from agreements.access import Permission, SiteAccess
from agreements.models import Protocol, ProtocolClause
from api.records import ERRORS, WRITE_ERRORS, _refuse_unstorable
from api.schemas import MAX_LIMIT, Confirmable, Pages, caller
from consultations import rules, services
from consultations.models import Answer, Comment, Consultation
from consultations.selectors import (
    clauses_readable,
    comments_of,
    consultation_get,
    consultation_site,
    consultations_of,
    open_first,
)

router = Router(tags=["consultations"])


class ClauseOut(Schema):
    topic: str
    text: str


class AnswerOut(Schema):
    text: str
    answered_at: datetime = Field(..., description="ISO 8601 at the site, kept to the hour.")
    answered_by: str | None = Field(
        ..., description="The manager's username, for the site's managers; null otherwise."
    )


class CommentOut(Schema):
    id: int = Field(..., description="The comment's id: a manager answers it with `answers`.")
    text: str
    posted_at: datetime = Field(..., description="ISO 8601 at the site, kept to the hour.")
    author: str | None = Field(
        ...,
        description="The community account's username, for the site's managers; null "
        "for the community body, which is told only which comments are its own (`mine`).",
    )
    mine: bool
    answer: AnswerOut | None = Field(..., description="The site's answer, null until given.")
    earlier_answers: list[AnswerOut] = Field(
        ..., description="Earlier wordings of the answer, oldest first (an answer edited)."
    )


class ConsultationOut(Schema):
    id: int
    version: int = Field(..., description="The protocol version open (or once open) for comments.")
    version_status: str = Field(..., description="`draft`, `negotiating`, `signed` or `ended`.")
    status: Literal["open", "closed"]
    opened_on: date = Field(..., description="The day it opened, at the site.")
    closes_on: date = Field(..., description="The last day to comment, at the site.")
    closed_on: date | None = Field(
        ..., description="The day a manager closed it early or the version was signed."
    )
    closed_reason: Literal["manager", "signed"] | None
    clauses: list[ClauseOut] = Field(
        ...,
        description="The version's clauses; empty for the community body once the "
        "consultation closed while the version is still unsigned (its text may have "
        "changed since).",
    )
    comments: list[CommentOut]


class ConsultationIn(Schema):
    version: int = Field(..., ge=1, description="A `draft` or `negotiating` version's number.")
    closes_on: date = Field(
        ...,
        description="YYYY-MM-DD: the last day to comment, at the site; today to 90 days ahead.",
    )


class CommentIn(Confirmable):
    text: str = Field(
        ...,
        description="The comment (community body) or the answer (managers). Never describe "
        "or name anyone who uses the site.",
    )
    answers: int | None = Field(
        None,
        description="Managers only: the id of the comment this text answers. Left out, the "
        "text is a comment, which only the community body may post.",
    )


def _answer_out(answer: Answer, site: Any, manager: bool) -> dict[str, Any]:
    by = answer.answered_by.get_username() if manager and answer.answered_by else None
    return {"text": answer.text, "answered_at": site.local(answer.answered_at), "answered_by": by}


def _comment_out(
    comment: Comment, site: Any, manager: bool, viewer_id: int | None
) -> dict[str, Any]:
    answer = getattr(comment, "answer", None)
    return {
        "id": comment.pk,
        "text": comment.text,
        "posted_at": site.local(comment.posted_at),
        "author": comment.author.get_username() if manager and comment.author else None,
        "mine": comment.author_id is not None and comment.author_id == viewer_id,
        "answer": _answer_out(answer, site, manager) if answer is not None else None,
        "earlier_answers": [_answer_out(a, site, manager) for a in getattr(comment, "earlier", [])],
    }


def _consultations_out(
    access: SiteAccess, rows: list[Consultation], viewer_id: int | None
) -> list[dict[str, Any]]:
    """Four queries, whatever the number of consultations: clauses and comments with
    their answers are read for all of them at once."""
    site = access.site
    manager = access.can(Permission.MANAGE)
    today = site.today()
    protocols = Protocol.objects.filter(pk__in={r.protocol_id for r in rows}).prefetch_related(
        Prefetch("clauses", queryset=ProtocolClause.objects.order_by("position", "id"))
    )
    clauses = {p.pk: list(p.clauses.all()) for p in protocols}
    answers = Answer.objects.select_related("answered_by").order_by("id")
    comments: dict[int, list[Comment]] = {}
    for comment in (
        Comment.objects.filter(consultation__in=rows)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("id")
    ):
        wordings = list(comment.answers.all())
        comment.answer = wordings[-1] if wordings else None  # type: ignore[attr-defined]
        comment.earlier = wordings[:-1]  # type: ignore[attr-defined]
        comments.setdefault(comment.consultation_id, []).append(comment)
    out = []
    for row in rows:
        row.site = site
        closed = not row.is_open(today)
        out.append(
            {
                "id": row.pk,
                "version": row.protocol.version,
                "version_status": row.protocol.status,
                "status": "closed" if closed else "open",
                "opened_on": site.local(row.opened_at).date(),
                "closes_on": row.closes_on,
                "closed_on": row.closing_day() if row.closed_at else None,
                "closed_reason": row.closed_reason or None,
                "clauses": [
                    {"topic": c.topic, "text": c.text} for c in clauses.get(row.protocol_id, [])
                ]
                if clauses_readable(row, is_open=not closed, manager=manager)
                else [],
                "comments": [
                    _comment_out(c, site, manager, viewer_id) for c in comments.get(row.pk, [])
                ],
            }
        )
    return out


@router.get(
    "/sites/{slug}/consultations",
    response={200: list[ConsultationOut], **ERRORS},
    summary="Protocol versions opened for the community body's comments, open ones first, "
    "with their clauses, comments and answers (the site's community body, managers and "
    "admins; police and researchers 403)",
)
@paginate(Pages, max_limit=MAX_LIMIT)
def list_consultations(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    access = consultation_site(caller(request), slug)
    rows = open_first(list(consultations_of(access.site)), access.site)
    return _consultations_out(access, rows, caller(request).pk)


@router.post(
    "/sites/{slug}/consultations",
    response={201: ConsultationOut, **WRITE_ERRORS},
    summary="Open a draft or negotiating version for the community body's comments "
    "(managers and admins; one open consultation per version)",
)
def open_consultation(request: HttpRequest, slug: str, payload: ConsultationIn) -> Status[Any]:
    """The community body is e-mailed a link. `{"version": 3, "closes_on": "2026-07-31"}`."""
    access = consultation_site(caller(request), slug)
    if not access.can(Permission.MANAGE):
        raise PermissionDenied(str(rules.MANAGERS_ONLY))
    protocol = Protocol.objects.filter(site=access.site, version=payload.version).first()
    if protocol is None:
        raise ValidationError({"version": "This site has no protocol version with this number."})
    created = services.consultation_open(
        protocol=protocol, closes_on=payload.closes_on, actor=caller(request)
    )
    row = consultation_get(access, created.pk)
    return Status(201, _consultations_out(access, [row], caller(request).pk)[0])


@router.post(
    "/sites/{slug}/consultations/{consultation_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    summary='Comment on an open consultation (the community body: `{"text": …}`), or '
    'answer a comment (managers and admins: `{"answers": <comment id>, "text": …}`); a '
    "link is e-mailed, never the text",
)
def post_comment(
    request: HttpRequest, slug: str, consultation_id: int, payload: CommentIn
) -> Status[Any]:
    """Validated by the PII guard (`pii_confirmed` for warnings). A closed consultation
    takes no comment (422); an answer may be given or reworded after it closed. Answers
    by anyone but the site's managers, and comments by anyone but its community body,
    are 403."""
    user = caller(request)
    access = consultation_site(user, slug)
    consultation = consultation_get(access, consultation_id)
    _refuse_unstorable({"text": payload.text})
    manager = access.can(Permission.MANAGE)
    if payload.answers is None:
        comment = services.comment_add(
            consultation=consultation,
            author=user,
            text=payload.text,
            pii_confirmed=payload.pii_confirmed,
        )
        answered_id = comment.pk
    else:
        if not manager:
            raise PermissionDenied(str(rules.MANAGERS_ONLY))
        target = Comment.objects.filter(consultation=consultation, pk=payload.answers).first()
        if target is None:
            raise ValidationError({"answers": "This consultation has no comment with this id."})
        target.consultation = consultation
        services.comment_answer(
            comment=target, author=user, text=payload.text, pii_confirmed=payload.pii_confirmed
        )
        answered_id = target.pk
    found = next(c for c in comments_of(consultation) if c.pk == answered_id)
    return Status(201, _comment_out(found, access.site, manager, user.pk))
