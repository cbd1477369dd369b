"""The perception gap beside the computed scores (issue 18): the scorecard's section and
the page a police liaison reads. The perception app knows nothing of scoring; the
computed factor scores are passed to it from here as plain data, and only those the
reader may see: every factor for managers and admins, the liaison factor alone for
police (perception.readings.LIAISON_COMPUTED_FACTORS), none for researchers, who read
the research form (gaps per closed round, suppressed below T respondents). The community
body reads no perception at all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agreements.access import Permission, SiteAccess
from agreements.models import Site
from agreements.views.base import site_context, site_view
from perception.gaps import FLAG_AT
from perception.independence import respondent_side
from perception.readings import LIAISON_COMPUTED_FACTORS, research, round_views, table, trend
from perception.selectors import closed_rounds, next_checkin_day, site_rounds
from scoring.cache import score_site


def computed_for(access: SiteAccess, scores: Mapping[str, object]) -> dict[str, object]:
    """The computed factor scores this reader may see beside the perceptions."""
    if access.can(Permission.MANAGE):
        return dict(scores)
    return {key: value for key, value in scores.items() if key in LIAISON_COMPUTED_FACTORS}


def perception_context(
    request: HttpRequest, access: SiteAccess, scores: Mapping[str, object]
) -> dict[str, Any]:
    """For managers, admins and liaisons: the newest round both sides' answers are shown
    for, per factor beside the computed score, the trend over rounds, and the day of the
    next check-in, where a gap of 25 or more is to be raised. Four queries."""
    site = access.site
    views = round_views(site_rounds(site), viewer_id=request.user.pk,
                        viewer_side=respondent_side(access.roles), today=site.today())  # fmt: skip
    latest, rows = table(views, computed_for(access, scores))
    return {
        "perception_form": "site",
        "perception_latest": latest,
        "perception_rows": rows,
        "perception_trend": trend(views),
        "perception_flagged": any(row.gap.flagged for row in rows),
        "perception_flag_at": FLAG_AT,
        "perception_next_checkin": next_checkin_day(site) if rows else None,
        "perception_open": next((v for v in views if not v.closed), None),
    }


def research_perception_context(site: Site) -> dict[str, Any]:
    """For researchers: the research form only. Five queries."""
    consenting = list(Site.objects.filter(research_consent=True))
    return {
        "perception_form": "research",
        "perception_research": research(
            closed_rounds([site]),
            closed_rounds(consenting),
            threshold=settings.HR_POLICE_SUPPRESSION_THRESHOLD,
            now=timezone.now(),
        ),
    }


def section_context(
    request: HttpRequest, access: SiteAccess, scores: Mapping[str, object]
) -> dict[str, Any]:
    """The scorecard's perception section, in the form the reader may have; none for the
    community body (`Permission.VIEW_PERCEPTION`)."""
    if access.can(Permission.VIEW_SHARED):
        return perception_context(request, access, scores)
    if access.can(Permission.VIEW_PERCEPTION):
        return research_perception_context(access.site)
    return {}


@site_view(Permission.VIEW_SHARED)
def site_perception(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    """The perception page of a site's managers and its liaisons (whose only view of a
    computed score is the liaison factor's)."""
    card = score_site(access.site, access.site.today())
    scores = {factor.key: factor.score for factor in card.factors}
    return render(
        request,
        "perception/site_perception.html",
        site_context(access, **perception_context(request, access, scores)),
    )
