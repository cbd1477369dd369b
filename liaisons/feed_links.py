"""Secret, revocable calendar links, made like the secret protocol links
(`agreements.sharing`): a 256-bit random token shown once, only its SHA-256 kept, every
creation, revocation and download written to the audit log without the token.

A link acts for the person who made it, and never shows more than that person may see
today: a site's feed works while its creator still manages the site, and an officer's
feed holds only the check-ins of sites its creator manages (or, for the officer's own
link, the sites where the officer may sign in). So a manager who makes a link for an
officer shared with another site does not thereby read that site's calendar, and the
links of someone who leaves stop working without anyone having to find them.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements import audit
from agreements.access import GRANTS, Permission, roles_by_site
from agreements.audit import Action
from agreements.choices import Role
from agreements.models import Membership, Site
from agreements.secret_tokens import hash_token
from agreements.types import Actor
from liaisons.models import CalendarFeed, LiaisonAssignment, LiaisonOfficer


def feed_create(
    *,
    label: str,
    actor: Actor,
    site: Site | None = None,
    officer: LiaisonOfficer | None = None,
    audit_site: Site | None = None,
    pii_confirmed: bool = False,
) -> tuple[CalendarFeed, str]:
    """Create a link for a site's or an officer's check-ins; return it with its token,
    which is never stored and so can be shown only now. Callers check who may do this.
    `audit_site` files an officer link under the site page it was made from."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed = CalendarFeed(site=site, officer=officer, label=label, token_hash=hash_token(token))
        if actor is not None and actor.is_authenticated:
            feed.created_by = actor
        feed.pii_confirmed = pii_confirmed
        feed.full_clean()
        feed.save()
        audit.record(Action.LINK, actor=actor, site=site or audit_site, obj=feed,
                     detail=f"calendar feed created: {label}")  # fmt: skip
    return feed, token


def feed_revoke(*, feed: CalendarFeed, actor: Actor, audit_site: Site | None = None) -> None:
    with transaction.atomic():
        if feed.revoked_at is None:
            CalendarFeed.objects.filter(pk=feed.pk).update(revoked_at=timezone.now())
            audit.record(Action.LINK, actor=actor, site=feed.site or audit_site, obj=feed,
                         detail=f"calendar feed revoked: {feed.label}")  # fmt: skip


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed for a token, or None (unknown or revoked). One query."""
    return (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("site", "officer", "created_by")
        .first()
    )


def feed_site_ids(feed: CalendarFeed) -> set[int]:
    """The sites whose check-ins the feed may show now, from its creator's roles today."""
    creator = feed.created_by
    if creator is None:  # the account was deleted: nobody vouches for the link any more
        return set()
    allowed = set(GRANTS[Permission.MANAGE])
    if feed.officer is not None and feed.officer.user_id == creator.pk:
        allowed.add(Role.LIAISON)  # the officer's own link, made while signed in
    return {site_id for site_id, held in roles_by_site(creator).items() if held & allowed}


# --- what a site's calendar page lists ------------------------------------------------------


def assignable_officers(site: Site) -> QuerySet[LiaisonOfficer]:
    """Officers a manager of `site` may make a link for: active, with an assignment here
    that has not ended."""
    today = site.today()
    current = LiaisonAssignment.objects.filter(site=site).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    return LiaisonOfficer.objects.filter(active=True, pk__in=current.values("officer_id"))


def site_page_feeds(site: Site) -> QuerySet[CalendarFeed]:
    """The links the site's managers see and may revoke: the site's own feeds, and the
    feeds of officers ever assigned here that a manager of this site or an administrator
    made. An officer's own link, or one made by another site's manager, is not theirs."""
    officers = LiaisonAssignment.objects.filter(site=site).values("officer_id")
    managers = Membership.objects.filter(
        user_id=OuterRef("created_by_id"), site=site, role=Role.MANAGER
    )
    admins = Membership.objects.filter(user_id=OuterRef("created_by_id"), role=Role.ADMIN)
    officer_feeds = Q(officer_id__in=officers) & (
        Exists(managers) | Exists(admins) | Q(created_by__is_superuser=True)
    )
    return (
        CalendarFeed.objects.filter(Q(site=site) | officer_feeds)
        .select_related("officer", "created_by")
        .order_by("-created_at", "-id")
    )


def own_feeds(officer: LiaisonOfficer) -> QuerySet[CalendarFeed]:
    """An officer's links that the officer made while signed in."""
    return (
        CalendarFeed.objects.filter(officer=officer, created_by_id=officer.user_id)
        .select_related("officer", "created_by")
        .order_by("-created_at", "-id")
    )
