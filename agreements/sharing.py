"""Sharing an interaction with the liaison for mediation, and secret protocol links for
sites without police accounts. Both are explicit acts, audited and revocable."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import audit
from agreements.audit import Action
from agreements.models import Interaction, InteractionShare, ProtocolLink, Site
from agreements.pii_guard import confirmed_detail
from agreements.secret_tokens import hash_token
from agreements.types import Actor
from agreements.versioning import bump

LINKS_NEED_NO_POLICE_ACCOUNTS = _(
    "This site gives its liaison an account; secret links are for sites that refuse "
    "police accounts (change that in the site's settings first)."
)


# What else a share sets going, registered by the apps above this one at start-up (the
# mediation app opens the interaction's thread), as the PII guard learns the police roster
# from liaisons: every path that shares (page, API, a command) then does it, in the share's
# own transaction.
AfterShare = Callable[[Interaction, Actor], object]
_after_share: list[AfterShare] = []


def register_after_share(hook: AfterShare) -> None:
    if hook not in _after_share:
        _after_share.append(hook)


def interaction_share(
    *, interaction: Interaction, summary: str, actor: Actor, pii_confirmed: bool = False
) -> InteractionShare:
    """Share (or re-word) an interaction for the liaison. `pii_confirmed`: the writer
    confirmed that the summary's PII warnings describe police (agreements.pii_guard)."""
    with transaction.atomic():
        share = InteractionShare.objects.filter(interaction=interaction).first()
        share = share or InteractionShare(interaction=interaction)
        if share.summary != summary:
            bump(share)
        share.summary = summary
        if actor is not None and actor.is_authenticated:
            share.shared_by = actor
        share.pii_confirmed = pii_confirmed
        share.full_clean()
        share.save()
        confirmed = share.pii_confirmed_warnings
        audit.record(Action.SHARE, actor=actor, site=interaction.site, obj=interaction,
                     fields=["summary"],
                     detail=confirmed_detail(confirmed) if confirmed else "")  # fmt: skip
        for hook in _after_share:
            hook(interaction, actor)
    return share


def interaction_unshare(*, interaction: Interaction, actor: Actor) -> None:
    with transaction.atomic():
        deleted, _ = InteractionShare.objects.filter(interaction=interaction).delete()
        if deleted:
            audit.record(Action.UNSHARE, actor=actor, site=interaction.site, obj=interaction)


def protocol_link_create(
    *, site: Site, label: str, actor: Actor, pii_confirmed: bool = False
) -> tuple[ProtocolLink, str]:
    """Create a link; the token is returned once and only its hash is kept."""
    if site.police_accounts:
        raise ValidationError(LINKS_NEED_NO_POLICE_ACCOUNTS)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = ProtocolLink(site=site, label=label, token_hash=hash_token(token))
        if actor is not None and actor.is_authenticated:
            link.created_by = actor
        link.pii_confirmed = pii_confirmed
        link.full_clean()
        link.save()
        audit.record(Action.LINK, actor=actor, site=site, obj=link, detail=f"created: {label}")
    return link, token


def protocol_link_revoke(*, link: ProtocolLink, actor: Actor) -> None:
    with transaction.atomic():
        if link.revoked_at is None:
            ProtocolLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
            audit.record(Action.LINK, actor=actor, site=link.site, obj=link,
                         detail=f"revoked: {link.label}")  # fmt: skip


def protocol_link_for(token: str) -> ProtocolLink | None:
    """The active link for a token, or None (unknown, revoked, or the site now has
    police accounts)."""
    link = (
        ProtocolLink.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("site")
        .first()
    )
    if link is None or link.site.police_accounts:
        return None
    return link
