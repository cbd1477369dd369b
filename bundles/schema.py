"""The shape of a site bundle ("hr-police-bundle/1", SPEC §7), and reading one from JSON.

Each record kind is a `Shape`: its keys in the order a bundle writes them, most of them
tied to a model field. A key's type, whether it may be null, whether it may be left out
and its choices are read from that model field, so the format cannot drift from the
models. `read_bundle` checks a decoded JSON value against these shapes without touching
the database and turns it into `Row`s of Python values; the model rules (full_clean and
the services' rules) are applied when the rows are written (`bundles.bundle`).
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from agreements.choices import ProtocolStatus
from agreements.dates import EARLIEST, LATEST, OUT_OF_RANGE
from agreements.models import (
    DailyAttendance,
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
    badge_validator,
)

FORMAT = "hr-police-bundle/1"


class Kind(enum.Enum):
    TEXT = "text"
    INT = "a whole number"
    BOOL = "true or false"
    DATE = "a date as YYYY-MM-DD"
    TIME = "a time as HH:MM"
    MOMENT = "a local date and time as YYYY-MM-DDTHH:MM, without an offset"
    CHOICE = "one of the listed values"
    TEXTS = "a list of text values"
    RECORD = "an object {…}"
    RECORDS = "a list [{…}, …]"


@dataclass(frozen=True)
class Key:
    """One key of a record. `field` is the model field it holds (or that a model error on
    it is reported against); `by_code` keys are converted by the writer, not copied."""

    name: str
    kind: Kind
    field: str | None = None
    required: bool = True
    nullable: bool = False
    extra: bool = False  # not in the SPEC example: written only when it differs from `default`
    default: Any = None
    choices: tuple[Any, ...] = ()
    shape: Shape | None = None
    by_code: bool = False


@dataclass(frozen=True)
class Shape:
    model: type[models.Model] | None
    keys: tuple[Key, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    def key(self, name: str) -> Key:
        return next(key for key in self.keys if key.name == name)

    def key_for_field(self, field_name: str) -> str | None:
        """The bundle key a model error on `field_name` belongs to."""
        return next((key.name for key in self.keys if key.field == field_name), None)


def _kind_of(model_field: models.Field[Any, Any]) -> Kind:
    if model_field.choices:
        return Kind.CHOICE
    # Order matters: DateTimeField is a DateField.
    kinds: tuple[tuple[type[models.Field[Any, Any]], Kind], ...] = (
        (models.BooleanField, Kind.BOOL),
        (models.IntegerField, Kind.INT),
        (models.DateTimeField, Kind.MOMENT),
        (models.DateField, Kind.DATE),
        (models.TimeField, Kind.TIME),
        (models.CharField, Kind.TEXT),
        (models.TextField, Kind.TEXT),
    )
    return next(kind for cls, kind in kinds if isinstance(model_field, cls))


def fk(
    model: type[models.Model],
    name: str,
    field_name: str = "",
    *,
    extra: bool = False,
    required: bool | None = None,
) -> Key:
    """A key that holds one model field, described by that field."""
    model_field = model._meta.get_field(field_name or name)
    assert isinstance(model_field, models.Field)
    blank_allowed = model_field.blank and model_field.empty_strings_allowed
    choices: tuple[Any, ...] = ()
    if model_field.choices:
        choices = tuple(value for value, _ in model_field.flatchoices)
        if blank_allowed:
            choices = ("", *choices)
    return Key(
        name=name,
        kind=_kind_of(model_field),
        field=model_field.name,
        # "A key with a model default may be left out" (SPEC §7); empty counts as one.
        required=(
            not (model_field.has_default() or model_field.null or blank_allowed)
            if required is None
            else required
        ),
        nullable=model_field.null,
        extra=extra,
        # Only extra keys need it; computing it for all would freeze `date.today` defaults.
        default=model_field.get_default() if extra else None,
        choices=choices,
    )


def custom(name: str, kind: Kind, field_name: str | None = None, **options: Any) -> Key:
    """A key the writer converts itself (references by badge or key, nested lists)."""
    return Key(name=name, kind=kind, field=field_name, by_code=True, **options)


HOURS = Shape(
    OperatingHours,
    (fk(OperatingHours, "weekday"), fk(OperatingHours, "opens"), fk(OperatingHours, "closes")),
)
SITE = Shape(
    Site,
    (
        fk(Site, "slug"),
        fk(Site, "name"),
        fk(Site, "organisation"),
        fk(Site, "address"),
        fk(Site, "city"),
        fk(Site, "region"),
        fk(Site, "country"),
        fk(Site, "timezone"),
        fk(Site, "status"),
        fk(Site, "opened_on"),
        fk(Site, "buffer_metres"),
        fk(Site, "research_consent"),
        custom("operating_hours", Kind.RECORDS, shape=HOURS),
        fk(Site, "police_accounts", extra=True),
    ),
)
OFFICER = Shape(
    LiaisonOfficer,
    (
        fk(LiaisonOfficer, "badge", "badge_number"),
        fk(LiaisonOfficer, "name"),
        fk(LiaisonOfficer, "rank"),
        custom("service", Kind.TEXT, "service"),
        fk(LiaisonOfficer, "email"),
        fk(LiaisonOfficer, "phone"),
        fk(LiaisonOfficer, "contact_verified_on"),
        fk(LiaisonOfficer, "active"),
        custom("jurisdiction", Kind.TEXT, required=False, extra=True, default=""),
    ),
)
ASSIGNMENT = Shape(
    LiaisonAssignment,
    (
        custom("badge", Kind.TEXT, "officer"),
        fk(LiaisonAssignment, "role"),
        fk(LiaisonAssignment, "start"),
        fk(LiaisonAssignment, "end"),
    ),
)
ENGAGEMENT = Shape(
    EngagementEvent,
    (
        fk(EngagementEvent, "date"),
        fk(EngagementEvent, "kind"),
        fk(EngagementEvent, "summary"),
        fk(EngagementEvent, "police_ranks", "police_ranks_present", extra=True),
    ),
)
STATEMENT = Shape(
    SupportStatement,
    (
        fk(SupportStatement, "date"),
        fk(SupportStatement, "rank"),
        fk(SupportStatement, "stance"),
        fk(SupportStatement, "kind"),
        fk(SupportStatement, "summary"),
        fk(SupportStatement, "source"),
    ),
)
CLAUSE = Shape(ProtocolClause, (fk(ProtocolClause, "topic"), fk(ProtocolClause, "text")))
ACKNOWLEDGEMENT = Shape(
    Acknowledgement,
    (custom("badge", Kind.TEXT, "officer"), fk(Acknowledgement, "acknowledged_at")),
)
PROTOCOL = Shape(
    Protocol,
    (
        fk(Protocol, "version"),
        fk(Protocol, "status"),
        # No model default (a record's "today" is the site's); the writer supplies it.
        fk(Protocol, "created_on", required=False),
        fk(Protocol, "effective_from"),
        fk(Protocol, "review_by"),
        fk(Protocol, "signed_on"),
        fk(Protocol, "ended_on"),
        custom("clauses", Kind.RECORDS, shape=CLAUSE),
        custom("acknowledgements", Kind.RECORDS, shape=ACKNOWLEDGEMENT),
        fk(Protocol, "signatories", extra=True),
    ),
)
SCHEDULE = Shape(
    CheckInSchedule,
    (
        fk(CheckInSchedule, "key"),
        fk(CheckInSchedule, "rrule"),
        fk(CheckInSchedule, "start"),
        fk(CheckInSchedule, "end"),
        fk(CheckInSchedule, "time", "start_time"),
        fk(CheckInSchedule, "duration_minutes"),
        fk(CheckInSchedule, "format"),
        fk(CheckInSchedule, "location", extra=True),
        custom("expected", Kind.TEXTS, "expected_officers", required=False, extra=True, default=[]),
    ),
)
CHECKIN = Shape(
    CheckIn,
    (
        custom("schedule", Kind.TEXT, "schedule", required=False, nullable=True),
        fk(CheckIn, "start", "scheduled_start"),
        fk(CheckIn, "duration_minutes"),
        fk(CheckIn, "format"),
        fk(CheckIn, "status"),
        fk(CheckIn, "notes"),
    ),
)
INTERACTION = Shape(
    Interaction,
    (
        fk(Interaction, "occurred_at"),
        fk(Interaction, "category"),
        fk(Interaction, "distance_band"),
        fk(Interaction, "officers", "officers_present"),
        fk(Interaction, "plain_clothes"),
        fk(Interaction, "vehicle", "vehicle_present"),
        fk(Interaction, "staff_requested"),
        fk(Interaction, "notified", "site_notified"),
        fk(Interaction, "impact"),
        fk(Interaction, "liaison_contacted"),
        fk(Interaction, "resolution"),
        fk(Interaction, "narrative"),
        fk(Interaction, "legal_basis", extra=True),
        fk(Interaction, "disclosed", extra=True),
        custom("badges", Kind.TEXTS, "badge_numbers", required=False, extra=True, default=[]),
        fk(Interaction, "clause_topic", extra=True),
    ),
)
ATTENDANCE = Shape(DailyAttendance, (fk(DailyAttendance, "date"), fk(DailyAttendance, "visits")))
BUNDLE = Shape(
    None,
    (
        custom("format", Kind.TEXT),
        custom("site", Kind.RECORD, shape=SITE),
        custom("officers", Kind.RECORDS, shape=OFFICER),
        custom("assignments", Kind.RECORDS, shape=ASSIGNMENT),
        custom("engagements", Kind.RECORDS, shape=ENGAGEMENT),
        custom("support_statements", Kind.RECORDS, shape=STATEMENT),
        custom("protocols", Kind.RECORDS, shape=PROTOCOL),
        custom("schedules", Kind.RECORDS, shape=SCHEDULE),
        custom("checkins", Kind.RECORDS, shape=CHECKIN),
        custom("interactions", Kind.RECORDS, shape=INTERACTION),
        custom("attendance", Kind.RECORDS, shape=ATTENDANCE),
    ),
)

# The top-level lists, in bundle order (for summaries).
LISTS: tuple[str, ...] = tuple(k.name for k in BUNDLE.keys if k.kind is Kind.RECORDS)


# --- reading ---------------------------------------------------------------------------


class Errors:
    """Error messages collected while reading and writing, each "path: message"."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.messages.append(f"{path}: {message}")

    def __len__(self) -> int:
        return len(self.messages)


@dataclass
class Row:
    """One record read from the bundle: Python values by bundle key (only the keys given)."""

    path: str
    values: dict[str, Any] = field(default_factory=dict)
    ok: bool = True

    def rows(self, name: str) -> list[Row]:
        rows: list[Row] = self.values.get(name, [])
        return rows


class Refused(ValueError):
    """A value that does not fit its key; the message says what was expected."""


def describe(value: object) -> str:
    """A short JSON rendering of a value for messages: "2", true, null, a list."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _expected(key: Key, value: object) -> Refused:
    return Refused(f"expected {key.kind.value}, got {describe(value)}")


def _text(key: Key, value: object) -> str:
    if not isinstance(value, str):
        raise _expected(key, value)
    if "\x00" in value:
        raise Refused("contains a NUL character, which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused("contains an unpaired surrogate (\\ud800–\\udfff), not text") from None
    return value


def _int(key: Key, value: object) -> int:
    # JSON true is a Python bool, which is an int: refuse it explicitly.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expected(key, value)
    return value


def _bool(key: Key, value: object) -> bool:
    if not isinstance(value, bool):
        raise _expected(key, value)
    return value


DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_TEXT = re.compile(r"\d{2}:\d{2}(:\d{2})?")
MOMENT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def _date(key: Key, value: object) -> date:
    if not isinstance(value, str) or not DATE_TEXT.fullmatch(value):
        raise _expected(key, value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{describe(value)} is not a date in the calendar") from None


def _time(key: Key, value: object) -> time:
    if not isinstance(value, str) or not TIME_TEXT.fullmatch(value):
        raise _expected(key, value)
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise Refused(f"{describe(value)} is not a time of day") from None


def _moment(key: Key, value: object) -> datetime:
    """A naive wall-clock time; the writer places it in the site's timezone."""
    if not isinstance(value, str) or not MOMENT_TEXT.fullmatch(value):
        raise _expected(key, value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Refused(f"{describe(value)} is not a date and time in the calendar") from None
    # Checked before any timezone arithmetic, which overflows near years 1 and 9999.
    if not EARLIEST <= moment.date() <= LATEST:
        raise Refused(OUT_OF_RANGE)
    return moment


def _choice(key: Key, value: object) -> object:
    # Compare types too: JSON true must not pass for the weekday 1.
    if not any(type(value) is type(choice) and value == choice for choice in key.choices):
        listed = ", ".join(describe(choice) for choice in key.choices)
        raise Refused(f"{describe(value)} is not one of {listed}")
    return value


def _texts(key: Key, value: object) -> list[str]:
    if not isinstance(value, list):
        raise _expected(key, value)
    return value  # the items are checked one by one in `read_value`


SCALARS: dict[Kind, Callable[[Key, object], Any]] = {
    Kind.TEXT: _text,
    Kind.INT: _int,
    Kind.BOOL: _bool,
    Kind.DATE: _date,
    Kind.TIME: _time,
    Kind.MOMENT: _moment,
    Kind.CHOICE: _choice,
}


def read_value(raw: object, key: Key, path: str, errors: Errors) -> tuple[bool, Any]:
    """(True, value) when `raw` fits `key`; else (False, None) with errors added."""
    if raw is None and key.nullable:
        return True, None
    try:
        if key.kind is Kind.RECORD:
            assert key.shape is not None
            return True, read_record(raw, path, key.shape, errors)
        if key.kind is Kind.RECORDS:
            assert key.shape is not None
            if not isinstance(raw, list):
                raise _expected(key, raw)
            return True, [
                read_record(item, f"{path}[{i}]", key.shape, errors) for i, item in enumerate(raw)
            ]
        if key.kind is Kind.TEXTS:
            return _read_texts(raw, key, path, errors)
        return True, SCALARS[key.kind](key, raw)
    except Refused as exc:
        errors.add(path, str(exc))
        return False, None


def _read_texts(raw: object, key: Key, path: str, errors: Errors) -> tuple[bool, Any]:
    items = _texts(key, raw)
    start = len(errors)
    item_key = Key(name=key.name, kind=Kind.TEXT)
    values = []
    for i, item in enumerate(items):
        try:
            values.append(_text(item_key, item))
        except Refused as exc:
            errors.add(f"{path}[{i}]", str(exc))
    return len(errors) == start, values


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def read_record(raw: object, path: str, shape: Shape, errors: Errors) -> Row:
    """Check one JSON object against `shape`: unknown, missing and ill-typed keys.

    `ok` speaks for the record's own keys: a bad item in a nested list (a clause, an
    hours row) is reported on its own row and does not stop its parent being checked
    against the database, so one run reports as many errors as it can.
    """
    row = Row(path)
    if not isinstance(raw, dict):
        errors.add(path, f"expected an object {{…}}, got {describe(raw)}")
        row.ok = False
        return row
    for name in raw:
        if name not in shape.names:
            errors.add(join(path, name), f"unknown key; the keys here are {', '.join(shape.names)}")
            row.ok = False
    for key in shape.keys:
        if key.name not in raw:
            if key.required:
                errors.add(join(path, key.name), "missing; this key is required")
                row.ok = False
            continue
        fits, value = read_value(raw[key.name], key, join(path, key.name), errors)
        if fits:
            row.values[key.name] = value
        else:
            row.ok = False
    return row


# --- rules across records --------------------------------------------------------------


def refuse_duplicates(rows: Iterable[Row], name: str, errors: Errors, why: str) -> None:
    """Refuse a value of `name` already used by an earlier row (which stays valid)."""
    seen: dict[Any, str] = {}
    for row in rows:
        if name not in row.values:
            continue
        value = row.values[name]
        if value in seen:
            errors.add(
                f"{row.path}.{name}", f"{describe(_jsonable(value))} {why} (see {seen[value]})"
            )
            row.ok = False
        else:
            seen[value] = row.path


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | time) else value


def refuse_unknown_references(
    rows: Iterable[Row], name: str, known: set[str], errors: Errors, what: str
) -> None:
    """Refuse a reference (a badge, a schedule key) that no record of the bundle declares."""
    for row in rows:
        value = row.values.get(name)
        values = value if isinstance(value, list) else [value]
        for i, item in enumerate(values):
            if item is not None and item not in known:
                where = f"{row.path}.{name}" + (f"[{i}]" if isinstance(value, list) else "")
                errors.add(
                    where, f"{describe(item)} is not the {what} of any record in this bundle"
                )
                row.ok = False


def check_badges(rows: Iterable[Row], errors: Errors) -> None:
    """Badge numbers on an interaction: each one a badge, so no free text hides in the list."""
    for row in rows:
        for i, badge in enumerate(row.values.get("badges", [])):
            try:
                badge_validator(badge)
            except ValidationError as exc:
                errors.add(f"{row.path}.badges[{i}]", " ".join(exc.messages))
                row.ok = False


def check_jurisdictions(rows: Iterable[Row], errors: Errors) -> None:
    """One police service, one jurisdiction: officers naming it must not disagree."""
    seen: dict[str, tuple[str, str]] = {}
    for row in rows:
        service, jurisdiction = row.values.get("service"), row.values.get("jurisdiction")
        if service is None or not jurisdiction:
            continue
        name = service_key(service)
        if name in seen and seen[name][0] != jurisdiction:
            errors.add(
                f"{row.path}.jurisdiction",
                f"{describe(jurisdiction)} differs from {describe(seen[name][0])} given for "
                f"the same police service at {seen[name][1]}",
            )
            row.ok = False
        seen.setdefault(name, (jurisdiction, row.path))


def service_key(name: str) -> str:
    """Police services are matched case-insensitively, ignoring extra spaces."""
    return " ".join(name.split()).casefold()


def check_protocol_order(rows: list[Row], errors: Errors) -> None:
    """The state `protocol_save` maintains: signed versions take effect on distinct days,
    in order, and every one but the latest to take effect has ended."""
    signed = [
        row
        for row in rows
        if row.values.get("status") in (ProtocolStatus.SIGNED, ProtocolStatus.ENDED)
        and row.values.get("effective_from") is not None
    ]
    refuse_duplicates(
        signed, "effective_from", errors, "is also the effective day of another signed version"
    )
    if not signed:
        return
    latest = max(row.values["effective_from"] for row in signed)
    for row in signed:
        if row.values["status"] == ProtocolStatus.SIGNED and row.values["effective_from"] < latest:
            errors.add(
                f"{row.path}.status",
                "a later signed version takes effect on "
                f'{latest.isoformat()}, so this one has ended: give status "ended" and its '
                "ended_on",
            )
            row.ok = False


def read_bundle(data: dict[str, Any]) -> tuple[Row, Errors]:
    """Read a whole bundle (its `format` already checked): every error of shape, of
    duplicates and of references, without touching the database."""
    errors = Errors()
    top = read_record(data, "", BUNDLE, errors)
    site = top.values.get("site")
    if isinstance(site, Row):
        refuse_duplicates(site.rows("operating_hours"), "weekday", errors, "has hours already")
    officers = top.rows("officers")
    refuse_duplicates(officers, "badge", errors, "is the badge of an earlier officer")
    check_jurisdictions(officers, errors)
    badges = {row.values["badge"] for row in officers if "badge" in row.values}
    protocols = top.rows("protocols")
    refuse_duplicates(protocols, "version", errors, "is the number of an earlier version")
    check_protocol_order(protocols, errors)
    acknowledgements = [ack for p in protocols for ack in p.rows("acknowledgements")]
    for protocol in protocols:
        refuse_duplicates(
            protocol.rows("acknowledgements"), "badge", errors, "already acknowledged this version"
        )
    schedules = top.rows("schedules")
    refuse_duplicates(schedules, "key", errors, "is the key of an earlier schedule")
    keys = {row.values["key"] for row in schedules if "key" in row.values}
    for rows, name, known, what in (
        (top.rows("assignments"), "badge", badges, "badge"),
        (acknowledgements, "badge", badges, "badge"),
        (schedules, "expected", badges, "badge"),
        (top.rows("checkins"), "schedule", keys, "key"),
    ):
        refuse_unknown_references(rows, name, known, errors, what)
    check_badges(top.rows("interactions"), errors)
    refuse_duplicates(top.rows("attendance"), "date", errors, "has a count already")
    return top, errors
