"""API endpoints of the `mediation` app (SPEC §7): the threads of interactions shared for
mediation, their replies and their status.

Scoping is `mediation.selectors.thread_access`, the pages' own: out of scope 404 (another
site, no such thread, and for police a thread whose interaction is no longer shared),
a role that may not 403 (researchers; police setting a status), anonymous 401. Writes go
through `mediation.services`, so the PII guard, the audit entry and the e-mail notices
apply as on the pages. Police callers never read the narrative, nor which staff member
replied: a reply of the site is `"author_role": "site"` to them, with `author` null.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from agreements.access import Permission, site_access
from agreements.models import Site
from api.records import ERRORS, WRITE_ERRORS, _refuse_unstorable
from api.schemas import MAX_LIMIT, Confirmable, Pages, caller
from mediation import rules
from mediation.models import SharedThread, ThreadReply, ThreadStatus
from mediation.selectors import (
    ThreadAccess,
    last_author_roles,
    replies_of,
    thread_access,
    threads_of,
)
from mediation.services import thread_reply_post, thread_status_set

router = Router(tags=["mediation"])

# The allowed values of `status`, listed in the OpenAPI document.
STATUSES: list[Any] = [*ThreadStatus.values]


class ReplyIn(Confirmable):
    text: str = Field(
        ..., description="The reply. Describe police conduct; never describe or name clients."
    )


class StatusIn(Confirmable):
    status: str = Field(..., json_schema_extra={"enum": STATUSES})
    outcome: str | None = Field(
        None,
        description="What was agreed or done; required to resolve (null keeps the one "
        "stored). Both sides read it.",
    )


class ReplyOut(Schema):
    id: int
    author_role: str = Field(
        ...,
        description="`manager`, `admin` or `liaison` to the site's managers; `site` or "
        "`liaison` to police, who are not told which staff member wrote.",
    )
    author: str | None = Field(..., description="The replier's username; null for police.")
    posted_at: datetime = Field(..., description="ISO 8601 at the site, kept to the hour.")
    text: str


class ThreadOut(Schema):
    id: int
    status: str = Field(..., json_schema_extra={"enum": STATUSES})
    outcome: str | None = Field(..., description="The outcome once resolved, else null.")
    resolved_at: datetime | None = Field(..., description="At the site, kept to the hour.")
    shared: bool = Field(..., description="Whether police see the thread now.")
    replies: list[ReplyOut]


class SharedOut(Schema):
    id: int = Field(..., description="The thread's id, for `/shared/{id}/replies`.")
    category: str
    day: date = Field(..., description="The interaction's day at the site.")
    distance_band: str
    summary: str | None = Field(..., description="The summary shared; null once unshared.")
    status: str = Field(..., json_schema_extra={"enum": STATUSES})
    waiting: bool = Field(..., description="Whether the thread waits for the caller's side.")


def _reply_out(reply: ThreadReply, site: Site, manager: bool) -> dict[str, Any]:
    role = reply.author_role
    if not manager and rules.side_of(role) == rules.SITE:
        role = rules.SITE
    author = reply.author.get_username() if manager and reply.author is not None else None
    return {"id": reply.pk, "author_role": role, "author": author,
            "posted_at": site.local(reply.posted_at), "text": reply.text}  # fmt: skip


def _thread_out(found: ThreadAccess) -> dict[str, Any]:
    thread, site = found.thread, found.access.site
    resolved = thread.status == ThreadStatus.RESOLVED
    return {
        "id": thread.pk,
        "status": thread.status,
        "outcome": thread.outcome if resolved else None,
        "resolved_at": site.local(thread.resolved_at) if thread.resolved_at else None,
        "shared": found.shared,
        "replies": [_reply_out(r, site, found.can_manage) for r in replies_of(thread)],
    }


@router.get(
    "/sites/{slug}/shared",
    response={200: list[SharedOut], **ERRORS},
    summary="Interactions shared for mediation and their threads, newest first (managers, "
    "admins and the site's liaisons; police see only those shared now)",
)
@paginate(Pages, max_limit=MAX_LIMIT)
def list_shared(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    access = site_access(caller(request), slug, Permission.VIEW_SHARED)
    manager = access.can(Permission.MANAGE)
    side = rules.thread_side(access.roles)
    rows = threads_of(access.site, manager=manager).annotate(last_role=last_author_roles())
    tz = access.site.tz
    return [
        {
            "id": t.pk,
            "category": t.interaction.category,
            "day": timezone.localtime(t.interaction.occurred_at, tz).date(),
            "distance_band": t.interaction.distance_band,
            "summary": t.interaction.share.summary if hasattr(t.interaction, "share") else None,
            "status": t.status,
            "waiting": rules.waits_for(status=t.status, last_author_role=t.last_role, side=side),
        }
        for t in rows.order_by("-id")
    ]


@router.get(
    "/sites/{slug}/shared/{thread_id}/replies",
    response={200: ThreadOut, **ERRORS},
    summary="The mediation thread of a shared interaction: status, outcome and replies "
    "(the site's managers and liaisons)",
)
def get_thread(request: HttpRequest, slug: str, thread_id: int) -> dict[str, Any]:
    return _thread_out(thread_access(caller(request), slug, thread_id))


@router.post(
    "/sites/{slug}/shared/{thread_id}/replies",
    response={201: ReplyOut, **WRITE_ERRORS},
    summary="Reply in the thread (the site's managers and liaisons); the other side is "
    "e-mailed a link, never the text",
)
def post_reply(request: HttpRequest, slug: str, thread_id: int, payload: ReplyIn) -> Status[Any]:
    """Validated by the PII guard (`pii_confirmed` for warnings). A reply to a resolved
    thread reopens it."""
    found = thread_access(caller(request), slug, thread_id)
    if found.author_role is None:
        raise PermissionDenied("Your role on this site does not reply.")
    _refuse_unstorable({"text": payload.text})
    reply = thread_reply_post(
        thread=found.thread,
        author=caller(request),
        author_role=found.author_role,
        text=payload.text,
        pii_confirmed=payload.pii_confirmed,
    )
    return Status(201, _reply_out(reply, found.access.site, found.can_manage))


@router.patch(
    "/sites/{slug}/shared/{thread_id}/replies",
    response={200: ThreadOut, **WRITE_ERRORS},
    summary="Set the thread's status and outcome (managers and admins)",
)
def set_status(request: HttpRequest, slug: str, thread_id: int, payload: StatusIn) -> Any:
    """`{"status": "resolved", "outcome": "…"}` resolves (an outcome is required);
    `{"status": "open"}` reopens. The liaison is e-mailed a link."""
    found = thread_access(caller(request), slug, thread_id, manage=True)
    _refuse_unstorable({"outcome": payload.outcome})
    thread: SharedThread = thread_status_set(
        thread=found.thread,
        status=payload.status,
        outcome=payload.outcome,
        actor=caller(request),
        pii_confirmed=payload.pii_confirmed,
    )
    return _thread_out(ThreadAccess(found.access, thread, found.author_role))
