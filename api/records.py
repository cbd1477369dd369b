"""Interactions, check-ins, engagements and support statements of a site: list and create.

Every route resolves its site through `site_access` (out of scope 404, a role that may
not 403) and every write goes through `agreements.services`, so the model's validation
(the PII guard, plausible and past dates, choices) and the audit log always apply.

Date-times are read and written in the site's local time: a date-time sent without an
offset ("2026-06-01T14:30") is read in the site's timezone, and lists answer ISO 8601
with the site's offset. Interactions are kept to the hour (SPEC §2), so the minutes
sent are dropped.

Every create that takes free text accepts `"pii_confirmed": true`: the writer confirms
that text the PII guard warned about describes police (a warning unconfirmed is a 422
of type `pii_unconfirmed`; refusals stay `value_error`, confirmed or not).

Choice fields are plain strings whose allowed values are listed in the OpenAPI document;
the model refuses other values, so the 422 answer names the field as `["body", field]`
like every other refusal of the model.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import F, QuerySet, TextChoices, TextField, Value
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, ValidationInfo, field_validator

from agreements import audit
from agreements.access import Permission, SiteAccess, site_access
from agreements.choices import (
    Category,
    CheckInFormat,
    CheckInStatus,
    Consent,
    DistanceBand,
    EngagementKind,
    Impact,
    LegalBasis,
    Source,
    SpeakerRank,
    Stance,
    StatementKind,
    Topic,
)
from agreements.dates import EARLIEST, LATEST, OUT_OF_RANGE
from agreements.models import EngagementEvent, Interaction, Site, SupportStatement
from agreements.services import interaction_log, record_save
from api.schemas import (
    MAX_LIMIT,
    Confirmable,
    Error,
    Pages,
    ValidationErrors,
    caller,
)
from liaisons.models import CheckIn, CheckInSchedule

router = Router()


# --- error answers ----------------------------------------------------------------------


# Every route may answer these: not signed in (401), not allowed (403; also a failed CSRF
# check of a session write), not in scope (404), invalid input (422), throttled (429).
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: ValidationErrors, 429: Error}
# Writes may also answer 400 when the body is not JSON at all.
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 400: Error}


# --- helpers ------------------------------------------------------------------------------


def _choice(choices: type[TextChoices], default: Any = ..., nullable: bool = False) -> Any:
    """A string field whose allowed values the OpenAPI document lists; the model checks."""
    values: list[Any] = [*choices.values, *([None] if nullable else [])]
    return Field(default, json_schema_extra={"enum": values})


_one_badge = RegexValidator(
    r"^[A-Za-z0-9-]{1,12}$", "Each badge number has 1–12 letters, digits or hyphens."
)


def _refuse_unstorable(values: dict[str, Any]) -> None:
    """Refuse text a database cannot store (NUL characters, lone surrogates) with a 422
    naming the field, instead of a database error."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if not isinstance(text, str):
                continue
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                errors[name] = "This text holds characters that are not valid Unicode."
            if "\x00" in text:
                errors[name] = "Null characters are not allowed."
    if errors:
        raise ValidationError(errors)


def _in_range(moment: datetime, field: str) -> None:
    """Refuse a date-time outside 1990–2100 before any timezone arithmetic on it."""
    if not EARLIEST <= moment.date() <= LATEST:
        raise ValidationError({field: OUT_OF_RANGE})


def _local_moment(moment: datetime, site: Site, field: str) -> datetime:
    """An aware date-time: a naive one is read as the site's local wall time."""
    _in_range(moment, field)
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, site.tz)
    return moment


def _manage(request: HttpRequest, slug: str) -> SiteAccess:
    """The site, for a caller who manages it (managers and admins); else 404 or 403."""
    return site_access(caller(request), slug, Permission.MANAGE)


# --- interactions -------------------------------------------------------------------------


class InteractionFilters(Schema):
    """Query filters of the interaction log; each refusal names its parameter."""

    date_from: date | None = Field(
        None, description="YYYY-MM-DD: interactions on or after this day, at the site."
    )
    date_to: date | None = Field(
        None, description="YYYY-MM-DD: interactions on or before this day, at the site."
    )
    category: Category | None = Field(None, description="One category of SPEC §4.")

    @field_validator("date_from", "date_to")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ValueError(OUT_OF_RANGE)
        return value

    @field_validator("date_to")
    @classmethod
    def _ordered(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("date_from")
        if value is not None and start is not None and value < start:
            raise ValueError("date_to must be on or after date_from.")
        return value


class InteractionIn(Confirmable):
    occurred_at: datetime = Field(
        ...,
        description="Local date-time at the site, YYYY-MM-DDTHH:MM (or with an offset). "
        "Kept to the hour: minutes are dropped.",
    )
    category: str = _choice(Category)
    distance_band: str = _choice(DistanceBand)
    officers_present: int = Field(1, json_schema_extra={"minimum": 0, "maximum": 200})
    plain_clothes: bool = False
    vehicle_present: bool = False
    staff_requested: bool = Field(False, description="Staff asked police to attend.")
    site_notified: bool = Field(False, description="Police told the site afterwards.")
    impact: str = _choice(Impact, Impact.NONE.value)
    liaison_contacted: bool = False
    resolution: str = ""
    narrative: str = Field("", description="What police did. Never describe or name clients.")
    legal_basis: str | None = _choice(LegalBasis, None, nullable=True)
    disclosed: bool | None = Field(
        None, description="For information_request: was anything disclosed?"
    )
    badge_numbers: list[str] = Field(
        default_factory=list, description="Police badge numbers (they describe police)."
    )
    clause_topic: str | None = _choice(Topic, None, nullable=True)
    source: str = Field(
        Source.STAFF.value,
        description="Who told the site: staff, client_reported or peer_reported.",
        json_schema_extra={"enum": list(Source.values)},
    )
    consent: str = Field(
        Consent.AGGREGATE.value,
        description="What the reporter agreed to (SPEC §2): site_only (kept out of every "
        "figure that leaves the site), aggregate (counted in research figures) or "
        "mediation (may also be shared with police).",
        json_schema_extra={"enum": list(Consent.values)},
    )


class InteractionOut(Schema):
    id: int
    occurred_at: datetime = Field(..., description="ISO 8601 in the site's local time.")
    category: str = _choice(Category)
    distance_band: str = _choice(DistanceBand)
    officers_present: int
    plain_clothes: bool
    vehicle_present: bool
    staff_requested: bool
    site_notified: bool
    impact: str = _choice(Impact)
    liaison_contacted: bool
    resolution: str
    narrative: str
    legal_basis: str | None = _choice(LegalBasis, nullable=True)
    disclosed: bool | None
    badge_numbers: list[str]
    clause_topic: str | None = _choice(Topic, nullable=True)
    source: str = _choice(Source)
    consent: str = _choice(Consent)
    is_breach: bool = Field(..., description="Whether it counts as a breach (SPEC §4).")

    @staticmethod
    def resolve_occurred_at(obj: Interaction) -> datetime:
        return obj.site.local(obj.occurred_at)

    @staticmethod
    def resolve_legal_basis(obj: Interaction) -> str | None:
        return obj.legal_basis or None

    @staticmethod
    def resolve_clause_topic(obj: Interaction) -> str | None:
        return obj.clause_topic or None

    @staticmethod
    def resolve_badge_numbers(obj: Interaction) -> list[str]:
        return obj.badges


class NarrativePages(Pages):
    """Pages of the interaction log. Each interaction a page holds is a narrative read and
    gets its audit entry, as opening it on its page does, whether the caller came with a
    token or a browser session."""

    def paginate_queryset(
        self, queryset: QuerySet[Interaction], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = rows = list(page[self.items_attribute])
        if rows:
            audit.record_reads(rows, actor=caller(request), site=rows[0].site,
                               detail="interaction log through the API")  # fmt: skip
        return page


@router.get(
    "/sites/{slug}/interactions",
    response={200: list[InteractionOut], **ERRORS},
    tags=["interactions"],
    summary="The site's interaction log, newest first (managers and admins); every "
    "interaction read is audited",
)
@paginate(NarrativePages, max_limit=MAX_LIMIT)
def list_interactions(
    request: HttpRequest, slug: str, filters: Query[InteractionFilters]
) -> QuerySet[Interaction]:
    """Filter by the site's local date (`date_from`, `date_to`) and by `category`."""
    site = _manage(request, slug).site
    rows = Interaction.objects.filter(site=site).select_related("site")
    if filters.date_from is not None:
        start = timezone.make_aware(datetime.combine(filters.date_from, time.min), site.tz)
        rows = rows.filter(occurred_at__gte=start)
    if filters.date_to is not None:
        day_after = filters.date_to + timedelta(days=1)
        rows = rows.filter(
            occurred_at__lt=timezone.make_aware(datetime.combine(day_after, time.min), site.tz)
        )
    if filters.category is not None:
        rows = rows.filter(category=filters.category)
    return rows.order_by("-occurred_at", "-id")


@router.post(
    "/sites/{slug}/interactions",
    response={201: InteractionOut, **WRITE_ERRORS},
    tags=["interactions"],
    summary="Log a police interaction (managers and admins)",
)
def create_interaction(request: HttpRequest, slug: str, payload: InteractionIn) -> Status[Any]:
    """Validated by the model (PII guard, choices, not in the future) and audited."""
    site = _manage(request, slug).site
    values = payload.model_dump()
    confirmed = values.pop("pii_confirmed")
    _refuse_unstorable(values)
    badges = [b.strip() for b in payload.badge_numbers]
    for badge in badges:
        try:
            _one_badge(badge)
        except ValidationError as exc:
            raise ValidationError({"badge_numbers": exc.messages}) from None
    values |= {
        "occurred_at": _local_moment(payload.occurred_at, site, "occurred_at"),
        "legal_basis": payload.legal_basis or "",
        "clause_topic": payload.clause_topic or "",
        "badge_numbers": ", ".join(badges),
    }
    interaction = Interaction(site=site, **values)
    interaction.pii_confirmed = confirmed
    with timezone.override(site.tz):
        interaction = interaction_log(interaction=interaction, actor=caller(request))
    return Status(201, interaction)


# --- check-ins ----------------------------------------------------------------------------


class CheckInIn(Confirmable):
    scheduled_start: datetime = Field(
        ..., description="Local date-time at the site, YYYY-MM-DDTHH:MM (or with an offset)."
    )
    duration_minutes: int = Field(60, json_schema_extra={"minimum": 5, "maximum": 720})
    format: str = _choice(CheckInFormat)
    status: str = _choice(CheckInStatus, CheckInStatus.SCHEDULED.value)
    notes: str = Field("", description="About the relationship; never about clients.")
    schedule: str | None = Field(
        None, description="The key of one of the site's schedules; null for an ad hoc check-in."
    )


class CheckInOut(Schema):
    id: int
    scheduled_start: datetime = Field(..., description="ISO 8601 in the site's local time.")
    duration_minutes: int
    format: str = _choice(CheckInFormat)
    status: str = _choice(CheckInStatus)
    notes: str | None = Field(..., description="Null for police liaisons: they never see notes.")
    schedule: str | None = Field(..., description="The schedule's key; null when ad hoc.")

    @staticmethod
    def resolve_scheduled_start(obj: CheckIn) -> datetime:
        return obj.local_start

    @staticmethod
    def resolve_notes(obj: CheckIn) -> str | None:
        # The list annotates `shown_notes` (null for liaisons, whose rows do not even load
        # the notes); a check-in just created by a manager answers its own notes.
        if hasattr(obj, "shown_notes"):
            shown: str | None = obj.shown_notes
            return shown
        return obj.notes

    @staticmethod
    def resolve_schedule(obj: CheckIn) -> str | None:
        return obj.schedule.key if obj.schedule is not None else None


@router.get(
    "/sites/{slug}/checkins",
    response={200: list[CheckInOut], **ERRORS},
    tags=["check-ins"],
    summary="The site's check-ins, newest first (managers, admins and the site's liaisons)",
)
@paginate(Pages, max_limit=MAX_LIMIT)
def list_checkins(request: HttpRequest, slug: str) -> QuerySet[CheckIn]:
    """Police liaisons see the check-ins but never their notes (`notes` is null)."""
    access = site_access(caller(request), slug, Permission.VIEW_SHARED)
    rows = CheckIn.objects.filter(site=access.site).select_related("site", "schedule")
    if access.can(Permission.MANAGE):
        rows = rows.annotate(shown_notes=F("notes"))
    else:  # the notes are not even read from the database
        rows = rows.defer("notes").annotate(shown_notes=Value(None, output_field=TextField()))
    return rows.order_by("-scheduled_start", "-id")


@router.post(
    "/sites/{slug}/checkins",
    response={201: CheckInOut, **WRITE_ERRORS},
    tags=["check-ins"],
    summary="Add a check-in (managers and admins)",
)
def create_checkin(request: HttpRequest, slug: str, payload: CheckInIn) -> Status[Any]:
    """Validated by the model (PII guard on notes, no outcome before it starts), audited."""
    site = _manage(request, slug).site
    values = payload.model_dump()
    confirmed = values.pop("pii_confirmed")
    _refuse_unstorable(values)
    schedule = None
    if payload.schedule is not None:
        schedule = CheckInSchedule.objects.filter(site=site, key=payload.schedule).first()
        if schedule is None:
            raise ValidationError({"schedule": "This site has no schedule with that key."})
    values |= {
        "scheduled_start": _local_moment(payload.scheduled_start, site, "scheduled_start"),
        "schedule": schedule,
    }
    checkin = CheckIn(site=site, **values)
    checkin.pii_confirmed = confirmed
    with timezone.override(site.tz):
        checkin = record_save(instance=checkin, actor=caller(request))
    return Status(201, checkin)


# --- engagement events --------------------------------------------------------------------


class EngagementIn(Confirmable):
    date: date
    kind: str = _choice(EngagementKind)
    police_ranks_present: str = Field("", description="Ranks only, e.g. Inspector, Sergeant.")
    summary: str = ""


class EngagementOut(Schema):
    id: int
    date: date
    kind: str = _choice(EngagementKind)
    police_ranks_present: str
    summary: str


@router.get(
    "/sites/{slug}/engagements",
    response={200: list[EngagementOut], **ERRORS},
    tags=["engagements"],
    summary="Engagement with police leadership, newest first (managers and admins)",
)
@paginate(Pages, max_limit=MAX_LIMIT)
def list_engagements(request: HttpRequest, slug: str) -> QuerySet[EngagementEvent]:
    """Every engagement event of the site."""
    site = _manage(request, slug).site
    return EngagementEvent.objects.filter(site=site).order_by("-date", "-id")


@router.post(
    "/sites/{slug}/engagements",
    response={201: EngagementOut, **WRITE_ERRORS},
    tags=["engagements"],
    summary="Record an engagement event (managers and admins)",
)
def create_engagement(request: HttpRequest, slug: str, payload: EngagementIn) -> Status[Any]:
    """Validated by the model (PII guard, not in the future) and audited."""
    site = _manage(request, slug).site
    values = payload.model_dump()
    confirmed = values.pop("pii_confirmed")
    _refuse_unstorable(values)
    event = EngagementEvent(site=site, **values)
    event.pii_confirmed = confirmed
    event = record_save(instance=event, actor=caller(request))
    return Status(201, event)


# --- support statements -------------------------------------------------------------------


class SupportStatementIn(Confirmable):
    date: date
    rank: str = _choice(SpeakerRank)
    stance: str = _choice(Stance)
    kind: str = _choice(StatementKind)
    summary: str = ""
    source: str = Field("", description="Link to the public record, if any.")


class SupportStatementOut(Schema):
    id: int
    date: date
    rank: str = _choice(SpeakerRank)
    stance: str = _choice(Stance)
    kind: str = _choice(StatementKind)
    summary: str
    source: str


@router.get(
    "/sites/{slug}/support-statements",
    response={200: list[SupportStatementOut], **ERRORS},
    tags=["support statements"],
    summary="Statements of police leadership about the site, newest first (managers, admins)",
)
@paginate(Pages, max_limit=MAX_LIMIT)
def list_support_statements(request: HttpRequest, slug: str) -> QuerySet[SupportStatement]:
    """Every support statement of the site."""
    site = _manage(request, slug).site
    return SupportStatement.objects.filter(site=site).order_by("-date", "-id")


@router.post(
    "/sites/{slug}/support-statements",
    response={201: SupportStatementOut, **WRITE_ERRORS},
    tags=["support statements"],
    summary="Record a support statement (managers and admins)",
)
def create_support_statement(
    request: HttpRequest, slug: str, payload: SupportStatementIn
) -> Status[Any]:
    """Validated by the model (choices, a valid link, not in the future) and audited."""
    site = _manage(request, slug).site
    values = payload.model_dump()
    confirmed = values.pop("pii_confirmed")
    _refuse_unstorable(values)
    statement = SupportStatement(site=site, **values)
    statement.pii_confirmed = confirmed
    statement = record_save(instance=statement, actor=caller(request))
    return Status(201, statement)
