"""Receivers: sign-in events into the audit log, and writes to scored records into the
score cache's revisions. They record or invalidate; they hold no business rule."""

import threading
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.expressions import CombinedExpression
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from agreements import audit, score_cache
from agreements.audit import Action, client_ip
from agreements.models import (
    EngagementEvent,
    Interaction,
    OperatingHours,
    Protocol,
    ProtocolClause,
    Site,
    SupportStatement,
)
from agreements.security import stamp_login
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    stamp_login(request)
    audit.record(Action.LOGIN, actor=user, ip=client_ip(request) if request else None)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(Action.LOGOUT, actor=user, ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The username is kept only when it names an account: people type passwords into the
    # username box, and the log must not keep them.
    typed = str(credentials.get("username", ""))[:150]
    known = get_user_model().objects.filter(username=typed).exists()
    audit.record(
        Action.LOGIN_FAILED,
        actor=typed if known else "",
        detail="" if known else "an unknown username",
        ip=client_ip(request) if request else None,
    )


# --- score cache invalidation ---------------------------------------------------------
# Every model `scorecards.gather_inputs` reads raises its site's `scores_revision` when a
# row is saved or deleted (see agreements.score_cache). Writes that send no signal
# (bulk_create, QuerySet.update) call `score_cache.bump` themselves.

_deleting = threading.local()


def _deletions() -> dict[int, Any]:
    """Site id → the transaction block deleting that site, in this thread."""
    if not hasattr(_deleting, "sites"):
        _deleting.sites = {}
    sites: dict[int, Any] = _deleting.sites
    return sites


def _being_deleted(site_id: int, using: str) -> bool:
    # The mark holds only while the block that deletes the site is open: a deletion that
    # failed half-way must not stop later writes from bumping.
    block = _deletions().get(site_id)
    return block is not None and any(b is block for b in connections[using].atomic_blocks)


def _bump_site_of(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures: the site's revision is loaded as it was dumped
    # A site's deletion cascades to many thousands of rows: no need to bump it for each.
    if not _being_deleted(instance.site_id, using):
        score_cache.bump([instance.site_id])


def _bump_site_of_protocol(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        score_cache.bump_where(Q(protocols=instance.protocol_id))


def _bump_sites_of_officer(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Evidence names the officer (rank, name, badge) and reads `active` and
    # `contact_verified_on`: every site the officer is or was assigned to.
    if not kwargs.get("raw"):
        score_cache.bump_where(Q(assignments__officer=instance.pk))


def _site_pre_save(sender: Any, instance: Site, raw: bool = False, **kwargs: Any) -> None:
    # Raised in the UPDATE itself: the instance may carry a revision read before another
    # write bumped it, and writing that old value back would let an old key be reused.
    if not raw and not instance._state.adding:
        instance.scores_revision = F("scores_revision") + 1  # type: ignore[assignment]


def _site_post_save(sender: Any, instance: Site, raw: bool = False, **kwargs: Any) -> None:
    if isinstance(instance.scores_revision, F | CombinedExpression):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "scores_revision" not in update_fields:
            score_cache.bump([instance.pk])  # the expression was not written
        instance.refresh_from_db(fields=["scores_revision"])


def _site_pre_delete(sender: Any, instance: Site, using: str, **kwargs: Any) -> None:
    # Django deletes inside a transaction block and sends pre_delete within it.
    if blocks := connections[using].atomic_blocks:
        _deletions()[instance.pk] = blocks[-1]


def _site_post_delete(sender: Any, instance: Site, **kwargs: Any) -> None:
    _deletions().pop(instance.pk, None)


# The models whose rows a score reads, with the receiver that finds their site(s).
SCORED_MODELS: tuple[tuple[type[models.Model], Callable[..., None]], ...] = (
    (OperatingHours, _bump_site_of),
    (EngagementEvent, _bump_site_of),
    (SupportStatement, _bump_site_of),
    (LiaisonAssignment, _bump_site_of),
    (Protocol, _bump_site_of),
    (ProtocolClause, _bump_site_of_protocol),
    (Acknowledgement, _bump_site_of_protocol),
    (CheckInSchedule, _bump_site_of),
    (CheckIn, _bump_site_of),
    (Interaction, _bump_site_of),
    (LiaisonOfficer, _bump_sites_of_officer),
)

for _model, _receiver in SCORED_MODELS:
    post_save.connect(_receiver, sender=_model, dispatch_uid=f"score-cache-save-{_model.__name__}")
    post_delete.connect(
        _receiver, sender=_model, dispatch_uid=f"score-cache-delete-{_model.__name__}"
    )
pre_save.connect(_site_pre_save, sender=Site, dispatch_uid="score-cache-site-pre-save")
post_save.connect(_site_post_save, sender=Site, dispatch_uid="score-cache-site-post-save")
pre_delete.connect(_site_pre_delete, sender=Site, dispatch_uid="score-cache-site-pre-delete")
post_delete.connect(_site_post_delete, sender=Site, dispatch_uid="score-cache-site-post-delete")
