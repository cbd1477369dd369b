"""Reads that several pages share, each a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count

from agreements.models import Interaction, Protocol, Site
from agreements.protocol_rules import SIGNED_STATUSES, in_force


def protocol_in_force(site: Site, day: date) -> Protocol | None:
    """The version in force at `site` on `day` (agreements.protocol_rules), from the
    site's signed versions that had taken effect by then: a handful of rows."""
    signed = Protocol.objects.filter(site=site, status__in=SIGNED_STATUSES, effective_from__lte=day)
    return in_force(signed, day)


# The window "most used here" counts over: a year, so seasonal events still count.
CATEGORY_USE_DAYS = 365


def category_use(site: Site, now: datetime) -> dict[str, int]:
    """How many interactions of each category `site` logged in the year before `now`:
    one grouped query, whatever the size of the log."""
    rows = (
        Interaction.objects.filter(
            site=site, occurred_at__gte=now - timedelta(days=CATEGORY_USE_DAYS)
        )
        .order_by()
        .values_list("category")
        .annotate(n=Count("id"))
    )
    return dict(rows)
