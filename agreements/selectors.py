"""Reads that several pages share, each a fixed number of queries."""

from __future__ import annotations

from datetime import date

from agreements.models import Protocol, Site
from agreements.protocol_rules import SIGNED_STATUSES, in_force


def protocol_in_force(site: Site, day: date) -> Protocol | None:
    """The version in force at `site` on `day` (agreements.protocol_rules), from the
    site's signed versions that had taken effect by then: a handful of rows."""
    signed = Protocol.objects.filter(site=site, status__in=SIGNED_STATUSES, effective_from__lte=day)
    return in_force(signed, day)
