"""What waits for a user on the home page: an open self-assessment round they have not
answered, at each site where they answer for a side (agreements/waiting.py)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from datetime import timedelta

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from agreements.types import AnyUser
from agreements.waiting import Waiting
from perception.independence import respondent_side
from perception.models import SelfAssessmentRound

KIND = "self_assessment_open"


def waiting(user: AnyUser, roles: Mapping[int, frozenset[str]]) -> list[Waiting]:
    """One line per open round the user has not answered. One query, whatever the number
    of sites or rounds."""
    site_ids = [site_id for site_id, held in roles.items() if respondent_side(held)]
    if not site_ids or not user.is_authenticated:
        return []
    now = timezone.now()
    # A day of slack either way: each round's own site decides below whether it is open.
    rows = (
        SelfAssessmentRound.objects.filter(
            site_id__in=site_ids,
            closed_on__isnull=True,
            closes_on__gte=(now - timedelta(days=1)).date(),
        )
        .exclude(responses__respondent_id=user.pk)
        .order_by("closes_on", "id")
        .values_list("pk", "site_id", "site__slug", "site__timezone", "closes_on")
    )
    found = []
    for pk, site_id, slug, zone, closes_on in rows:
        if closes_on < timezone.localtime(now, zoneinfo.ZoneInfo(zone)).date():
            continue
        text = gettext("A self-assessment round is open until %(day)s: give your answers.") % {
            "day": formats.date_format(closes_on, "DATE_FORMAT")
        }
        url = reverse("perception:round_detail", kwargs={"slug": slug, "pk": pk})
        found.append(Waiting(site_id=site_id, text=text, url=url, kind=KIND))
    return found
