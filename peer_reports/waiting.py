"""Peer reports waiting for review, for the home page of the site's managers
(agreements/waiting.py). One query, whatever the number of sites or reports."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from agreements.choices import Role
from agreements.types import AnyUser
from agreements.waiting import Waiting
from peer_reports.models import FollowUpStatus, PeerReport

KIND = "peer_report_review"


def waiting(user: AnyUser, roles: Mapping[int, frozenset[str]]) -> list[Waiting]:
    """One line per site the user manages where peer reports await review (administrators
    are not waited on: the site's managers are, and are e-mailed)."""
    site_ids = [site_id for site_id, held in roles.items() if Role.MANAGER in held]
    if not site_ids:
        return []
    rows = (
        PeerReport.objects.filter(site_id__in=site_ids, status=FollowUpStatus.RECEIVED)
        .values("site_id", "site__slug")
        .annotate(count=Count("id"))
        .order_by("site_id")
    )
    return [
        Waiting(
            site_id=row["site_id"],
            text=ngettext(
                "%(count)d peer report awaits your review.",
                "%(count)d peer reports await your review.",
                row["count"],
            )
            % {"count": row["count"]},
            url=reverse("agreements:interactions_list", kwargs={"slug": row["site__slug"]})
            + "#peer-reports",
            kind=KIND,
        )
        for row in rows
    ]
