"""One site's whole record as JSON ("hr-police-bundle/1", SPEC §7), out and back in.

`export_bundle` writes the keys of the SPEC example, plus optional keys (documented in
docs/bundle.md) only where a record differs from the model default, so plain records
give strictly spec-shaped bundles. `import_bundle` is all-or-nothing: the bundle is read
with the pydantic models of `bundles.schema`, checked across records (the
bundle's own references, and the services' rules that span records, called rather than
copied), then every record is validated with its model's `full_clean()` while it is
written, inside one transaction that is rolled back when anything was refused. Errors
are collected rather than raised one at a time, each naming the record path and key.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Prefetch, ProtectedError, Q, RestrictedError

from agreements import score_revision
from agreements.audit import changed_fields
from agreements.choices import ProtocolStatus
from agreements.models import (
    DailyAttendance,
    EngagementEvent,
    Interaction,
    Membership,
    OperatingHours,
    Protocol,
    ProtocolClause,
    Site,
    SupportStatement,
    badge_list,
)
from agreements.pii_guard import GuardedText, site_roster
from agreements.services import (
    ONE_HOURS_ROW_PER_WEEKDAY,
    repeated_weekdays,
    superseded,
    validate_protocol_order,
)
from bundles.schema import (
    FORMAT,
    LISTS,
    AcknowledgementRecord,
    AssignmentRecord,
    AttendanceRecord,
    Bundle,
    CheckInRecord,
    ClauseRecord,
    EngagementRecord,
    Errors,
    HoursRecord,
    InteractionRecord,
    OfficerRecord,
    ProtocolRecord,
    Record,
    ScheduleRecord,
    SiteRecord,
    StatementRecord,
    describe,
    read_bundle,
)
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
)
from liaisons.services import find_service, normalise_service_name

__all__ = [
    "FORMAT",
    "BundleError",
    "bundle_counts",
    "dump_bundle",
    "export_bundle",
    "import_bundle",
    "load_bundle",
]

M = TypeVar("M", bound=models.Model)
R = TypeVar("R", bound=Record)
BATCH = 500

# Where an error on a police service created from an officer record is reported.
SERVICE_KEYS = {"name": "service", "jurisdiction": "jurisdiction"}


SITE_FIRST = (
    "site: every record belongs to the site, so the records were checked for shape only; "
    "the model rules (dates, overlaps, recurrence rules…) are checked once the site is valid"
)


class BundleError(Exception):
    """A bundle refused; `messages` holds every reason found, each "path.key: why"."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


# --- bytes and JSON --------------------------------------------------------------------


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads silently keeps the last of repeated keys: a record would lose data.
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _RepeatedKey(key)
        seen.add(key)
    return dict(pairs)


def load_bundle(raw: bytes) -> dict[str, Any]:
    """Decode a bundle file: UTF-8 JSON holding one object."""
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark some editors write
    except UnicodeDecodeError as exc:
        raise BundleError([f"The file is not UTF-8 text (byte {exc.start} is invalid)."]) from None
    try:
        data = json.loads(text, object_pairs_hook=_refuse_repeated_keys)
    except json.JSONDecodeError as exc:
        raise BundleError(
            [f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]
        ) from None
    except _RepeatedKey as exc:
        raise BundleError(
            [
                f"The file repeats the key {describe(exc.key)} within one object; JSON would "
                "keep only the last value, so the bundle is refused."
            ]
        ) from None
    except (ValueError, RecursionError) as exc:  # e.g. a number with too many digits
        raise BundleError([f"The file is not usable JSON: {exc}."]) from None
    if not isinstance(data, dict):
        raise BundleError([f"A bundle is one JSON object {{…}}, not {describe(data)}."])
    return data


def dump_bundle(bundle: dict[str, Any]) -> str:
    """The bundle as JSON text, keys in the order of SPEC §7."""
    return json.dumps(bundle, indent=1, ensure_ascii=False)


def bundle_counts(data: dict[str, Any]) -> dict[str, int]:
    """How many records of each list a (valid) bundle holds, for summaries."""
    return {name: len(data.get(name) or []) for name in LISTS}


# --- export ----------------------------------------------------------------------------


def _record(model: type[R], obj: models.Model | None, tz: ZoneInfo, **by_code: Any) -> R:
    """One record from a Django object: the fields the record holds, read from `obj`,
    except those given `by_code` (by bundle key). Built without validation (the values
    come from the database); the record model's serializers write them."""
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        value = by_code[key] if key in by_code else getattr(obj, name)
        if isinstance(value, datetime):
            value = value.astimezone(tz).replace(tzinfo=None)  # local wall-clock time
        elif isinstance(value, str):
            value = str(value)  # a TextChoices member as its plain value
        values[name] = value
    return model.model_construct(**values)


def roster(site: Site) -> models.QuerySet[LiaisonOfficer]:
    """Every officer a site's records name: assigned, registered from the site, expected at
    its check-ins or having acknowledged one of its protocol versions."""
    return (
        LiaisonOfficer.objects.filter(
            Q(assignments__site=site)
            | Q(registered_for=site)
            | Q(schedules__site=site)
            | Q(acknowledgements__protocol__site=site)
        )
        .distinct()
        .select_related("service")
        .order_by("badge_number", "service__name")
    )


def _officers(site: Site, tz: ZoneInfo) -> list[OfficerRecord]:
    officers = list(roster(site))
    badges = [o.badge_number for o in officers]
    shared = sorted(badge for badge, count in Counter(badges).items() if count > 1)
    if shared:
        # A bundle names officers by badge alone, so it cannot tell these apart.
        raise BundleError(
            [f"officers: badge {b} belongs to officers of several police services" for b in shared]
        )
    return [
        _record(OfficerRecord, o, tz, service=o.service.name, jurisdiction=o.service.jurisdiction)
        for o in officers
    ]


def _protocols(site: Site, tz: ZoneInfo) -> list[ProtocolRecord]:
    protocols = site.protocols.order_by("version").prefetch_related(
        Prefetch("clauses", ProtocolClause.objects.order_by("position", "id")),
        Prefetch(
            "acknowledgements",
            Acknowledgement.objects.select_related("officer").order_by(
                "acknowledged_at", "officer__badge_number"
            ),
        ),
    )
    return [
        _record(
            ProtocolRecord,
            p,
            tz,
            clauses=[_record(ClauseRecord, c, tz) for c in p.clauses.all()],
            acknowledgements=[
                _record(AcknowledgementRecord, a, tz, badge=a.officer.badge_number)
                for a in p.acknowledgements.all()
            ],
        )
        for p in protocols
    ]


def _schedules(site: Site, tz: ZoneInfo) -> list[ScheduleRecord]:
    schedules = site.schedules.order_by("key").prefetch_related(
        Prefetch("expected_officers", LiaisonOfficer.objects.order_by("badge_number"))
    )
    return [
        _record(ScheduleRecord, s, tz, expected=[o.badge_number for o in s.expected_officers.all()])
        for s in schedules
    ]


def export_bundle(site: Site) -> dict[str, Any]:
    """The site's whole record. Lists are in a stable order (by date, then by id), so that
    exporting what an import wrote gives the same bundle."""
    tz = site.tz
    hours = [_record(HoursRecord, h, tz) for h in site.hours.order_by("weekday")]
    bundle = Bundle.model_construct(
        format=FORMAT,
        site=_record(SiteRecord, site, tz, operating_hours=hours),
        officers=_officers(site, tz),
        assignments=[
            _record(AssignmentRecord, a, tz, badge=a.officer.badge_number)
            for a in site.assignments.select_related("officer").order_by("start", "id")
        ],
        engagements=[
            _record(EngagementRecord, e, tz) for e in site.engagements.order_by("date", "id")
        ],
        support_statements=[
            _record(StatementRecord, s, tz) for s in site.support_statements.order_by("date", "id")
        ],
        protocols=_protocols(site, tz),
        schedules=_schedules(site, tz),
        checkins=[
            _record(CheckInRecord, c, tz, schedule=c.schedule.key if c.schedule else None)
            for c in site.checkins.select_related("schedule").order_by("scheduled_start", "id")
        ],
        interactions=[
            _record(InteractionRecord, i, tz, badges=badge_list(i.badge_numbers))
            for i in site.interactions.order_by("occurred_at", "id")
        ],
        attendance=[_record(AttendanceRecord, d, tz) for d in site.attendance.order_by("date")],
    )
    exported: dict[str, Any] = bundle.model_dump(mode="json", by_alias=True)
    return exported


# --- import ----------------------------------------------------------------------------


def import_bundle(
    data: dict[str, Any],
    *,
    replace: bool = False,
    accept_warnings: bool = False,
    confirmed: list[str] | None = None,
) -> Site:
    """Create the bundle's site with all its records, or change nothing and raise
    BundleError with every reason found. With `replace`, a site with the same slug is
    deleted first, in the same transaction (its memberships move to the new site).

    Text the PII guard warns about (a passage that seems to describe a client) is refused
    like any invalid value, naming the record and key, unless `accept_warnings`: then it
    is imported as confirmed, and the keys it was found at are added to `confirmed` (for
    the audit entry; never the text)."""
    if not isinstance(data, dict):
        raise BundleError([f"A bundle is one JSON object {{…}}, not {describe(data)}."])
    if data.get("format") != FORMAT:
        # Another format would make every other message misleading: stop here.
        raise BundleError(
            [f"format: expected {describe(FORMAT)}, got {describe(data.get('format'))}"]
        )
    bundle, errors = read_bundle(data)
    check_across_records(bundle, errors)
    if bundle.site.refused:
        raise BundleError([*errors.messages, SITE_FIRST])
    try:
        with transaction.atomic():
            writer = _Writer(bundle, errors, accept_warnings=accept_warnings)
            site = writer.write(replace=replace)
            if errors:
                raise BundleError(errors.messages)  # leaving the block rolls everything back
            score_revision.bump([site.pk])  # the records were written with bulk_create
            if confirmed is not None:
                confirmed.extend(writer.confirmed)
    except (DatabaseError, ProtectedError, RestrictedError) as exc:
        raise BundleError([*errors.messages, f"The database refused the import: {exc}"]) from None
    return site


# --- rules across records --------------------------------------------------------------


def live(records: Iterable[R], path: str) -> list[tuple[str, R]]:
    """The records not refused so far, each with its path in the bundle."""
    return [(f"{path}[{i}]", r) for i, r in enumerate(records) if not r.refused]


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | time) else value


def _refuse_repeats(
    items: Iterable[tuple[str, Record]], name: str, errors: Errors, why: str
) -> None:
    """Refuse a value of `name` an earlier record already has (that one stays valid)."""
    seen: dict[Any, str] = {}
    for path, record in items:
        value = getattr(record, name)
        key = type(record).key_for(name)
        if value in seen:
            errors.add(f"{path}.{key}", f"{describe(_jsonable(value))} {why} (see {seen[value]})")
            record.refuse()
        else:
            seen[value] = path


def _refuse_unknown(
    items: Iterable[tuple[str, Record]], name: str, known: set[str], errors: Errors, what: str
) -> None:
    """Refuse a reference (a badge, a schedule key) that no record of the bundle declares."""
    for path, record in items:
        value = getattr(record, name)
        key = type(record).key_for(name)
        values = value if isinstance(value, list) else [value]
        for i, item in enumerate(values):
            if item is not None and item not in known:
                where = f"{path}.{key}" + (f"[{i}]" if isinstance(value, list) else "")
                errors.add(
                    where, f"{describe(item)} is not the {what} of any record in this bundle"
                )
                record.refuse()


def _check_jurisdictions(officers: Iterable[tuple[str, OfficerRecord]], errors: Errors) -> None:
    """One police service, one jurisdiction: officers naming it must not disagree."""
    seen: dict[str, tuple[str, str]] = {}
    for path, officer in officers:
        if not officer.jurisdiction:
            continue
        name = _service_key(officer.service)
        if name in seen and seen[name][0] != officer.jurisdiction:
            errors.add(
                f"{path}.jurisdiction",
                f"{describe(officer.jurisdiction)} differs from {describe(seen[name][0])} given "
                f"for the same police service at {seen[name][1]}",
            )
            officer.refuse()
        seen.setdefault(name, (officer.jurisdiction, path))


def _service_key(name: str) -> str:
    # As `find_service` matches: extra spaces dropped, case ignored.
    return normalise_service_name(name).casefold()


def _check_hours(site: SiteRecord, errors: Errors) -> None:
    """One row of hours per weekday: the rule of `site_save`, called, not copied."""
    hours = live(site.operating_hours, "site.operating_hours")
    for position in repeated_weekdays([row.weekday for _, row in hours]):
        path, row = hours[position]
        errors.add(f"{path}.weekday", str(ONE_HOURS_ROW_PER_WEEKDAY))
        row.refuse()


def _check_protocol_order(protocols: list[tuple[str, ProtocolRecord]], errors: Errors) -> None:
    """The order `protocol_save` keeps (its own rules, called): signed versions take effect
    one after another, and every one but the latest to take effect has ended."""
    signed = [
        (path, record, Protocol(version=record.version, status=record.status,
                                effective_from=record.effective_from))
        for path, record in protocols
        if record.status in (ProtocolStatus.SIGNED, ProtocolStatus.ENDED)
        and record.effective_from is not None
    ]  # fmt: skip
    # Taken in the order they took effect, as if signed one after another.
    in_order = sorted(signed, key=lambda item: item[2].effective_from or date.min)
    for position, (path, record, version) in enumerate(in_order):
        try:
            validate_protocol_order(version, [v for _, _, v in in_order[:position]])
        except ValidationError as exc:
            _report(exc, ProtocolRecord, path, errors)
            record.refuse()
    by_version = {id(version): (path, record) for path, record, version in signed}
    ended_last = max((v.effective_from for _, _, v in signed if v.effective_from), default=None)
    for version in superseded(v for _, _, v in signed):
        path, record = by_version[id(version)]
        errors.add(
            f"{path}.status",
            f"a later signed version takes effect on {_jsonable(ended_last)}, so this one has "
            'ended: give status "ended" and its ended_on',
        )
        record.refuse()


def check_across_records(bundle: Bundle, errors: Errors) -> None:
    """Duplicates and references within the bundle, and the services' rules that span
    records, without touching the database."""
    if not bundle.site.refused:
        _check_hours(bundle.site, errors)
    officers = live(bundle.officers, "officers")
    _refuse_repeats(officers, "badge_number", errors, "is the badge of an earlier officer")
    _check_jurisdictions(officers, errors)
    badges = {officer.badge_number for _, officer in officers}
    protocols = live(bundle.protocols, "protocols")
    _refuse_repeats(protocols, "version", errors, "is the number of an earlier version")
    _check_protocol_order(protocols, errors)
    acknowledgements = []
    for path, protocol in protocols:
        acks = live(protocol.acknowledgements, f"{path}.acknowledgements")
        _refuse_repeats(acks, "officer", errors, "already acknowledged this version")
        acknowledgements += acks
    schedules = live(bundle.schedules, "schedules")
    _refuse_repeats(schedules, "key", errors, "is the key of an earlier schedule")
    keys = {schedule.key for _, schedule in schedules}
    references: list[tuple[list[tuple[str, Any]], str, set[str], str]] = [
        (live(bundle.assignments, "assignments"), "officer", badges, "badge"),
        (acknowledgements, "officer", badges, "badge"),
        (schedules, "expected_officers", badges, "badge"),
        (live(bundle.checkins, "checkins"), "schedule", keys, "key"),
    ]
    for items, name, known, what in references:
        _refuse_unknown(items, name, known, errors, what)
    _refuse_repeats(live(bundle.attendance, "attendance"), "date", errors, "has a count already")


def _report(exc: ValidationError, record: type[Record], path: str, errors: Errors) -> None:
    """A model's errors, each at the bundle key of the field it concerns."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            errors.add(path, message)
        return
    for field_name, messages in exc.message_dict.items():
        key = None if field_name == NON_FIELD_ERRORS else record.key_for(field_name)
        for message in messages:
            errors.add(f"{path}.{key}" if key else path, message)


# --- writing ---------------------------------------------------------------------------


@cache
def _copied(record: type[Record], model: type[models.Model]) -> tuple[str, ...]:
    """The record's fields that are plain fields of the model, copied as they are; the
    others (references by badge or key, nested records) are converted by the writer."""
    names = []
    for name in record.model_fields:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.is_relation:
            names.append(name)
    return tuple(names)


class _Stop(Exception):
    """The site itself could not be written, so nothing else can be."""


class _Writer:
    """Writes the records of one bundle, validating each with its model's full_clean."""

    def __init__(self, bundle: Bundle, errors: Errors, *, accept_warnings: bool = False) -> None:
        self.bundle = bundle
        self.errors = errors
        self.accept_warnings = accept_warnings
        self.confirmed: list[str] = []  # "interactions[3].narrative (description)"
        self.roster: list[str] | None = None
        self.site = Site()
        self.tz = ZoneInfo("UTC")
        self.services: dict[str, PoliceService | None] = {}
        self.officers: dict[str, LiaisonOfficer | None] = {}
        self.schedules: dict[str, CheckInSchedule | None] = {}

    def write(self, *, replace: bool) -> Site:
        bundle = self.bundle
        try:
            self._site(bundle.site, replace=replace)
        except _Stop:
            raise BundleError(self.errors.messages) from None
        # Weekdays were checked with `site_save`'s rule; the constraint needs no query each.
        self._bulk(OperatingHours, live(bundle.site.operating_hours, "site.operating_hours"),
                   validate_constraints=False)  # fmt: skip
        # A refused officer is absent here, so the records naming it are skipped (its
        # own error is reported); a refused duplicate badge keeps the first officer.
        for path, record in live(bundle.officers, "officers"):
            self.officers.setdefault(record.badge_number, self._officer(path, record))
        self._assignments(live(bundle.assignments, "assignments"))
        # The roster is complete once officers and assignments are written (they come
        # first): the PII guard reads it once, not once per record.
        self.roster = site_roster(self.site.pk)
        self._bulk(EngagementEvent, live(bundle.engagements, "engagements"))
        self._bulk(SupportStatement, live(bundle.support_statements, "support_statements"))
        for path, protocol in live(bundle.protocols, "protocols"):
            self._protocol(path, protocol)
        for path, schedule in live(bundle.schedules, "schedules"):
            self.schedules.setdefault(schedule.key, self._schedule(path, schedule))
        self._checkins(live(bundle.checkins, "checkins"))
        self._interactions(live(bundle.interactions, "interactions"))
        # The bundle's own duplicate check stands in for the per-row unique query.
        self._bulk(DailyAttendance, live(bundle.attendance, "attendance"),
                   validate_constraints=False)  # fmt: skip
        return self.site

    # --- validation

    def _fill(self, instance: M, record: Record) -> M:
        """Copy the record's values onto the instance; a key left out takes the model
        default."""
        given = record.model_fields_set
        for name in _copied(type(record), type(instance)):
            if name in given:
                value = getattr(record, name)
                if isinstance(value, datetime):
                    # The wall-clock reading, as forms take it: at a daylight saving change
                    # the first of a repeated hour, the earlier offset for a skipped one.
                    value = value.replace(tzinfo=self.tz)
            else:
                value = instance._meta.get_field(name).get_default()  # type: ignore[union-attr]
            setattr(instance, name, value)
        return instance

    def _valid(
        self, instance: models.Model, record: type[Record], path: str, **options: Any
    ) -> bool:
        if isinstance(instance, GuardedText):
            instance.pii_confirmed = self.accept_warnings
            if self.roster is not None:
                instance.pii_officers = self.roster
        try:
            instance.full_clean(**options)
        except ValidationError as exc:
            _report(exc, record, path, self.errors)
            return False
        if isinstance(instance, GuardedText):
            for name, kinds in instance.pii_confirmed_warnings.items():
                key = record.key_for(name) or name
                self.confirmed.append(f"{path}.{key} ({', '.join(kinds)})")
        return True

    def _written_here(self, instance: models.Model) -> list[str]:
        """Foreign keys to rows this import has just written (the site, a schedule), for
        full_clean to leave out: proving they exist costs a query per record, 10,000 for a
        large interaction log, and they cannot be missing."""
        names = []
        if self.site.pk is not None and getattr(instance, "site_id", None) == self.site.pk:
            names.append("site")
        schedule = getattr(instance, "schedule", None) if isinstance(instance, CheckIn) else None
        if schedule is not None and schedule in self.schedules.values():
            names.append("schedule")
        return names

    def _bulk(self, model: type[models.Model], items: Iterable[tuple[str, Record]],
              **options: Any) -> None:  # fmt: skip
        instances = []
        for path, record in items:
            instance = self._fill(model(site=self.site), record)
            exclude = self._written_here(instance)
            if self._valid(instance, type(record), path, exclude=exclude, **options):
                instances.append(instance)
        if not self.errors:
            model._default_manager.bulk_create(instances, batch_size=BATCH)

    # --- the site

    def _site(self, record: SiteRecord, *, replace: bool) -> None:
        existing = Site.objects.filter(slug=record.slug).first()
        members: list[tuple[int, str]] = []
        if existing is not None:
            if not replace:
                self.errors.add(
                    "site.slug",
                    f"a site with slug {describe(record.slug)} exists already; import with "
                    "replace (--replace) to delete it and its records first",
                )
                raise _Stop
            # Who may see the site is not part of its record: keep it across the replace.
            members = list(existing.memberships.values_list("user_id", "role"))
            existing.delete()
        self._fill(self.site, record)
        if not self._valid(self.site, SiteRecord, "site"):
            raise _Stop
        self.site.save()
        self.tz = self.site.tz
        Membership.objects.bulk_create(
            Membership(user_id=user_id, role=role, site=self.site) for user_id, role in members
        )

    # --- the police side

    def _service(self, path: str, record: OfficerRecord) -> PoliceService | None:
        token = _service_key(record.service)
        if token not in self.services:
            service = find_service(record.service)
            if service is None:
                # A new service takes the bundle's jurisdiction; an existing one is shared
                # with other sites and is left as it is.
                service = PoliceService(
                    name=normalise_service_name(record.service), jurisdiction=record.jurisdiction
                )
                try:
                    service.full_clean()
                    service.save()
                except ValidationError as exc:
                    for field_name, messages in exc.message_dict.items():
                        key = SERVICE_KEYS.get(field_name)
                        for message in messages:
                            self.errors.add(f"{path}.{key}" if key else path, message)
                    service = None
            self.services[token] = service
        return self.services[token]

    def _officer(self, path: str, record: OfficerRecord) -> LiaisonOfficer | None:
        service = self._service(path, record)
        if service is None:
            return None
        badge = record.badge_number
        # The same officer as `officer_save` would find: same service, same badge.
        officer = LiaisonOfficer.objects.filter(service=service, badge_number=badge).first()
        officer = officer or LiaisonOfficer(service=service)
        if officer.registered_for_id is None:
            officer.registered_for = self.site
        self._fill(officer, record)
        if not self._valid(officer, OfficerRecord, path):
            return None
        if officer.pk is not None and changed_fields(officer):
            others = self._other_sites_of(officer)
            if others:
                # An import changes its own site's records only: another site's roster
                # would silently get a renamed officer (and a different score).
                self.errors.add(
                    f"{path}.badge",
                    f"officer {badge} of {service.name} is on the roster of "
                    f"{', '.join(others)} with other details; an import never changes "
                    "another site's records. Give the same details, or another badge.",
                )
                return None
            officer.save()
        elif officer.pk is None:
            officer.save()
        return officer

    def _other_sites_of(self, officer: LiaisonOfficer) -> list[str]:
        slugs = set(
            Site.objects.filter(Q(assignments__officer=officer) | Q(pk=officer.registered_for_id))
            .exclude(pk=self.site.pk)
            .values_list("slug", flat=True)
        )
        return sorted(slugs)

    def _assignments(self, items: list[tuple[str, AssignmentRecord]]) -> None:
        # One by one, so that each is checked against those before it (one primary a day).
        for path, record in items:
            officer = self.officers.get(record.officer)
            if officer is None:
                continue
            # History may hold assignments of an officer who is inactive today; the rule
            # "an inactive officer takes no new assignment" is about new posts, not history.
            as_active = copy.copy(officer)
            as_active.active = True
            assignment = self._fill(LiaisonAssignment(site=self.site, officer=as_active), record)
            if self._valid(assignment, AssignmentRecord, path):
                assignment.save()

    def _protocol(self, path: str, record: ProtocolRecord) -> None:
        protocol = self._fill(Protocol(site=self.site), record)
        if "created_on" not in record.model_fields_set:
            # Left out: the version was created today at the site.
            protocol.created_on = self.site.today()
        if not self._valid(protocol, ProtocolRecord, path):
            return
        # As `protocol_save` does: stored unsigned while its clauses are written, then
        # given its final status, which makes it immutable.
        status, protocol.status = protocol.status, ProtocolStatus.DRAFT
        protocol.save()
        for position, clause_record in enumerate(record.clauses):
            if clause_record.refused:
                continue
            clause = self._fill(ProtocolClause(protocol=protocol, position=position), clause_record)
            if self._valid(clause, ClauseRecord, f"{path}.clauses[{position}]"):
                clause.save()
        protocol.status = status
        protocol.save(update_fields=["status"])
        for ack_path, ack_record in live(record.acknowledgements, f"{path}.acknowledgements"):
            officer = self.officers.get(ack_record.officer)
            if officer is None:
                continue
            ack = self._fill(Acknowledgement(protocol=protocol, officer=officer), ack_record)
            if self._valid(ack, AcknowledgementRecord, ack_path):
                ack.save()

    def _schedule(self, path: str, record: ScheduleRecord) -> CheckInSchedule | None:
        schedule = self._fill(CheckInSchedule(site=self.site), record)
        if not self._valid(schedule, ScheduleRecord, path):
            return None
        schedule.save()
        expected = [self.officers.get(badge) for badge in record.expected_officers]
        schedule.expected_officers.set([o for o in expected if o is not None])
        return schedule

    def _checkins(self, items: list[tuple[str, CheckInRecord]]) -> None:
        instances = []
        for path, record in items:
            schedule = self.schedules.get(record.schedule) if record.schedule is not None else None
            if record.schedule is not None and schedule is None:
                continue  # the schedule's own error is reported
            checkin = self._fill(CheckIn(site=self.site, schedule=schedule), record)
            if self._valid(checkin, CheckInRecord, path, exclude=self._written_here(checkin)):
                instances.append(checkin)
        if not self.errors:
            CheckIn.objects.bulk_create(instances, batch_size=BATCH)

    def _interactions(self, items: list[tuple[str, InteractionRecord]]) -> None:
        instances = []
        for path, record in items:
            interaction = self._fill(Interaction(site=self.site), record)
            interaction.badge_numbers = ", ".join(record.badges)
            # full_clean also keeps the time to the hour, which bulk_create (no save()) needs.
            exclude = self._written_here(interaction)
            if self._valid(interaction, InteractionRecord, path, exclude=exclude):
                instances.append(interaction)
        if not self.errors:
            Interaction.objects.bulk_create(instances, batch_size=BATCH)
