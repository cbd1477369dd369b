"""Receivers: writes to scored records raise their site's score revision, so that
cached scorecards are never read stale. They invalidate; they hold no business rule."""

from collections.abc import Callable
from typing import Any

from django.db import connections, models
from django.db.models import F, Q
from django.db.models.expressions import CombinedExpression
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from agreements import score_revision
from agreements.models import (
    EngagementEvent,
    Interaction,
    OperatingHours,
    Protocol,
    ProtocolClause,
    Site,
    SupportStatement,
)
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
)

# --- score cache invalidation ---------------------------------------------------------
# Every model `scorecards.gather_inputs` reads raises its site's `scores_revision` when a
# row is saved or deleted (see scoring.cache). Writes that send no signal
# (bulk_create, QuerySet.update) call `score_revision.bump` themselves.
#
# Inside a transaction the bump comes BEFORE the write (pre_save, pre_delete): it locks
# the site row, and writes lock the site first (services._lock_site), so taking it after
# the record's row could deadlock with a writer that took them in that order. The bump
# commits with the write either way. Outside a transaction each statement commits alone,
# so the bump comes after the write (post_save): a reader never sees the new revision
# with the old data.


# Each finds the sites by primary-key subqueries (no join over the site's records).


def _stored(instance: Any, column: str) -> Any:
    """`column` of the row as stored: the site a record belongs to before it moves."""
    return type(instance)._default_manager.filter(pk=instance.pk).values(column)


def _site_q(instance: Any) -> Q:
    sites = Q(pk=instance.site_id)
    if instance.pk is not None:
        sites |= Q(pk__in=_stored(instance, "site_id"))
    return sites


def _protocol_site_q(instance: Any) -> Q:
    sites = Q(pk__in=Protocol.objects.filter(pk=instance.protocol_id).values("site_id"))
    if instance.pk is not None:
        stored = Protocol.objects.filter(pk__in=_stored(instance, "protocol_id"))
        sites |= Q(pk__in=stored.values("site_id"))
    return sites


def _officer_sites_q(instance: Any) -> Q:
    # Evidence names the officer (rank, name, badge) and reads `active` and
    # `contact_verified_on`: every site the officer is or was assigned to.
    if instance.pk is None:
        return Q(pk__in=[])
    return Q(pk__in=LiaisonAssignment.objects.filter(officer_id=instance.pk).values("site_id"))


def _cascaded_from_site(instance: Any, origin: Any) -> bool:
    """True for a row deleted because its site is: no need to bump that site per row
    (a large site's deletion cascades to tens of thousands of them)."""
    if isinstance(origin, Site):
        return getattr(instance, "site_id", None) == origin.pk
    return isinstance(origin, models.QuerySet) and origin.model is Site


def _receivers(sites_of: Callable[[Any], Q]) -> tuple[Callable[..., None], Callable[..., None]]:
    def before(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
        if kwargs.get("raw") or _cascaded_from_site(instance, kwargs.get("origin")):
            return  # raw: fixtures load the site's revision as it was dumped
        if connections[using].in_atomic_block:
            score_revision.bump_where(sites_of(instance))
        elif instance.pk is not None:
            # Bumped after the write; the row's site(s) as stored are read now.
            stored = Site.objects.using(using).filter(sites_of(instance)).values_list("pk")
            instance._score_cache_sites = [pk for (pk,) in stored]

    def after(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
        if kwargs.get("raw") or connections[using].in_atomic_block:
            return
        before_write = getattr(instance, "_score_cache_sites", [])
        score_revision.bump_where(sites_of(instance) | Q(pk__in=before_write))

    return before, after


def _site_pre_save(sender: Any, instance: Site, raw: bool = False, **kwargs: Any) -> None:
    # Raised in the UPDATE itself: the instance may carry a revision read before another
    # write bumped it, and writing that old value back would let an old key be reused.
    if not raw and not instance._state.adding:
        instance.scores_revision = F("scores_revision") + 1  # type: ignore[assignment]


def _site_post_save(sender: Any, instance: Site, raw: bool = False, **kwargs: Any) -> None:
    if isinstance(instance.scores_revision, F | CombinedExpression):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "scores_revision" not in update_fields:
            score_revision.bump([instance.pk])  # the expression was not written
        instance.refresh_from_db(fields=["scores_revision"])


# The models whose rows a score reads, with how to find their site(s).
SCORED_MODELS: tuple[tuple[type[models.Model], Callable[[Any], Q]], ...] = (
    (OperatingHours, _site_q),
    (EngagementEvent, _site_q),
    (SupportStatement, _site_q),
    (LiaisonAssignment, _site_q),
    (Protocol, _site_q),
    (ProtocolClause, _protocol_site_q),
    (Acknowledgement, _protocol_site_q),
    (CheckInSchedule, _site_q),
    (CheckIn, _site_q),
    (Interaction, _site_q),
    (LiaisonOfficer, _officer_sites_q),
)
_CONNECTED: list[Callable[..., None]] = []  # signals keep weak references

for _model, _sites_of in SCORED_MODELS:
    _before, _after = _receivers(_sites_of)
    _CONNECTED += [_before, _after]
    _name = _model.__name__
    pre_save.connect(_before, sender=_model, dispatch_uid=f"score-cache-pre-save-{_name}")
    post_save.connect(_after, sender=_model, dispatch_uid=f"score-cache-save-{_name}")
    pre_delete.connect(_before, sender=_model, dispatch_uid=f"score-cache-pre-delete-{_name}")
    post_delete.connect(_after, sender=_model, dispatch_uid=f"score-cache-delete-{_name}")
pre_save.connect(_site_pre_save, sender=Site, dispatch_uid="score-cache-site-pre-save")
post_save.connect(_site_post_save, sender=Site, dispatch_uid="score-cache-site-post-save")
