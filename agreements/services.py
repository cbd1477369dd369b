"""Writes. Every change to a site's records goes through these functions, each in one
transaction, validating the whole record (`full_clean`) before it is saved and writing
its audit entry (the names of the fields that changed) in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import audit, score_cache
from agreements.audit import Action, changed_fields
from agreements.choices import ProtocolStatus
from agreements.models import (
    Interaction,
    OperatingHours,
    Protocol,
    ProtocolClause,
    RubricWeights,
    Site,
)
from agreements.types import Actor
from agreements.versioning import bump, check_version

M = TypeVar("M", bound=models.Model)

PROTOCOL_SIGNED_NOT_DELETABLE = _(
    "A signed protocol version is part of the record and is never deleted."
)


def _lock_site(site_id: int) -> None:
    # Serialises writes per site, so checks that read other rows (one primary liaison on
    # any day, protocol version numbers) cannot race. A no-op on SQLite, which locks the
    # whole database for a write anyway.
    list(Site.objects.select_for_update().filter(pk=site_id).values_list("pk"))


def record_save(*, instance: M, actor: Actor = None) -> M:
    """Validate and save one record of a site (create or update)."""
    with transaction.atomic():
        site_id = getattr(instance, "site_id", None)
        if site_id is not None:
            _lock_site(site_id)
        instance.full_clean()
        _save_audited(instance, actor)
    return instance


def _save_audited(
    instance: models.Model, actor: Actor, extra: Iterable[str] = (), site: Site | None = None
) -> None:
    """Save and write the audit entry; an update that changed nothing writes none. An
    update of a record changed since its page loaded it is refused (`EditConflict`)."""
    creating = instance._state.adding
    check_version(instance)
    fields = [*changed_fields(instance), *extra]
    if fields:
        bump(instance)
    instance.save()
    if creating or fields:
        audit.record(Action.CREATE if creating else Action.UPDATE, actor=actor, obj=instance,
                     fields=fields, site=site)  # fmt: skip


def interaction_log(*, interaction: Interaction, actor: Actor = None) -> Interaction:
    """Log (or correct) a police interaction; the first author is kept for the audit."""
    if interaction.pk is None and actor is not None and actor.is_authenticated:
        interaction.logged_by = actor
    return record_save(instance=interaction, actor=actor)


def record_delete(*, instance: models.Model, actor: Actor = None) -> None:
    with transaction.atomic():
        if isinstance(instance, Protocol) and instance.is_signed:
            raise ValidationError(PROTOCOL_SIGNED_NOT_DELETABLE)
        check_version(instance)  # nobody changed it since the confirmation page loaded
        audit.record(Action.DELETE, actor=actor, obj=instance)
        instance.delete()


def site_save(
    *,
    site: Site,
    hours: Iterable[dict[str, Any]],
    actor: Actor = None,
) -> Site:
    """Save a site and replace its weekly operating hours."""
    with transaction.atomic():
        site.full_clean()
        rows = [OperatingHours(site=site, **row) for row in hours]
        before = {(h.weekday, h.opens, h.closes) for h in site.hours.all()} if site.pk else set()
        after = {(r.weekday, r.opens, r.closes) for r in rows}
        _save_audited(site, actor, extra=["hours"] if before != after else [])
        weekdays = [row.weekday for row in rows]
        if len(weekdays) != len(set(weekdays)):
            raise ValidationError(gettext("Enter at most one row of operating hours per weekday."))
        for row in rows:
            row.full_clean(exclude=["site"])
        site.hours.all().delete()
        OperatingHours.objects.bulk_create(rows)
        score_cache.bump([site.pk])  # bulk_create sends no signal
    return site


def protocol_save(
    *,
    protocol: Protocol,
    clauses: Iterable[ProtocolClause] = (),
    removed_clauses: Iterable[ProtocolClause] = (),
    actor: Actor = None,
) -> Protocol:
    """Save a draft or negotiating version with its clauses, or sign it.

    Signing a version ends earlier signed versions that are still open on the day the
    new one takes effect, so that one version is in force at a time.
    """
    with transaction.atomic():
        _lock_site(protocol.site_id)
        if protocol.pk is None:
            highest = Protocol.objects.filter(site_id=protocol.site_id).aggregate(v=Max("version"))[
                "v"
            ]
            protocol.version = (highest or 0) + 1
        else:
            check_version(protocol)
            stored = Protocol.objects.get(pk=protocol.pk)
            if stored.is_signed:
                raise ValidationError(
                    gettext(
                        "A signed protocol version cannot be changed: start a new version instead."
                    )
                )
        becoming_signed = protocol.status == ProtocolStatus.SIGNED
        if becoming_signed:
            _refuse_out_of_order(protocol)
        # The version is stored unsigned first, so that its clauses may still be written.
        creating = protocol._state.adding
        changed = changed_fields(protocol)
        protocol_status, protocol.status = protocol.status, ProtocolStatus.DRAFT
        protocol.full_clean()
        protocol.save()
        clauses_changed = False
        for clause in removed_clauses:
            if clause.pk:
                clause.delete()
                clauses_changed = True
        for position, clause in enumerate(clauses):
            clause.protocol = protocol
            clause.position = position
            clause.full_clean()
            clauses_changed |= clause._state.adding or bool(changed_fields(clause))
            clause.save()
        protocol.status = protocol_status
        fields = [*changed, *(["clauses"] if clauses_changed else [])]
        if fields:
            bump(protocol)
        protocol.full_clean()
        protocol.save()
        if creating or fields:
            audit.record(Action.CREATE if creating else Action.UPDATE, actor=actor,
                         obj=protocol, fields=fields)  # fmt: skip
        if becoming_signed:
            _end_superseded(protocol, actor)
    return protocol


def weights_set(*, weights: dict[str, int], actor: Actor = None) -> RubricWeights:
    """Record new factor weights; the newest row is the one in effect."""
    with transaction.atomic():
        before = RubricWeights.objects.order_by("-changed_at", "-id").first()
        previous = before.as_dict() if before else dict.fromkeys(weights, 1)
        row = RubricWeights(**weights)
        if actor is not None and actor.is_authenticated:
            row.changed_by = actor
        row.full_clean()
        row.save()
        audit.record(
            Action.WEIGHTS,
            actor=actor,
            obj=row,
            fields=[key for key in weights if weights[key] != previous.get(key)],
            detail="weights " + "/".join(str(weights[k]) for k in weights),
        )
    return row


def _refuse_out_of_order(protocol: Protocol) -> None:
    """Versions take effect in order, so that exactly one is in force on any day."""
    latest = (
        Protocol.objects.filter(
            site_id=protocol.site_id,
            status__in=[ProtocolStatus.SIGNED, ProtocolStatus.ENDED],
            effective_from__isnull=False,
        )
        .exclude(pk=protocol.pk)
        .order_by("-effective_from")
        .first()
    )
    if latest is None or latest.effective_from is None or protocol.effective_from is None:
        return
    if protocol.effective_from <= latest.effective_from:
        raise ValidationError(
            {
                "effective_from": gettext(
                    "Version %(version)s took effect on %(day)s; "
                    "a newly signed version must take effect after that day."
                )
                % {"version": latest.version, "day": latest.effective_from}
            }
        )


def protocol_new_version(*, source: Protocol, actor: Actor = None) -> Protocol:
    """Start a draft from an existing version, copying its clauses."""
    with transaction.atomic():
        check_version(source)  # the copy starts from the clauses its page showed
        draft = Protocol(
            site=source.site, status=ProtocolStatus.DRAFT, created_on=source.site.today()
        )
        clauses = [
            ProtocolClause(topic=clause.topic, text=clause.text) for clause in source.clauses.all()
        ]
        return protocol_save(protocol=draft, clauses=clauses, actor=actor)


def _end_superseded(protocol: Protocol, actor: Actor) -> None:
    assert protocol.effective_from is not None
    superseded = Protocol.objects.filter(
        site_id=protocol.site_id,
        status=ProtocolStatus.SIGNED,
        effective_from__lt=protocol.effective_from,
        ended_on__isnull=True,
    ).exclude(pk=protocol.pk)
    for older in superseded:
        older.status = ProtocolStatus.ENDED
        older.ended_on = protocol.effective_from
        older.full_clean()
        _save_audited(older, actor)


def protocol_end(*, protocol: Protocol, ended_on: Any, actor: Actor = None) -> Protocol:
    """End a signed version (the agreement lapsed or was withdrawn)."""
    with transaction.atomic():
        if protocol.status != ProtocolStatus.SIGNED:
            raise ValidationError(gettext("Only a signed version in force can be ended."))
        protocol.status = ProtocolStatus.ENDED
        protocol.ended_on = ended_on
        protocol.full_clean()
        _save_audited(protocol, actor)
    return protocol
