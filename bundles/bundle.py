"""One site's whole record as JSON ("hr-police-bundle/1", SPEC §7), out and back in.

`export_bundle` writes the keys of the SPEC example, plus optional keys (documented in
docs/bundle.md) only where a record differs from the model default, so plain records
give strictly spec-shaped bundles. `import_bundle` is all-or-nothing: the bundle is read
against the shapes of `bundles.schema`, then every record is validated with
its model's `full_clean()` and the services' rules while it is written, inside one
transaction that is rolled back when anything was refused. Errors are collected rather
than raised one at a time, each naming the record path and key.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Prefetch, ProtectedError, Q, RestrictedError

from agreements import score_revision
from agreements.audit import changed_fields
from agreements.choices import ProtocolStatus
from agreements.models import (
    Interaction,
    Membership,
    Protocol,
    ProtocolClause,
    Site,
    badge_list,
)
from bundles.schema import (
    ACKNOWLEDGEMENT,
    ASSIGNMENT,
    ATTENDANCE,
    CHECKIN,
    CLAUSE,
    ENGAGEMENT,
    FORMAT,
    HOURS,
    INTERACTION,
    LISTS,
    OFFICER,
    PROTOCOL,
    SCHEDULE,
    SITE,
    STATEMENT,
    Errors,
    Kind,
    Row,
    Shape,
    custom,
    describe,
    read_bundle,
    service_key,
)
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
)

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
BATCH = 500

# Where an error on a police service created from an officer record is reported.
SERVICE = Shape(
    PoliceService,
    (custom("service", Kind.TEXT, "name"), custom("jurisdiction", Kind.TEXT, "jurisdiction")),
)


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


def _time_text(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _moment_text(value: datetime, tz: ZoneInfo) -> str:
    """Local wall-clock time without offset; seconds only when there are any."""
    local = value.astimezone(tz).replace(tzinfo=None)
    if local.second or local.microsecond:
        return local.isoformat()
    return local.isoformat(timespec="minutes")


def _value_text(kind: Kind, value: Any, tz: ZoneInfo) -> Any:
    if value is None:
        return None
    if kind is Kind.DATE:
        return value.isoformat()
    if kind is Kind.TIME:
        return _time_text(value)
    if kind is Kind.MOMENT:
        return _moment_text(value, tz)
    if isinstance(value, str):
        return str(value)  # a TextChoices member prints as its plain value
    return value


def _record(shape: Shape, obj: models.Model, tz: ZoneInfo, **by_code: Any) -> dict[str, Any]:
    """One record in bundle order; extra keys only where they differ from the default."""
    out: dict[str, Any] = {}
    for key in shape.keys:
        if key.by_code:
            value = by_code[key.name]
        else:
            assert key.field is not None
            value = _value_text(key.kind, getattr(obj, key.field), tz)
        if key.extra and value == key.default:
            continue
        out[key.name] = value
    return out


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


def _officers(site: Site, tz: ZoneInfo) -> list[dict[str, Any]]:
    officers = list(roster(site))
    badges = [o.badge_number for o in officers]
    shared = sorted(badge for badge, count in Counter(badges).items() if count > 1)
    if shared:
        # A bundle names officers by badge alone, so it cannot tell these apart.
        raise BundleError(
            [f"officers: badge {b} belongs to officers of several police services" for b in shared]
        )
    return [
        _record(OFFICER, o, tz, service=o.service.name, jurisdiction=o.service.jurisdiction)
        for o in officers
    ]


def _protocols(site: Site, tz: ZoneInfo) -> list[dict[str, Any]]:
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
            PROTOCOL,
            p,
            tz,
            clauses=[_record(CLAUSE, c, tz) for c in p.clauses.all()],
            acknowledgements=[
                _record(ACKNOWLEDGEMENT, a, tz, badge=a.officer.badge_number)
                for a in p.acknowledgements.all()
            ],
        )
        for p in protocols
    ]


def _schedules(site: Site, tz: ZoneInfo) -> list[dict[str, Any]]:
    schedules = site.schedules.order_by("key").prefetch_related(
        Prefetch("expected_officers", LiaisonOfficer.objects.order_by("badge_number"))
    )
    return [
        _record(SCHEDULE, s, tz, expected=[o.badge_number for o in s.expected_officers.all()])
        for s in schedules
    ]


def export_bundle(site: Site) -> dict[str, Any]:
    """The site's whole record. Lists are in a stable order (by date, then by id), so that
    exporting what an import wrote gives the same bundle."""
    tz = site.tz
    hours = site.hours.order_by("weekday")
    return {
        "format": FORMAT,
        "site": _record(SITE, site, tz, operating_hours=[_record(HOURS, h, tz) for h in hours]),
        "officers": _officers(site, tz),
        "assignments": [
            _record(ASSIGNMENT, a, tz, badge=a.officer.badge_number)
            for a in site.assignments.select_related("officer").order_by("start", "id")
        ],
        "engagements": [
            _record(ENGAGEMENT, e, tz) for e in site.engagements.order_by("date", "id")
        ],
        "support_statements": [
            _record(STATEMENT, s, tz) for s in site.support_statements.order_by("date", "id")
        ],
        "protocols": _protocols(site, tz),
        "schedules": _schedules(site, tz),
        "checkins": [
            _record(CHECKIN, c, tz, schedule=c.schedule.key if c.schedule else None)
            for c in site.checkins.select_related("schedule").order_by("scheduled_start", "id")
        ],
        "interactions": [
            _record(INTERACTION, i, tz, badges=badge_list(i.badge_numbers))
            for i in site.interactions.order_by("occurred_at", "id")
        ],
        "attendance": [_record(ATTENDANCE, d, tz) for d in site.attendance.order_by("date")],
    }


# --- import ----------------------------------------------------------------------------


def import_bundle(data: dict[str, Any], *, replace: bool = False) -> Site:
    """Create the bundle's site with all its records, or change nothing and raise
    BundleError with every reason found. With `replace`, a site with the same slug is
    deleted first, in the same transaction (its memberships move to the new site)."""
    if not isinstance(data, dict):
        raise BundleError([f"A bundle is one JSON object {{…}}, not {describe(data)}."])
    if data.get("format") != FORMAT:
        # Another format would make every other message misleading: stop here.
        raise BundleError(
            [f"format: expected {describe(FORMAT)}, got {describe(data.get('format'))}"]
        )
    top, errors = read_bundle(data)
    site_row = top.values.get("site")
    if not isinstance(site_row, Row) or not site_row.ok:
        raise BundleError([*errors.messages, SITE_FIRST])
    try:
        with transaction.atomic():
            site = _Writer(top, errors).write(site_row, replace=replace)
            if errors:
                raise BundleError(errors.messages)  # leaving the block rolls everything back
            score_revision.bump([site.pk])  # the records were written with bulk_create
    except (DatabaseError, ProtectedError, RestrictedError) as exc:
        raise BundleError([*errors.messages, f"The database refused the import: {exc}"]) from None
    return site


class _Stop(Exception):
    """The site itself could not be written, so nothing else can be."""


class _Writer:
    """Writes the rows of one bundle, validating each record as the services do."""

    def __init__(self, top: Row, errors: Errors) -> None:
        self.top = top
        self.errors = errors
        self.site = Site()
        self.tz = ZoneInfo("UTC")
        self.services: dict[str, PoliceService | None] = {}
        self.officers: dict[str, LiaisonOfficer | None] = {}
        self.schedules: dict[str, CheckInSchedule | None] = {}

    def write(self, site_row: Row, *, replace: bool) -> Site:
        try:
            self._site(site_row, replace=replace)
        except _Stop:
            raise BundleError(self.errors.messages) from None
        self._hours(site_row.rows("operating_hours"))
        for row in self.top.rows("officers"):
            officer = self._officer(row)
            # A refused duplicate must not hide the first officer with that badge.
            self.officers.setdefault(row.values.get("badge", ""), officer)
        self._assignments(self.top.rows("assignments"))
        self._bulk(ENGAGEMENT, self.top.rows("engagements"))
        self._bulk(STATEMENT, self.top.rows("support_statements"))
        for row in self.top.rows("protocols"):
            self._protocol(row)
        for row in self.top.rows("schedules"):
            schedule = self._schedule(row)
            self.schedules.setdefault(row.values.get("key", ""), schedule)
        self._checkins(self.top.rows("checkins"))
        self._interactions(self.top.rows("interactions"))
        # The bundle's own duplicate check stands in for the per-row unique query.
        self._bulk(ATTENDANCE, self.top.rows("attendance"), validate_constraints=False)
        return self.site

    # --- validation

    def _fill(self, instance: M, shape: Shape, row: Row) -> M:
        """Copy the row's values onto the instance; a key left out takes the model default."""
        for key in shape.keys:
            if key.by_code or key.field is None:
                continue
            if key.name in row.values:
                value = row.values[key.name]
                if key.kind is Kind.MOMENT and value is not None:
                    # The wall-clock reading, as forms take it: at a daylight saving change
                    # the first of a repeated hour, the earlier offset for a skipped one.
                    value = value.replace(tzinfo=self.tz)
            else:
                value = instance._meta.get_field(key.field).get_default()  # type: ignore[union-attr]
            setattr(instance, key.field, value)
        return instance

    def _valid(self, instance: models.Model, shape: Shape, row: Row, **options: Any) -> bool:
        try:
            instance.full_clean(**options)
        except ValidationError as exc:
            self._report(exc, shape, row.path)
            return False
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

    def _report(self, exc: ValidationError, shape: Shape, path: str) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.errors.add(path, message)
            return
        for field_name, messages in exc.message_dict.items():
            key = None if field_name == NON_FIELD_ERRORS else shape.key_for_field(field_name)
            for message in messages:
                self.errors.add(f"{path}.{key}" if key else path, message)

    def _bulk(self, shape: Shape, rows: Iterable[Row], **options: Any) -> None:
        assert shape.model is not None
        instances = []
        for row in rows:
            if row.ok:
                instance = self._fill(shape.model(site=self.site), shape, row)
                exclude = self._written_here(instance)
                if self._valid(instance, shape, row, exclude=exclude, **options):
                    instances.append(instance)
        if not self.errors:
            shape.model._default_manager.bulk_create(instances, batch_size=BATCH)

    # --- the site

    def _site(self, row: Row, *, replace: bool) -> None:
        slug = row.values.get("slug", "")
        existing = Site.objects.filter(slug=slug).first()
        members: list[tuple[int, str]] = []
        if existing is not None:
            if not replace:
                self.errors.add(
                    "site.slug",
                    f"a site with slug {describe(slug)} exists already; import with replace "
                    "(--replace) to delete it and its records first",
                )
                raise _Stop
            # Who may see the site is not part of its record: keep it across the replace.
            members = list(existing.memberships.values_list("user_id", "role"))
            existing.delete()
        self._fill(self.site, SITE, row)
        if not self._valid(self.site, SITE, row):
            raise _Stop
        self.site.save()
        self.tz = self.site.tz
        Membership.objects.bulk_create(
            Membership(user_id=user_id, role=role, site=self.site) for user_id, role in members
        )

    def _hours(self, rows: list[Row]) -> None:
        # Weekdays were checked for duplicates when reading, as `site_save` does.
        self._bulk(HOURS, rows, validate_constraints=False)

    # --- the police side

    def _service(self, row: Row) -> PoliceService | None:
        name = " ".join(row.values["service"].split())
        token = service_key(name)
        if token not in self.services:
            service = PoliceService.objects.filter(name__iexact=name).first()
            if service is None:
                # A new service takes the bundle's jurisdiction; an existing one is shared
                # with other sites and is left as it is.
                service = PoliceService(name=name, jurisdiction=row.values.get("jurisdiction", ""))
                if self._valid(service, SERVICE, row):
                    service.save()
                else:
                    service = None
            self.services[token] = service
        return self.services[token]

    def _officer(self, row: Row) -> LiaisonOfficer | None:
        if not row.ok:
            return None
        service = self._service(row)
        if service is None:
            return None
        badge = row.values["badge"]
        # The same officer as `officer_save` would find: same service, same badge.
        officer = LiaisonOfficer.objects.filter(service=service, badge_number=badge).first()
        officer = officer or LiaisonOfficer(service=service)
        if officer.registered_for_id is None:
            officer.registered_for = self.site
        self._fill(officer, OFFICER, row)
        if not self._valid(officer, OFFICER, row):
            return None
        if officer.pk is not None and changed_fields(officer):
            others = self._other_sites_of(officer)
            if others:
                # An import changes its own site's records only: another site's roster
                # would silently get a renamed officer (and a different score).
                self.errors.add(
                    f"{row.path}.badge",
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

    def _assignments(self, rows: list[Row]) -> None:
        # One by one, so that each is checked against those before it (one primary a day).
        for row in rows:
            officer = self.officers.get(row.values.get("badge", ""))
            if not row.ok or officer is None:
                continue
            # History may hold assignments of an officer who is inactive today; the rule
            # "an inactive officer takes no new assignment" is about new posts, not history.
            as_active = copy.copy(officer)
            as_active.active = True
            assignment = self._fill(
                LiaisonAssignment(site=self.site, officer=as_active), ASSIGNMENT, row
            )
            if self._valid(assignment, ASSIGNMENT, row):
                assignment.save()

    def _protocol(self, row: Row) -> None:
        if not row.ok:
            return
        protocol = self._fill(Protocol(site=self.site), PROTOCOL, row)
        if "created_on" not in row.values:
            # Left out: the version was created today at the site.
            protocol.created_on = self.site.today()
        if not self._valid(protocol, PROTOCOL, row):
            return
        # As `protocol_save` does: stored unsigned while its clauses are written, then
        # given its final status, which makes it immutable.
        status, protocol.status = protocol.status, ProtocolStatus.DRAFT
        protocol.save()
        for position, clause_row in enumerate(row.rows("clauses")):
            if not clause_row.ok:
                continue
            clause = self._fill(
                ProtocolClause(protocol=protocol, position=position), CLAUSE, clause_row
            )
            if self._valid(clause, CLAUSE, clause_row):
                clause.save()
        protocol.status = status
        protocol.save(update_fields=["status"])
        for ack_row in row.rows("acknowledgements"):
            self._acknowledgement(protocol, ack_row)

    def _acknowledgement(self, protocol: Protocol, row: Row) -> None:
        officer = self.officers.get(row.values.get("badge", ""))
        if not row.ok or officer is None:
            return
        ack = self._fill(Acknowledgement(protocol=protocol, officer=officer), ACKNOWLEDGEMENT, row)
        if self._valid(ack, ACKNOWLEDGEMENT, row):
            ack.save()

    def _schedule(self, row: Row) -> CheckInSchedule | None:
        if not row.ok:
            return None
        schedule = self._fill(CheckInSchedule(site=self.site), SCHEDULE, row)
        if not self._valid(schedule, SCHEDULE, row):
            return None
        schedule.save()
        expected = [self.officers.get(badge) for badge in row.values.get("expected", [])]
        schedule.expected_officers.set([o for o in expected if o is not None])
        return schedule

    def _checkins(self, rows: list[Row]) -> None:
        instances = []
        for row in rows:
            key = row.values.get("schedule")
            schedule = self.schedules.get(key) if key is not None else None
            if not row.ok or (key is not None and schedule is None):
                continue  # the schedule's own error is reported
            checkin = self._fill(CheckIn(site=self.site, schedule=schedule), CHECKIN, row)
            if self._valid(checkin, CHECKIN, row, exclude=self._written_here(checkin)):
                instances.append(checkin)
        if not self.errors:
            CheckIn.objects.bulk_create(instances, batch_size=BATCH)

    def _interactions(self, rows: list[Row]) -> None:
        instances = []
        for row in rows:
            if not row.ok:
                continue
            interaction = self._fill(Interaction(site=self.site), INTERACTION, row)
            interaction.badge_numbers = ", ".join(row.values.get("badges", []))
            # full_clean also keeps the time to the hour, which bulk_create (no save()) needs.
            if self._valid(interaction, INTERACTION, row, exclude=self._written_here(interaction)):
                instances.append(interaction)
        if not self.errors:
            Interaction.objects.bulk_create(instances, batch_size=BATCH)
