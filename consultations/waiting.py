"""What waits on the home page (agreements/waiting.py): for a site's managers, community
comments without an answer; for its community body, open consultations that close within
a week. One query each, whatever the number of sites or comments."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from agreements.choices import Role
from agreements.types import AnyUser
from agreements.waiting import Waiting
from consultations import rules
from consultations.models import Comment, Consultation

UNANSWERED = "consultation_unanswered"
CLOSING = "consultation_closing"


def waiting(user: AnyUser, roles: Mapping[int, frozenset[str]]) -> list[Waiting]:
    managed = [s for s, held in roles.items() if Role.MANAGER in held]
    community = [s for s, held in roles.items() if Role.COMMUNITY in held]
    return _unanswered(managed) + _closing(community)


def _unanswered(site_ids: list[int]) -> list[Waiting]:
    """Per site, the comments without an answer (administrators are not waited on: the
    site's managers are, as for mediation threads)."""
    if not site_ids:
        return []
    rows = (
        Comment.objects.filter(consultation__site_id__in=site_ids, answers__isnull=True)
        .values_list("consultation__site_id", "consultation__site__slug", "consultation_id")
        .annotate(n=Count("id"), first=Min("id"))
        .order_by("consultation__site_id", "consultation_id")
    )
    by_site: dict[int, tuple[str, list[tuple[int, int]], int]] = {}
    for site_id, slug, consultation_id, n, first in rows:
        _, ids, count = by_site.get(site_id, (slug, [], 0))
        by_site[site_id] = (slug, [*ids, (consultation_id, first)], count + n)
    lines = []
    for site_id, (slug, ids, count) in by_site.items():
        if len(ids) == 1:
            # Straight to the first comment waiting, not the top of a long page.
            consultation_id, first = ids[0]
            url = reverse("consultations:detail", kwargs={"slug": slug, "pk": consultation_id})
            url = f"{url}#comment-{first}"
        else:
            url = reverse("consultations:list", kwargs={"slug": slug})
        text = ngettext(
            "%(count)d community comment on the protocol waits for your answer.",
            "%(count)d community comments on the protocol wait for your answer.",
            count,
        ) % {"count": count}
        lines.append(Waiting(site_id=site_id, text=text, url=url, kind=UNANSWERED))
    return lines


def _closing(site_ids: list[int]) -> list[Waiting]:
    """Per open consultation that closes within CLOSING_SOON_DAYS at its site."""
    if not site_ids:
        return []
    now = timezone.now()
    # A day of slack either way: each consultation's own site decides below.
    first = (now - timedelta(days=1)).date()
    last = (now + timedelta(days=rules.CLOSING_SOON_DAYS + 1)).date()
    rows = (
        Consultation.objects.filter(
            Q(protocol__status__in=rules.CONSULTABLE),
            site_id__in=site_ids,
            closed_at__isnull=True,
            closes_on__range=(first, last),
        )
        .order_by("closes_on", "id")
        .values_list(
            "pk", "site_id", "site__slug", "site__timezone", "closes_on", "protocol__version"
        )
    )
    lines = []
    for pk, site_id, slug, zone, closes_on, version in rows:
        today = timezone.localtime(now, zoneinfo.ZoneInfo(zone)).date()
        if not rules.closes_soon(closes_on, today):
            continue
        text = gettext("Protocol version %(version)s is open for your comments until %(day)s.") % {
            "version": version,
            "day": formats.date_format(closes_on, "DATE_FORMAT"),
        }
        url = reverse("consultations:detail", kwargs={"slug": slug, "pk": pk})
        lines.append(Waiting(site_id=site_id, text=text, url=url, kind=CLOSING))
    return lines
