"""Reads of score replies, each a fixed number of queries, and who may read them.

Who reads a reply: those who see what police see at the site (admins, its managers, its
liaisons: `Permission.VIEW_SHARED`). Researchers and community members never do: a reply
is one service's words about one site's month, not an aggregate.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet

from agreements.access import Permission, SiteAccess
from agreements.models import Site
from score_replies.models import ScoreReply, ScoreReplyVersion
from score_replies.months import Month, month_answered_on

READ_PERMISSION = Permission.VIEW_SHARED


def may_read(access: SiteAccess) -> bool:
    return access.can(READ_PERMISSION)


def replies_of(site: Site) -> QuerySet[ScoreReply]:
    """The site's replies, newest month first, with their service and number of versions."""
    return (
        ScoreReply.objects.filter(site=site)
        .select_related("service")
        .annotate(version_count=Count("versions"))
        .order_by("-month")
    )


def reply_for_month(site: Site, month: Month) -> ScoreReply | None:
    return (
        ScoreReply.objects.filter(site=site, month=month.first_day())
        .select_related("service", "author")
        .first()
    )


def reply_beside_score(site: Site, day: date) -> ScoreReply | None:
    """The reply printed beside a score as of `day` (`months.month_answered_on`)."""
    return reply_for_month(site, month_answered_on(day))


def versions_of(reply: ScoreReply | None) -> list[ScoreReplyVersion]:
    if reply is None:
        return []
    return list(reply.versions.select_related("author").order_by("-number"))
