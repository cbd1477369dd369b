"""The one place that answers: which sites may this user see, and as which role?

Every view, export and API call resolves a site through `site_access`, so scoping rules
live here and nowhere else. Out of scope answers 404 (so existence does not leak); in
scope but not allowed answers 403.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from agreements.choices import Role
from agreements.models import Membership, Site
from agreements.research_days import research_day
from agreements.types import AnyUser


class Permission(StrEnum):
    VIEW_PROFILE = "view_profile"  # public profile and operating hours
    VIEW_SCORES = "view_scores"  # scores, trends, suppressed aggregates
    # The protocol as police and the community see it: the version in force, earlier
    # versions and the diff between them.
    VIEW_PROTOCOL = "view_protocol"
    # Interactions shared for mediation (redacted), the protocol's signed documents, the
    # check-ins and everything else the two sides of the relationship share.
    VIEW_SHARED = "view_shared"
    VIEW_CALENDAR = "view_calendar"  # the site's check-ins as an iCalendar feed
    # The perception rounds: in full for those who answer them (VIEW_SHARED), the research
    # form (gaps per round, the network's mean gaps) for researchers. Not the community
    # body: the rounds stay between the site and police, and the network's means are
    # figures of other sites.
    VIEW_PERCEPTION = "view_perception"
    ACT_AS_LIAISON = "act_as_liaison"  # acknowledge a protocol, confirm attendance
    # Comment on a protocol open for consultation, file a peer report.
    ACT_AS_COMMUNITY = "act_as_community"
    MANAGE = "manage"  # every record of the site, the interaction log, edits
    ADMINISTER = "administer"  # network-wide settings: sites, weights, users


GRANTS: dict[Permission, frozenset[str]] = {
    Permission.VIEW_PROFILE: frozenset(Role.values),
    # Community bodies read the site's research release, suppressed as for researchers.
    Permission.VIEW_SCORES: frozenset({Role.ADMIN, Role.MANAGER, Role.RESEARCHER, Role.COMMUNITY}),
    Permission.VIEW_PROTOCOL: frozenset({Role.ADMIN, Role.MANAGER, Role.LIAISON, Role.COMMUNITY}),
    Permission.VIEW_SHARED: frozenset({Role.ADMIN, Role.MANAGER, Role.LIAISON}),
    # Researchers read scores, not schedules; everyone else who can see the site may.
    Permission.VIEW_CALENDAR: frozenset({Role.ADMIN, Role.MANAGER, Role.LIAISON}),
    Permission.VIEW_PERCEPTION: frozenset(
        {Role.ADMIN, Role.MANAGER, Role.LIAISON, Role.RESEARCHER}
    ),
    Permission.ACT_AS_LIAISON: frozenset({Role.LIAISON}),
    Permission.ACT_AS_COMMUNITY: frozenset({Role.COMMUNITY}),
    Permission.MANAGE: frozenset({Role.ADMIN, Role.MANAGER}),
    Permission.ADMINISTER: frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class SiteAccess:
    site: Site
    roles: frozenset[str]

    def can(self, permission: Permission) -> bool:
        return bool(self.roles & GRANTS[permission])

    @property
    def can_manage(self) -> bool:  # for templates, which cannot pass arguments
        return self.can(Permission.MANAGE)

    @property
    def sees_shared(self) -> bool:  # for templates: the police side's pages and links
        return self.can(Permission.VIEW_SHARED)

    @property
    def is_community(self) -> bool:  # for templates: the community body's pages and links
        return self.can(Permission.ACT_AS_COMMUNITY)

    def score_day(self, day: date) -> date:
        """The day this access reads a score for: the day asked for, for those who manage
        the site; the end of a complete month for everyone else (researchers), since
        scores that moved day by day would date single breaches."""
        if self.can(Permission.MANAGE):
            return day
        return research_day(self.site, day, timezone.now())

    @property
    def editions(self) -> list[str]:
        """The report editions this access may download."""
        return [edition for edition, need in EDITION_PERMISSION.items() if self.can(need)]


# Roles that read across sites and are offered the network's research CSV (managers may
# call it too, but their own site's exports page serves them better).
RESEARCH_EXPORT_ROLES = frozenset({Role.RESEARCHER, Role.ADMIN})

# Roles that can reach site records or police contacts must prove a second factor.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.LIAISON})

# Which permission each report edition needs: the research edition for anyone who may read
# scores, the liaison edition for those who see what police see, the manager edition for
# managers.
EDITION_PERMISSION: dict[str, Permission] = {
    "manager": Permission.MANAGE,
    "liaison": Permission.VIEW_SHARED,
    "research": Permission.VIEW_SCORES,
}


@dataclass(frozen=True)
class _SiteFacts:
    id: int
    research_consent: bool
    police_accounts: bool
    community_oversight: bool
    timezone: str


def roles_by_site(user: AnyUser) -> dict[int, frozenset[str]]:
    """Map site id → the roles `user` holds there. Three queries at most, cached per user."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached: dict[int, frozenset[str]] | None = getattr(user, "_hr_police_roles", None)
    if cached is not None:
        return cached
    memberships = list(Membership.objects.filter(user=user).values_list("role", "site_id"))
    sites = [
        _SiteFacts(*row)
        for row in Site.objects.values_list(
            "id", "research_consent", "police_accounts", "community_oversight", "timezone"
        )
    ]
    result: dict[int, set[str]] = {}

    def add(site_id: int, role: str) -> None:
        result.setdefault(site_id, set()).add(role)

    is_admin = getattr(user, "is_superuser", False) or any(
        role == Role.ADMIN for role, _ in memberships
    )
    consenting = {s.id for s in sites if s.research_consent}
    # A community body's membership counts only while its site opts in (SPEC §1).
    overseen = {s.id for s in sites if s.community_oversight}
    for role, site_id in memberships:
        if role == Role.MANAGER and site_id is not None:
            add(site_id, Role.MANAGER)
        elif role == Role.COMMUNITY and site_id in overseen:
            add(site_id, Role.COMMUNITY)
        elif role == Role.RESEARCHER:
            for sid in consenting if site_id is None else consenting & {site_id}:
                add(sid, Role.RESEARCHER)
    if is_admin:
        for site in sites:
            add(site.id, Role.ADMIN)
    if any(role == Role.LIAISON for role, _ in memberships):
        for site_id in _liaison_site_ids(user, sites):
            add(site_id, Role.LIAISON)
    frozen = {site_id: frozenset(roles) for site_id, roles in result.items()}
    user._hr_police_roles = frozen  # type: ignore[union-attr,attr-defined]
    return frozen


def _liaison_site_ids(user: AnyUser, sites: list[_SiteFacts]) -> set[int]:
    """Sites where the user's officer record holds an assignment active today (site time)."""
    by_id = {s.id: s for s in sites if s.police_accounts}
    # Through the sites' `assignments` (liaisons' LiaisonAssignment): scoping reads them
    # without importing the app above this one. One filter() call, so the values come from
    # the same assignment rows the filter matched.
    rows = Site.objects.filter(
        pk__in=by_id, assignments__officer__user_id=user.pk or 0, assignments__officer__active=True
    ).values_list("pk", "assignments__start", "assignments__end")
    now = timezone.now()
    visible = set()
    for site_id, start, end in rows:
        today = timezone.localtime(now, zoneinfo.ZoneInfo(by_id[site_id].timezone)).date()
        if start <= today and (end is None or end >= today):
            visible.add(site_id)
    return visible


def forget_roles(user: AnyUser) -> None:
    """Drop the per-user cache after a change to memberships or assignments."""
    if hasattr(user, "_hr_police_roles"):
        del user._hr_police_roles  # type: ignore[union-attr,attr-defined]


def visible_sites(
    user: AnyUser, permission: Permission = Permission.VIEW_PROFILE
) -> QuerySet[Site]:
    roles = roles_by_site(user)
    allowed = GRANTS[permission]
    ids = [site_id for site_id, held in roles.items() if held & allowed]
    return Site.objects.filter(id__in=ids)


def site_access(user: AnyUser, slug: str, permission: Permission) -> SiteAccess:
    """Resolve a site for a request: 404 when out of scope, 403 when the role may not."""
    site = Site.objects.filter(slug=slug).first()
    roles = roles_by_site(user).get(site.id, frozenset()) if site else frozenset()
    if site is None or not roles:
        raise Http404("No such site.")
    access = SiteAccess(site=site, roles=roles)
    if not access.can(permission):
        raise PermissionDenied("Your role on this site does not allow this.")
    return access


def manages_every_site(user: AnyUser, site_ids: Iterable[int]) -> bool:
    """Whether `user` is an admin, or a manager of each of these sites: who may change a
    record several sites rely on (an officer assigned to them)."""
    roles = roles_by_site(user)
    return all(roles.get(site_id, frozenset()) & GRANTS[Permission.MANAGE] for site_id in site_ids)


def is_network_admin(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return Membership.objects.filter(user=user, role=Role.ADMIN).exists()
