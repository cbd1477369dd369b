"""API endpoints of the `score_replies` app (SPEC §7): the police service's reply to a
site's scorecard for a complete month.

`GET` lists the site's replies for those who read what police see (admins, the site's
managers, its liaisons); researchers are answered 403 (the site is theirs to see, its
replies are not), another site's manager 404. `POST {"month": "YYYY-MM", "text": …}` by
the site's liaison writes the reply (201) or re-words it (200; every wording is kept).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from agreements.access import Permission, site_access
from api.records import ERRORS, WRITE_ERRORS
from api.schemas import Confirmable, caller
from score_replies.models import ScoreReply
from score_replies.selectors import READ_PERMISSION, replies_of
from score_replies.services import score_reply_write

router = Router(tags=["score-replies"])


class ScoreReplyIn(Confirmable):
    month: str = Field(
        ...,
        description="YYYY-MM: a month complete at the site (its last day has ended in the "
        "site's time zone), not before the site opened.",
        examples=["2026-05"],
    )
    text: str = Field(
        ...,
        description="The police service's words, printed beside the site's score. "
        "Never describe or name clients.",
    )


class ScoreReplyOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    text: str
    service: str | None = Field(..., description="The police service of the officer who wrote it.")
    updated_at: datetime = Field(..., description="When the current wording was written.")
    versions: int = Field(..., description="How many wordings are kept (1 for an unchanged reply).")

    @staticmethod
    def resolve_month(obj: ScoreReply) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_service(obj: ScoreReply) -> str | None:
        return obj.service.name if obj.service else None

    @staticmethod
    def resolve_versions(obj: ScoreReply) -> int:
        count: int = getattr(obj, "version_count", None) or obj.versions.count()
        return count


@router.get(
    "/sites/{slug}/score-replies",
    response={200: list[ScoreReplyOut], **ERRORS},
    summary="The police service's replies to the site's monthly scorecards, newest month "
    "first (admins, managers, liaisons)",
)
def list_score_replies(request: HttpRequest, slug: str) -> list[ScoreReply]:
    site = site_access(caller(request), slug, READ_PERMISSION).site
    return list(replies_of(site))


@router.post(
    "/sites/{slug}/score-replies",
    response={200: ScoreReplyOut, 201: ScoreReplyOut, **WRITE_ERRORS},
    summary="Write (201) or re-word (200) the reply to a complete month's scorecard "
    "(the site's liaison)",
)
def write_score_reply(request: HttpRequest, slug: str, payload: ScoreReplyIn) -> Status[Any]:
    """Validated like the page (the PII guard with `pii_confirmed`, the month's rules: 422
    naming `month` or `text`), audited, and the site's managers are e-mailed a link."""
    site = site_access(caller(request), slug, Permission.ACT_AS_LIAISON).site
    reply, created = score_reply_write(
        site=site,
        month=payload.month,
        text=payload.text,
        actor=caller(request),
        pii_confirmed=payload.pii_confirmed,
    )
    shown = replies_of(site).get(pk=reply.pk)
    return Status(201 if created else 200, shown)
