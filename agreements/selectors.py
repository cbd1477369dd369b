"""Reads that several pages share, each a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from agreements.choices import ProtocolStatus
from agreements.models import Protocol, Site


def protocols_in_force_q(day: date) -> Q:
    return Q(
        status__in=[ProtocolStatus.SIGNED, ProtocolStatus.ENDED],
        effective_from__lte=day,
    ) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def protocol_in_force(site: Site, day: date) -> Protocol | None:
    """The signed (or later ended) version with the greatest effective_from ≤ day that
    had not ended by that day (SPEC §6, F4)."""
    return (
        Protocol.objects.filter(protocols_in_force_q(day), site=site)
        .order_by("-effective_from", "-version")
        .first()
    )
