"""Reads of the site's pages that span the site's records and the police side, each a
fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from agreements.breaches import breach_q
from agreements.choices import ProtocolStatus
from agreements.models import Interaction, Protocol, Site
from agreements.selectors import protocol_in_force
from liaisons.models import CheckIn, LiaisonAssignment
from workspace.records import KINDS


@dataclass(frozen=True)
class SiteOverview:
    today: date
    protocol: Protocol | None
    draft: Protocol | None  # the newest draft or negotiating version
    assignments: list[Any]
    upcoming: list[Any]
    awaiting_outcome: int
    interactions_90: int
    breaches_90: int
    recent_interactions: list[Interaction]
    counts: dict[str, int]


def site_overview(site: Site) -> SiteOverview:
    today = site.today()
    now = timezone.now()
    since = today - timedelta(days=90)
    recent = Interaction.objects.filter(site=site, occurred_at__date__gt=since)
    tally = recent.aggregate(total=Count("id"), breaches=Count("id", filter=breach_q()))
    active = (
        LiaisonAssignment.objects.filter(site=site, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("officer__service")
        .order_by("role")
    )
    checkins: QuerySet[CheckIn] = CheckIn.objects.filter(site=site)
    return SiteOverview(
        today=today,
        protocol=protocol_in_force(site, today),
        draft=Protocol.objects.filter(
            site=site, status__in=[ProtocolStatus.DRAFT, ProtocolStatus.NEGOTIATING]
        )
        .order_by("-version")
        .first(),
        assignments=list(active),
        upcoming=list(
            checkins.filter(scheduled_start__gte=now, status="scheduled")
            .select_related("schedule")
            .order_by("scheduled_start")[:5]
        ),
        awaiting_outcome=checkins.filter(scheduled_start__lt=now, status="scheduled").count(),
        interactions_90=tally["total"],
        breaches_90=tally["breaches"],
        recent_interactions=list(Interaction.objects.filter(site=site)[:5]),
        counts=record_counts(site),
    )


def record_counts(site: Site) -> dict[str, int]:
    """How many records of each kind the site holds: one small count query per kind."""
    return {slug: kind.queryset(site).count() for slug, kind in KINDS.items()}
