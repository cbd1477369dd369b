"""Everything that waits for a user, gathered for the home page.

Each source answers for every site the user holds a role at, in a constant number of
queries; the home page shows each site's lines on its card and their count at the top, so
a liaison sees at once an unanswered thread, a reply window, a round to fill in or a
protocol version to acknowledge (issue 18)."""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from agreements.choices import Role
from agreements.models import Protocol, Site
from agreements.protocol_rules import SIGNED_STATUSES, UPCOMING, shown_status
from agreements.types import AnyUser
from agreements.waiting import Waiting, WaitingSource
from consultations.waiting import waiting as consultations_waiting
from liaisons.models import LiaisonOfficer
from mediation.waiting import waiting as mediation_waiting
from peer_reports.waiting import waiting as peer_reports_waiting
from perception.waiting import waiting as perception_waiting
from score_replies.waiting import waiting as score_replies_waiting


def protocols_to_acknowledge(user: AnyUser, roles: Mapping[int, frozenset[str]]) -> list[Waiting]:
    """For a liaison: per site, the signed version still to take effect that their officer
    has not acknowledged (three queries whatever the number of sites)."""
    site_ids = [site_id for site_id, held in roles.items() if Role.LIAISON in held]
    officer = LiaisonOfficer.objects.filter(user_id=user.pk or 0, active=True).first()
    if officer is None or not site_ids:
        return []
    sites = {site.id: site for site in Site.objects.filter(id__in=site_ids)}
    candidates = (
        Protocol.objects.filter(
            site_id__in=sites,
            status__in=SIGNED_STATUSES,
            effective_from__gte=min(site.today() for site in sites.values()),
        )
        .exclude(acknowledgements__officer=officer)
        .order_by("effective_from", "version")
    )
    found: dict[int, Protocol] = {}
    for version in candidates:
        if version.effective_from is None:  # a signed version always has one; typing can't know
            continue
        if shown_status(version, sites[version.site_id].today()).kind == UPCOMING:
            found.setdefault(version.site_id, version)
    return [
        Waiting(
            site_id=site_id,
            text=gettext(
                "Protocol version %(version)s is signed and takes effect on %(day)s: "
                "read and acknowledge it."
            )
            % {
                "version": version.version,
                "day": date_format(version.effective_from or "", "SHORT_DATE_FORMAT"),
            },
            url=reverse("agreements:liaison_protocol", args=[sites[site_id].slug]),
            kind="protocol_to_acknowledge",
        )
        for site_id, version in found.items()
    ]


# The sources the home page asks, in the order their lines show on a site's card.
SOURCES: tuple[WaitingSource, ...] = (
    mediation_waiting,
    score_replies_waiting,
    perception_waiting,
    protocols_to_acknowledge,
    consultations_waiting,
    peer_reports_waiting,
)


def waiting_by_site(user: AnyUser, roles: Mapping[int, frozenset[str]]) -> dict[int, list[Waiting]]:
    gathered: dict[int, list[Waiting]] = {}
    for source in SOURCES:
        for item in source(user, roles):
            gathered.setdefault(item.site_id, []).append(item)
    return gathered
