"""The shape of a site bundle ("hr-police-bundle/1", SPEC §7) as pydantic v2 models.

One model per record kind. Python field names are the Django model fields they hold;
where a bundle key differs (`badge` for `badge_number`), the key is the field's alias,
so error paths, `model_dump(by_alias=True)` and the JSON Schema all speak bundle keys.
Fields that are not a concrete field of the Django model (`service`, `clauses`,
`badges`…) are converted by `bundles.bundle`, not copied.

Strictness. Every model is `strict=True, extra="forbid"`: no coercion, no unknown key.
Dates, times and date-times come as JSON strings, which strict pydantic refuses for
`date`; and its own JSON-mode parsing would accept spellings the format refuses
(offsets, `Z`, a date-time for a date). So each scalar type below has a before-validator
that accepts exactly the format's spelling and hands strict pydantic a Python value;
the same validator words the error a site manager reads ("expected a date as
YYYY-MM-DD, got 20191001"). The models check shape only; the model rules (`full_clean`)
and the services' rules run when the records are written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    WithJsonSchema,
    model_serializer,
)
from pydantic_core import PydanticCustomError

from agreements.choices import (
    AssignmentRole,
    Category,
    CheckInFormat,
    CheckInStatus,
    Consent,
    DistanceBand,
    EngagementKind,
    Impact,
    LegalBasis,
    ProtocolStatus,
    SiteStatus,
    Source,
    SpeakerRank,
    Stance,
    StatementKind,
    Topic,
)
from agreements.dates import EARLIEST, LATEST, OUT_OF_RANGE
from liaisons.models import badge_validator

FORMAT = "hr-police-bundle/1"
WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)


def describe(value: object) -> str:
    """A short JSON rendering of a value for messages: "2", true, null, a list."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _refuse(message: str) -> PydanticCustomError:
    # The message goes in the context: braces in a value must not be read as a template.
    return PydanticCustomError("bundle", "{message}", {"message": message})


def _expected(what: str, value: object) -> PydanticCustomError:
    return _refuse(f"expected {what}, got {describe(value)}")


# --- scalar types: each accepts exactly the format's spelling ----------------------------


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _expected("text", value)
    if "\x00" in value:
        raise _refuse("contains a NUL character, which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse("contains an unpaired surrogate (\\ud800–\\udfff), not text") from None
    return value


def _whole(value: object) -> int:
    # JSON true is a Python bool, which is an int: refuse it explicitly.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expected("a whole number", value)
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise _expected("true or false", value)
    return value


DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_TEXT = re.compile(r"\d{2}:\d{2}(:\d{2})?")
MOMENT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def _day(value: object) -> date:
    if not isinstance(value, str) or not DATE_TEXT.fullmatch(value):
        raise _expected("a date as YYYY-MM-DD", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _refuse(f"{describe(value)} is not a date in the calendar") from None


def _clock(value: object) -> time:
    if not isinstance(value, str) or not TIME_TEXT.fullmatch(value):
        raise _expected("a time as HH:MM", value)
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise _refuse(f"{describe(value)} is not a time of day") from None


def _moment(value: object) -> datetime:
    """A naive wall-clock time; the import places it in the site's timezone."""
    if not isinstance(value, str) or not MOMENT_TEXT.fullmatch(value):
        raise _expected("a local date and time as YYYY-MM-DDTHH:MM, without an offset", value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _refuse(f"{describe(value)} is not a date and time in the calendar") from None
    # Checked before any timezone arithmetic, which overflows near years 1 and 9999.
    if not EARLIEST <= moment.date() <= LATEST:
        raise _refuse(str(OUT_OF_RANGE))
    return moment


def _badge(value: object) -> str:
    # The officer's own badge rule, so that no free text hides in an interaction's list.
    text = _text(value)
    try:
        badge_validator(text)
    except DjangoValidationError as exc:
        raise _refuse(" ".join(exc.messages)) from None
    return text


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise _expected("a list of text values", value)
    return value


T = TypeVar("T")


def _or_null(check: Callable[[object], T]) -> Callable[[object], T | None]:
    return lambda value: None if value is None else check(value)


def _time_text(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _moment_text(value: datetime) -> str:
    """Seconds (and fractions) only when there are any."""
    if value.second or value.microsecond:
        return value.isoformat()
    return value.isoformat(timespec="minutes")


# The JSON Schema states the spelling the validators accept, not pydantic's looser formats.
_DAY_SCHEMA = {"type": "string", "format": "date", "pattern": f"^{DATE_TEXT.pattern}$"}
_TIME_SCHEMA = {"type": "string", "pattern": f"^{TIME_TEXT.pattern}$"}
_MOMENT_SCHEMA = {
    "type": "string",
    "pattern": f"^{MOMENT_TEXT.pattern}$",
    "description": "local wall-clock time at the site, without an offset",
}

Text = Annotated[str, BeforeValidator(_text)]
TextOrNull = Annotated[str | None, BeforeValidator(_or_null(_text))]
Whole = Annotated[int, BeforeValidator(_whole)]
Flag = Annotated[bool, BeforeValidator(_flag)]
FlagOrNull = Annotated[bool | None, BeforeValidator(_or_null(_flag))]
Day = Annotated[date, BeforeValidator(_day), WithJsonSchema(_DAY_SCHEMA)]
DayOrNull = Annotated[
    date | None,
    BeforeValidator(_or_null(_day)),
    WithJsonSchema({"anyOf": [_DAY_SCHEMA, {"type": "null"}]}),
]
ClockTime = Annotated[
    time,
    BeforeValidator(_clock),
    PlainSerializer(_time_text, return_type=str),
    WithJsonSchema(_TIME_SCHEMA),
]
Moment = Annotated[
    datetime,
    BeforeValidator(_moment),
    PlainSerializer(_moment_text, return_type=str),
    WithJsonSchema(_MOMENT_SCHEMA),
]
Badge = Annotated[str, BeforeValidator(_badge)]
Texts = Annotated[list[Text], BeforeValidator(_list)]
Badges = Annotated[list[Badge], BeforeValidator(_list)]


def choice(values: type[Enum] | Sequence[Any], *, blank: bool = False) -> Any:
    """One of the listed values, compared with their JSON type (true is not weekday 1);
    `blank` adds "" for a choice the model may leave empty."""
    if isinstance(values, type):
        listed: tuple[Any, ...] = tuple(member.value for member in values)
    else:
        listed = tuple(values)
    if blank:
        listed = ("", *listed)

    def check(value: object) -> Any:
        if not any(type(value) is type(item) and value == item for item in listed):
            names = ", ".join(describe(item) for item in listed)
            raise _refuse(f"{describe(value)} is not one of {names}")
        return value

    return Annotated[Literal[listed], BeforeValidator(check)]  # type: ignore[valid-type]


# --- records ---------------------------------------------------------------------------


class Record(BaseModel):
    """A record kind of the bundle."""

    model_config = ConfigDict(strict=True, extra="forbid", validate_by_name=False)

    # Keys beyond the SPEC example: written on export only when they differ from the
    # default, so plain records give exactly the shape of the example.
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()
    # Django fields whose errors belong to a key converted by code (not an alias).
    REPORTED_AS: ClassVar[dict[str, str]] = {}

    # Set on a record refused while reading; the import skips it but checks the others.
    _refused: bool = PrivateAttr(default=False)

    @property
    def refused(self) -> bool:
        return self._refused

    def refuse(self) -> None:
        self._refused = True

    @classmethod
    def placeholder(cls) -> Record:
        """Stands in for a record refused while reading, so that validating the bundle
        again keeps every other record (strict models accept their own instances)."""
        record = cls.model_construct()
        record.refuse()
        return record

    @classmethod
    def bundle_keys(cls) -> list[str]:
        return [field.alias or name for name, field in cls.model_fields.items()]

    @classmethod
    def key_for(cls, field_name: str) -> str | None:
        """The bundle key an error on the Django field `field_name` belongs to."""
        if field_name in cls.REPORTED_AS:
            return cls.REPORTED_AS[field_name]
        field = cls.model_fields.get(field_name)
        return None if field is None else (field.alias or field_name)

    @model_serializer(mode="wrap")
    def _leave_out_defaults(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out: dict[str, Any] = handler(self)
        for name, key, default in _optional_fields(type(self)):
            if getattr(self, name) == default:
                del out[key]
        return out


@cache
def _optional_fields(model: type[Record]) -> tuple[tuple[str, str, Any], ...]:
    """(field name, bundle key, default) of the model's OPTIONAL keys, looked up once."""
    return tuple(
        (name, field.alias or name, field.default)
        for name, field in model.model_fields.items()
        if (field.alias or name) in model.OPTIONAL
    )


def _spelled(key: str) -> Any:
    return Field(alias=key)


class HoursRecord(Record):
    weekday: choice(WEEKDAYS)  # type: ignore[valid-type]
    opens: ClockTime
    closes: ClockTime


class SiteRecord(Record):
    OPTIONAL = frozenset({"police_accounts", "community_oversight"})

    slug: Text
    name: Text
    organisation: Text = ""
    address: Text = ""
    city: Text
    region: Text
    country: Text = "CA"
    timezone: Text = "America/Toronto"
    status: choice(SiteStatus)  # type: ignore[valid-type]
    opened_on: DayOrNull = None
    buffer_metres: Whole = 100
    research_consent: Flag = False
    operating_hours: list[HoursRecord]
    police_accounts: Flag = True
    community_oversight: Flag = False


class OfficerRecord(Record):
    OPTIONAL = frozenset({"jurisdiction"})

    badge_number: Text = _spelled("badge")
    name: Text
    rank: Text = ""
    service: Text  # the police service's name; matched case-insensitively
    email: Text = ""
    phone: Text = ""
    contact_verified_on: DayOrNull = None
    active: Flag = True
    jurisdiction: Text = ""  # the police service's


class AssignmentRecord(Record):
    officer: Text = _spelled("badge")
    role: choice(AssignmentRole)  # type: ignore[valid-type]
    start: Day
    end: DayOrNull = None


class EngagementRecord(Record):
    OPTIONAL = frozenset({"police_ranks"})

    date: Day
    kind: choice(EngagementKind)  # type: ignore[valid-type]
    summary: Text = ""
    police_ranks_present: Text = Field(default="", alias="police_ranks")


class StatementRecord(Record):
    date: Day
    rank: choice(SpeakerRank)  # type: ignore[valid-type]
    stance: choice(Stance)  # type: ignore[valid-type]
    kind: choice(StatementKind)  # type: ignore[valid-type]
    summary: Text = ""
    source: Text = ""


class ClauseRecord(Record):
    topic: choice(Topic)  # type: ignore[valid-type]
    text: Text


class AcknowledgementRecord(Record):
    officer: Text = _spelled("badge")
    acknowledged_at: Moment


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)
    schema["description"] = "may be left out: the day of the import at the site"


class ProtocolRecord(Record):
    OPTIONAL = frozenset({"signatories"})

    version: Whole
    status: choice(ProtocolStatus) = ProtocolStatus.DRAFT.value  # type: ignore[valid-type]
    # May be left out (no model default: "today" is the site's, which the import knows).
    created_on: Day = Field(default=None, json_schema_extra=_without_default)  # type: ignore[assignment]
    effective_from: DayOrNull = None
    review_by: DayOrNull = None
    signed_on: DayOrNull = None
    ended_on: DayOrNull = None
    clauses: list[ClauseRecord]
    acknowledgements: list[AcknowledgementRecord]
    signatories: Text = ""


class ScheduleRecord(Record):
    OPTIONAL = frozenset({"location", "expected"})

    key: Text
    rrule: Text
    start: Day
    end: DayOrNull = None
    start_time: ClockTime = _spelled("time")
    duration_minutes: Whole = 60
    format: choice(CheckInFormat)  # type: ignore[valid-type]
    location: Text = ""
    expected_officers: Texts = Field(default=[], alias="expected")  # badges


class CheckInRecord(Record):
    schedule: TextOrNull = None  # a schedule key; null for an ad hoc check-in
    scheduled_start: Moment = _spelled("start")
    duration_minutes: Whole = 60
    format: choice(CheckInFormat)  # type: ignore[valid-type]
    status: choice(CheckInStatus) = CheckInStatus.SCHEDULED.value  # type: ignore[valid-type]
    notes: Text = ""


class InteractionRecord(Record):
    OPTIONAL = frozenset(
        {"legal_basis", "disclosed", "badges", "clause_topic", "source", "consent"}
    )
    REPORTED_AS = {"badge_numbers": "badges"}

    occurred_at: Moment
    category: choice(Category)  # type: ignore[valid-type]
    distance_band: choice(DistanceBand)  # type: ignore[valid-type]
    officers_present: Whole = Field(default=1, alias="officers")
    plain_clothes: Flag = False
    vehicle_present: Flag = Field(default=False, alias="vehicle")
    staff_requested: Flag = False
    site_notified: Flag = Field(default=False, alias="notified")
    impact: choice(Impact) = Impact.NONE.value  # type: ignore[valid-type]
    liaison_contacted: Flag = False
    resolution: Text = ""
    narrative: Text = ""
    legal_basis: choice(LegalBasis, blank=True) = ""  # type: ignore[valid-type]
    disclosed: FlagOrNull = None
    badges: Badges = []
    clause_topic: choice(Topic, blank=True) = ""  # type: ignore[valid-type]
    # Who told the site and what the reporter agreed to (SPEC §2).
    source: choice(Source) = Source.STAFF.value  # type: ignore[valid-type]
    consent: choice(Consent) = Consent.AGGREGATE.value  # type: ignore[valid-type]


class AttendanceRecord(Record):
    date: Day
    visits: Whole


class Bundle(Record):
    """One site's whole record."""

    model_config = ConfigDict(
        title="hr-police-bundle/1",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    format: choice([FORMAT])  # type: ignore[valid-type]
    site: SiteRecord
    officers: list[OfficerRecord]
    assignments: list[AssignmentRecord]
    engagements: list[EngagementRecord]
    support_statements: list[StatementRecord]
    protocols: list[ProtocolRecord]
    schedules: list[ScheduleRecord]
    checkins: list[CheckInRecord]
    interactions: list[InteractionRecord]
    attendance: list[AttendanceRecord]


# The top-level lists, in bundle order (for summaries).
LISTS: tuple[str, ...] = tuple(
    name for name in Bundle.model_fields if name not in ("format", "site")
)


def bundle_json_schema() -> str:
    """The JSON Schema of a bundle, as published in docs/bundle.schema.json."""
    schema = Bundle.model_json_schema(by_alias=True, mode="validation")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def nested(model: type[Record]) -> Iterator[tuple[str, type[Record], bool]]:
    """The fields of `model` that hold records: (key, record model, whether a list)."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        many = getattr(annotation, "__origin__", None) is list
        inner = annotation.__args__[0] if many else annotation  # type: ignore[union-attr]
        if isinstance(inner, type) and issubclass(inner, Record):
            yield field.alias or name, inner, many


# --- reading ---------------------------------------------------------------------------


class Errors:
    """Error messages collected while reading and writing, each "path: message"."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.messages.append(f"{path}: {message}")

    def __len__(self) -> int:
        return len(self.messages)


def path_of(loc: Sequence[str | int]) -> str:
    """("interactions", 3, "category") as "interactions[3].category"."""
    path = ""
    for step in loc:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path


def _model_at(loc: Sequence[str | int]) -> type[Record]:
    """The record model that holds the key at `loc` (for "the keys here are …")."""
    model: type[Record] = Bundle
    for step in loc[:-1]:
        if isinstance(step, int):
            continue
        model = next((m for key, m, _ in nested(model) if key == step), model)
    return model


def _message(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "missing; this key is required"
    if kind == "extra_forbidden":
        keys = ", ".join(_model_at(error["loc"]).bundle_keys())
        return f"unknown key; the keys here are {keys}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected an object {{…}}, got {describe(value)}"
    if kind == "list_type":
        return f"expected a list [{{…}}, …], got {describe(value)}"
    return str(error["msg"])


def _set_aside(data: dict[str, Any], loc: Sequence[str | int]) -> None:
    """Replace the innermost record holding the error at `loc` by a refused placeholder.

    A bad record (a clause, an hours row) is reported on its own and does not stop its
    parent or the other records being checked against the database, so one run reports
    as many errors as it can."""
    model: type[Record] = Bundle
    holder: tuple[Any, str | int, type[Record]] | None = None
    node: Any = data
    steps = list(loc)
    while steps and isinstance(node, dict):
        step = steps.pop(0)
        found = next(((m, many) for key, m, many in nested(model) if key == step), None)
        if found is None:
            break
        model, many = found
        if many:
            items = node.get(step)
            if not steps or not isinstance(items, list):
                node[step] = []  # the list itself is wrong: no records to check
                return
            index = int(steps.pop(0))
            holder, node = (items, index, model), items[index]
        else:
            holder, node = (node, step, model), node.get(step)
    if holder is None:
        data.pop(str(loc[0]), None)  # an unknown top-level key
        return
    container, key, record_model = holder
    container[key] = record_model.placeholder()


def read_bundle(data: dict[str, Any]) -> tuple[Bundle, Errors]:
    """Validate a whole bundle (its `format` already checked) without touching the
    database: every error of shape, with the records that had none."""
    errors = Errors()
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        found = exc.errors(include_url=False)
        for error in found:
            errors.add(path_of(error["loc"]), _message(error))
        # Again with the refused records set aside, for the model rules of the others.
        salvaged = _copy(data)
        for _attempt in range(3):
            for error in found:
                _set_aside(salvaged, error["loc"])
            try:
                bundle = Bundle.model_validate(salvaged)
                break
            except ValidationError as again:
                found = again.errors(include_url=False)
        else:  # pragma: no cover - every pass sets aside what failed
            raise RuntimeError("a bundle's refused records could not be set aside")
    return bundle, errors


def _copy(value: Any) -> Any:
    # Only the JSON containers are copied: the caller's data is left as it was.
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
