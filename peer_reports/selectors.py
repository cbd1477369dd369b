"""Scoped reads of peer reports, for the site's managers (and admins) only.

The community body that filed a report never reads it back, nor any list of reports:
it files, and the reporter follows up by code. Police never learn that a report exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from agreements.access import Permission, SiteAccess, site_access
from agreements.models import Site
from agreements.types import AnyUser
from peer_reports.models import FollowUpStatus, PeerReport


def awaiting_review(site: Site) -> QuerySet[PeerReport]:
    """The site's reports not yet reviewed, oldest first (one query)."""
    return PeerReport.objects.filter(site=site, status=FollowUpStatus.RECEIVED).order_by(
        "filed_at", "id"
    )


# How many reports the interaction log's panel lists; the rest are counted.
PANEL_SIZE = 10


@dataclass(frozen=True)
class AwaitingPanel:
    count: int
    first: list[PeerReport]

    @property
    def more(self) -> int:
        return self.count - len(self.first)


def awaiting_panel(site: Site) -> AwaitingPanel:
    """The interaction log's "awaiting review" panel: the oldest reports first, two
    queries at most whatever their number (one when there are none)."""
    first = list(awaiting_review(site)[: PANEL_SIZE + 1])
    if len(first) <= PANEL_SIZE:
        return AwaitingPanel(len(first), first)
    return AwaitingPanel(awaiting_review(site).count(), first[:PANEL_SIZE])


def report_access(user: AnyUser, slug: str, pk: int) -> tuple[SiteAccess, PeerReport]:
    """Report `pk` of site `slug` for one of its managers: 404 out of scope or no such
    report, 403 for a role that may not manage the site."""
    access = site_access(user, slug, Permission.MANAGE)
    return access, report_of(access, pk)


def report_of(access: SiteAccess, pk: int) -> PeerReport:
    """Report `pk` of the site `access` resolved (with MANAGE): 404 if it has none."""
    report = (
        PeerReport.objects.filter(site=access.site, pk=pk)
        .select_related("filed_by", "reviewed_by", "interaction")
        .first()
    )
    if report is None:
        raise Http404("No such peer report.")
    report.site = access.site
    return report
