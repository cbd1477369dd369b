"""Writes. Every change to a site's records goes through these functions, each in one
transaction, validating the whole record (`full_clean`) before it is saved and writing
its audit entry (the names of the fields that changed) in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import audit, score_revision
from agreements.audit import Action, changed_fields
from agreements.choices import REQUIRED_TOPICS, ProtocolStatus
from agreements.models import (
    RESERVED_SLUGS,
    Interaction,
    OperatingHours,
    Protocol,
    ProtocolClause,
    RubricWeights,
    Site,
)
from agreements.pii_guard import site_roster
from agreements.protocol_rules import IN_FORCE, UPCOMING, shown_status
from agreements.types import Actor
from agreements.versioning import bump, check_version
from privacy.pii import check_text

M = TypeVar("M", bound=models.Model)

# Apps above this one that act when a version is signed (consultations closes the
# version's consultation), registered from their AppConfig.ready() as with
# agreements.sharing.register_after_share; run inside the signing transaction.
AfterSign = Callable[[Protocol, Actor], None]
_after_sign: list[AfterSign] = []


def register_after_sign(hook: AfterSign) -> None:
    if hook not in _after_sign:
        _after_sign.append(hook)


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
    instance: models.Model,
    actor: Actor,
    extra: Iterable[str] = (),
    site: Site | None = None,
    detail: str = "",
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
                     fields=fields, site=site, detail=detail)  # fmt: skip


def interaction_log(*, interaction: Interaction, actor: Actor = None) -> Interaction:
    """Log (or correct) a police interaction; the first author is kept for the audit."""
    if interaction.pk is None and actor is not None and actor.is_authenticated:
        interaction.logged_by = actor
    return record_save(instance=interaction, actor=actor)


def delete_refusal(instance: models.Model) -> str | None:
    """Why a record may not be deleted, from the record's own rule (`delete_refusal()`
    on its model), or None. Pages use it to offer or withhold the delete button."""
    rule = getattr(instance, "delete_refusal", None)
    return rule() if rule is not None else None


def record_delete(*, instance: models.Model, actor: Actor = None) -> None:
    """Delete one record with its audit entry, unless the record's rule refuses it."""
    with transaction.atomic():
        site_id = getattr(instance, "site_id", None)
        if site_id is not None:
            _lock_site(site_id)
        if (refusal := delete_refusal(instance)) is not None:
            raise ValidationError(refusal)
        check_version(instance)  # nobody changed it since the confirmation page loaded
        audit.record(Action.DELETE, actor=actor, obj=instance)
        instance.delete()


def site_save(
    *,
    site: Site,
    hours: Iterable[dict[str, Any]],
    actor: Actor = None,
) -> Site:
    """Save a site and replace its weekly operating hours. A new site without a slug gets
    one made from its name."""
    with transaction.atomic():
        if not site.pk and not site.slug and site.name:
            taken = Site.objects.filter(slug__startswith=_slug_base(site.name))
            site.slug = slug_from_name(site.name, set(taken.values_list("slug", flat=True)))
        site.full_clean()
        rows = [OperatingHours(site=site, **row) for row in hours]
        before = {(h.weekday, h.opens, h.closes) for h in site.hours.all()} if site.pk else set()
        after = {(r.weekday, r.opens, r.closes) for r in rows}
        _save_audited(site, actor, extra=["hours"] if before != after else [])
        if repeated_weekdays([row.weekday for row in rows]):
            raise ValidationError(ONE_HOURS_ROW_PER_WEEKDAY)
        for row in rows:
            row.full_clean(exclude=["site"])
        site.hours.all().delete()
        OperatingHours.objects.bulk_create(rows)
        score_revision.bump([site.pk])  # bulk_create sends no signal
    return site


def _slug_base(name: str, max_length: int = 60) -> str:
    return slugify(name)[: max_length - 4].strip("-") or "site"


def slug_from_name(name: str, taken: set[str], max_length: int = 60) -> str:
    """A slug for a site called `name` that is none of `taken` nor reserved: the name
    slugified (accents dropped), then -2, -3 … until it is free."""
    base = _slug_base(name, max_length)
    candidate, number = base, 1
    while candidate in taken or candidate in RESERVED_SLUGS:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


ONE_HOURS_ROW_PER_WEEKDAY = _("Enter at most one row of operating hours per weekday.")


def repeated_weekdays(weekdays: Sequence[int]) -> list[int]:
    """The positions of hours rows whose weekday an earlier row already has: a site has
    at most one row per weekday (`site_save` and the bundle import)."""
    seen: set[int] = set()
    repeated = []
    for position, weekday in enumerate(weekdays):
        if weekday in seen:
            repeated.append(position)
        seen.add(weekday)
    return repeated


def protocol_save(
    *,
    protocol: Protocol,
    clauses: Iterable[ProtocolClause] = (),
    removed_clauses: Iterable[ProtocolClause] = (),
    actor: Actor = None,
    detail: str = "",
) -> Protocol:
    """Save a draft or negotiating version with its clauses, or sign it (pages sign
    through `protocol_sign`, which says first what signing does).

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
        confirmed_in_clauses: set[str] = set()
        for position, clause in enumerate(clauses):
            clause.protocol = protocol
            clause.position = position
            # The writer's confirmation covers the whole page: the version and its clauses.
            clause.pii_confirmed = clause.pii_confirmed or protocol.pii_confirmed
            clause.full_clean()
            for kinds in clause.pii_confirmed_warnings.values():
                confirmed_in_clauses.update(kinds)
            clauses_changed |= clause._state.adding or bool(changed_fields(clause))
            clause.save()
        protocol.status = protocol_status
        fields = [*changed, *(["clauses"] if clauses_changed else [])]
        if fields:
            bump(protocol)
        protocol.full_clean()
        if confirmed_in_clauses:
            protocol.pii_confirmed_warnings["clauses"] = sorted(confirmed_in_clauses)
        protocol.save()
        if creating or fields:
            audit.record(Action.CREATE if creating else Action.UPDATE, actor=actor,
                         obj=protocol, fields=fields, detail=detail)  # fmt: skip
        if becoming_signed:
            _end_superseded(protocol, actor)
            for hook in _after_sign:
                hook(protocol, actor)
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
    validate_protocol_order(
        protocol,
        Protocol.objects.filter(
            site_id=protocol.site_id,
            status__in=[ProtocolStatus.SIGNED, ProtocolStatus.ENDED],
            effective_from__isnull=False,
        ).exclude(pk=protocol.pk),
    )


def validate_protocol_order(protocol: Protocol, signed: Iterable[Protocol]) -> None:
    """Versions take effect in order, so that exactly one is in force on any day: a
    version being signed takes effect after every other signed or ended version of its
    site (`signed`). A pure rule, shared by `protocol_save` and the bundle import."""
    dated = [(p.effective_from, p) for p in signed if p.effective_from and p is not protocol]
    if not dated or protocol.effective_from is None:
        return
    day, latest = max(dated, key=lambda item: item[0])
    if protocol.effective_from <= day:
        raise ValidationError(
            {
                "effective_from": gettext(
                    "Version %(version)s took effect on %(day)s; "
                    "a newly signed version must take effect after that day."
                )
                % {"version": latest.version, "day": day}
            }
        )


def superseded(versions: Iterable[Protocol]) -> list[Protocol]:
    """The signed versions still in force although another takes effect after them:
    signing that later version ends them (`protocol_save`), and a bundle, which records
    history, must give them as ended. A pure rule, shared by both."""
    dated = [p for p in versions if p.is_signed and p.effective_from is not None]
    if not dated:
        return []
    latest = max(p.effective_from for p in dated if p.effective_from is not None)
    return [
        p
        for p in dated
        if p.status == ProtocolStatus.SIGNED
        and p.effective_from is not None
        and p.effective_from < latest
    ]


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
    in_force = Protocol.objects.filter(site_id=protocol.site_id, status=ProtocolStatus.SIGNED)
    for older in superseded([protocol, *in_force.exclude(pk=protocol.pk)]):
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


# --- signing and withdrawing -------------------------------------------------------------


@dataclass(frozen=True)
class SigningEffects:
    """What signing a version does, said on the confirmation page before it is done:
    the required topics (SPEC §5) it leaves out, and the versions it ends, each from the
    new version's first day (they stay in force until then)."""

    missing_topics: list[str]
    ends: list[Protocol]
    from_day: date | None


def missing_topics(topics: Iterable[str]) -> list[str]:
    """The required topics (SPEC §5) that no clause covers, in the order of the spec."""
    covered = set(topics)
    return [topic for topic in REQUIRED_TOPICS if topic not in covered]


def signing_effects(protocol: Protocol, effective_from: date | None) -> SigningEffects:
    """What signing `protocol` to take effect on `effective_from` would do (no write)."""
    candidate = Protocol(
        site_id=protocol.site_id, version=protocol.version, status=ProtocolStatus.SIGNED,
        effective_from=effective_from,
    )  # fmt: skip
    others = Protocol.objects.filter(site_id=protocol.site_id, status=ProtocolStatus.SIGNED)
    others = others.exclude(pk=protocol.pk)
    # Signing takes effect after every other signed version (`validate_protocol_order`),
    # so before its day is chosen, every version still signed is the one it will end.
    ends = (
        [p for p in superseded([candidate, *others]) if p is not candidate]
        if effective_from
        else list(others)
    )
    return SigningEffects(
        missing_topics=missing_topics(protocol.clauses.values_list("topic", flat=True)),
        ends=sorted(ends, key=lambda p: p.version),
        from_day=effective_from,
    )


def protocol_sign(
    *,
    protocol: Protocol,
    signed_on: date,
    effective_from: date,
    missing_acknowledged: bool = False,
    actor: Actor = None,
) -> Protocol:
    """Sign a draft or negotiating version as it stands. Required topics it leaves out
    are a warning the signer must acknowledge (`missing_acknowledged`), not a refusal.
    Earlier signed versions end on the day this one takes effect (`protocol_save`)."""
    with transaction.atomic():
        _lock_site(protocol.site_id)
        check_version(protocol)  # signs what the confirmation page showed
        if Protocol.objects.filter(pk=protocol.pk, status__in=SIGNED_OR_ENDED).exists():
            raise ValidationError(gettext("This version is already signed."))
        missing = missing_topics(protocol.clauses.values_list("topic", flat=True))
        if missing and not missing_acknowledged:
            raise ValidationError(
                {
                    "missing_acknowledged": gettext(
                        "This version leaves out required topics: confirm that you sign it "
                        "without them."
                    )
                }
            )
        protocol.status = ProtocolStatus.SIGNED
        protocol.signed_on = signed_on
        protocol.effective_from = effective_from
        detail = f"signed version {protocol.version}"
        if missing:
            detail += "; signed without required topics: " + ", ".join(missing)
        return protocol_save(protocol=protocol, actor=actor, detail=detail)


SIGNED_OR_ENDED = [ProtocolStatus.SIGNED, ProtocolStatus.ENDED]


def withdraw_refusal(protocol: Protocol, today: date) -> str | None:
    """Why this version may not be withdrawn (None: it may): only a signed version whose
    first day is still to come; once it is in force it can only be ended or superseded."""
    if protocol.status != ProtocolStatus.SIGNED:
        return gettext("Only a signed version that has not taken effect can be withdrawn.")
    if protocol.effective_from is None or protocol.effective_from <= today:
        return gettext(
            "This version has taken effect: it can no longer be withdrawn, only ended or "
            "superseded by a newer version."
        )
    return None


def protocol_withdraw(*, protocol: Protocol, reason: str, actor: Actor = None) -> Protocol:
    """Withdraw a signed version before it takes effect: it goes back to `negotiating`
    (its signing day cleared, its clauses editable again), the versions its signing ended
    are in force again as if it had never been signed, and acknowledgements of it are
    removed (they were of a text that may now change). The reason, required, passes the
    PII guard and is kept in the audit entry."""
    with transaction.atomic():
        _lock_site(protocol.site_id)
        check_version(protocol)
        site = protocol.site
        today = site.today()
        if (refusal := withdraw_refusal(protocol, today)) is not None:
            raise ValidationError(refusal)
        reason = " ".join(reason.split())
        if not reason:
            raise ValidationError({"reason": gettext("Say why this version is withdrawn.")})
        try:
            check_text(reason, officers=site_roster(site.pk))
        except ValidationError as error:
            raise ValidationError({"reason": error.messages}) from None
        ended_by_it = Protocol.objects.filter(
            site_id=protocol.site_id,
            status=ProtocolStatus.ENDED,
            ended_on=protocol.effective_from,
        ).exclude(pk=protocol.pk)
        for older in ended_by_it:
            older.status = ProtocolStatus.SIGNED
            older.ended_on = None
            older.full_clean()
            _save_audited(
                older, actor, detail=f"in force again: version {protocol.version} withdrawn"
            )
        for ack in protocol.acknowledgements.all():
            gone = f"acknowledgement of withdrawn version {protocol.version}"
            audit.record(Action.DELETE, actor=actor, site=site, obj=ack, detail=gone)
            ack.delete()
        protocol.status = ProtocolStatus.NEGOTIATING
        protocol.signed_on = None
        protocol.full_clean()
        _save_audited(
            protocol,
            actor,
            detail=f"withdrawn before taking effect; reason: {reason}",
        )
    return protocol


def acknowledge_refusal(protocol: Protocol, today: date) -> str | None:
    """Why police may not acknowledge this version (None: they may): the version in
    force or a signed one still to take effect, never a draft or an ended one."""
    if shown_status(protocol, today).kind in (IN_FORCE, UPCOMING):
        return None
    return gettext(
        "Only the version in force or a signed version still to come can be acknowledged."
    )
