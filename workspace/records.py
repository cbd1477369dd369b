"""The record types a manager keeps for a site, described once.

Each `RecordKind` says how its list looks (columns, filters, sorts), which form edits it,
which service saves it and when it may be deleted. The generic views in
`agreements/views/records.py` and the URL patterns are built from this registry, so every
record type gets the same list, create, edit and delete pages and the same scoping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agreements import forms as site_forms
from agreements.breaches import breach_q
from agreements.filters import make_filterset, yes_no_filter
from agreements.hours import overlaps_hours
from agreements.models import (
    DailyAttendance,
    EngagementEvent,
    Interaction,
    Protocol,
    Site,
    SupportStatement,
)
from agreements.protocol_rules import shown_status
from agreements.services import delete_refusal, interaction_log, record_save
from agreements.types import Actor
from liaisons import forms as liaison_forms
from liaisons.models import CheckIn, CheckInSchedule, LiaisonAssignment, LiaisonOfficer
from liaisons.schedules import describe_rrule, next_occurrences
from liaisons.services import (
    GenerateCounts,
    officer_change_refusal,
    officer_save,
    schedule_save_counted,
)


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Any], Any]
    on_phones: bool = True  # False: hidden on narrow screens to keep the table readable


def _attr(name: str) -> Callable[[Any], Any]:
    def get(obj: Any) -> Any:
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display else getattr(obj, name)
        return value.isoformat() if isinstance(value, date) else value

    return get


def _local(name: str) -> Callable[[Any], Any]:
    def get(obj: Any) -> Any:
        # 2026-11-22 14:30; in French 2026-11-22 14 h 30.
        return formats.date_format(timezone.localtime(getattr(obj, name)), "SHORT_DATETIME_FORMAT")

    return get


def _default_save(form: forms.ModelForm, site: Site, actor: Actor) -> Any:
    return record_save(instance=form.save(commit=False), actor=actor)


def _deletable(obj: Any) -> bool:
    # The rule is the model's own, checked again by the delete service on every path.
    return delete_refusal(obj) is None


@dataclass(frozen=True)
class Saved:
    """What a kind's `save` may return instead of the record: the record, and a line
    saying what else the save did (shown after "was saved")."""

    obj: Any
    note: str = ""


@dataclass(frozen=True)
class RecordKind:
    slug: str
    title: str | Promise
    noun: str | Promise
    model: type[models.Model]
    form_class: type[forms.ModelForm]
    columns: tuple[Column, ...]
    filterset: type
    queryset: Callable[[Site], QuerySet[Any]]
    form_kwargs: Callable[[Site], dict[str, Any]] = field(default=lambda site: {})
    save: Callable[[forms.ModelForm, Site, Actor], Any] = _default_save
    deletable: Callable[[Any], bool] = _deletable
    audit_views: bool = False  # write an audit entry each time a record is opened
    warning: Callable[[Any], str] | None = None  # shown after saving, when not empty
    # Why this user may not change this record (None: they may); the service checks again.
    change_refusal: Callable[[Any, Actor], str | None] | None = None
    intro: str | Promise = ""
    # What the form would do, shown before saving ("Preview" button): extra page context.
    preview: Callable[[forms.ModelForm, Site], dict[str, Any]] | None = None

    def url(self, action: str, site: Site, pk: int | None = None) -> str:
        kwargs: dict[str, Any] = {"slug": site.slug}
        if pk is not None:
            kwargs["pk"] = pk
        return reverse(f"agreements:{self.slug}_{action}", kwargs=kwargs)


def site_officers(site: Site) -> QuerySet[LiaisonOfficer]:
    """The site's roster: officers ever assigned to it, or registered from it."""
    ids = LiaisonAssignment.objects.filter(site=site).values("officer_id")
    return LiaisonOfficer.objects.filter(Q(id__in=ids) | Q(registered_for=site)).select_related(
        "service"
    )


def _officer_save(form: forms.ModelForm, site: Site, actor: Actor) -> Any:
    return officer_save(
        officer=form.save(commit=False),
        service_name=form.cleaned_data["service_name"],
        site=site,
        actor=actor,
    )


def _schedule_save(form: forms.ModelForm, site: Site, actor: Actor) -> Saved:
    schedule, counts = schedule_save_counted(
        schedule=form.save(commit=False),
        expected_officers=form.cleaned_data["expected_officers"],
        actor=actor,
    )
    return Saved(schedule, generated_note(counts))


def generated_note(counts: GenerateCounts) -> str:
    """ "3 check-ins were created." and, when an edit removed some, how many."""
    created = ngettext(
        "%(count)d check-in was created.", "%(count)d check-ins were created.", counts.created
    ) % {"count": counts.created}
    if not counts.removed:
        return created
    removed = ngettext(
        "%(count)d future check-in without an outcome was removed.",
        "%(count)d future check-ins without an outcome were removed.",
        counts.removed,
    ) % {"count": counts.removed}
    return f"{created} {removed}"


PREVIEW_COUNT = 8


def _schedule_preview(form: forms.ModelForm, site: Site) -> dict[str, Any]:
    """The rule in words and the next dates it gives at the site, outside hours or not;
    from the form's cleaned values, writing nothing."""
    schedule = form.instance
    assert isinstance(schedule, CheckInSchedule)
    local = next_occurrences(schedule.rrule, start=schedule.start, end=schedule.end,
                             at=schedule.start_time, after=site.today(),
                             count=PREVIEW_COUNT)  # fmt: skip
    spans = [h.as_span() for h in site.hours.all()]
    length = timedelta(minutes=schedule.duration_minutes)
    dates = [
        PreviewDate(
            when=formats.date_format(moment, "D")
            + " "
            + formats.date_format(moment, "SHORT_DATETIME_FORMAT"),
            iso=moment.isoformat(timespec="minutes"),
            during_hours=overlaps_hours(moment, moment + length, spans),
        )
        for moment in local
    ]
    return {
        "preview": SchedulePreview(
            words=describe_rrule(schedule.rrule, schedule.start_time),
            rule=schedule.rrule,
            dates=dates,
            timezone=site.timezone,
        )
    }


@dataclass(frozen=True)
class PreviewDate:
    when: str
    iso: str
    during_hours: bool


@dataclass(frozen=True)
class SchedulePreview:
    words: str
    rule: str
    dates: list[PreviewDate]
    timezone: str


def _interaction_save(form: forms.ModelForm, site: Site, actor: Actor) -> Any:
    return interaction_log(interaction=form.save(commit=False), actor=actor)


def _filter_breaches(queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
    if value is None:
        return queryset
    return queryset.filter(breach_q()) if value else queryset.exclude(breach_q())


def _during_hours(checkin: CheckIn) -> str:
    if checkin.format in ("tour", "visit") and checkin.overlaps_operating_hours():
        return gettext(
            "This %(format)s falls during operating hours: "
            "police at the site while it is open can keep people away. Consider a time "
            "outside the hours."
        ) % {"format": checkin.get_format_display().lower()}
    return ""


def _yes_no(name: str) -> Callable[[Any], str]:
    return lambda obj: gettext("yes") if getattr(obj, name) else gettext("no")


OFFICERS = RecordKind(
    slug="officers",
    title=_("Liaison officers"),
    noun=_("liaison officer"),
    model=LiaisonOfficer,
    form_class=liaison_forms.OfficerForm,
    columns=(
        Column(_("Name"), _attr("name")),
        Column(_("Rank"), _attr("rank"), on_phones=False),
        Column(_("Badge"), _attr("badge_number")),
        Column(_("Service"), lambda o: o.service.name, on_phones=False),
        Column(_("Contact verified"), _attr("contact_verified_on"), on_phones=False),
        Column(_("Active"), _yes_no("active")),
    ),
    filterset=make_filterset(
        LiaisonOfficer,
        bool_fields=("active",),
        ordering=(("name", "name"), ("contact_verified_on", "contact_verified")),
    ),
    queryset=site_officers,
    save=_officer_save,
    change_refusal=officer_change_refusal,
    intro=_("Police liaison contacts for this site. Work contact details only."),
)

ASSIGNMENTS = RecordKind(
    slug="assignments",
    title=_("Liaison assignments"),
    noun=_("assignment"),
    model=LiaisonAssignment,
    form_class=liaison_forms.AssignmentForm,
    columns=(
        Column(_("Officer"), lambda a: str(a.officer)),
        Column(_("Role"), _attr("role")),
        Column(_("Start"), _attr("start")),
        Column(_("End"), lambda a: a.end.isoformat() if a.end else gettext("ongoing")),
    ),
    filterset=make_filterset(
        LiaisonAssignment,
        choice_fields=("role",),
        date_field="start",
        ordering=(("start", "start"), ("end", "end"), ("role", "role")),
    ),
    queryset=lambda site: LiaisonAssignment.objects.filter(site=site).select_related(
        "officer__service"
    ),
    form_kwargs=lambda site: {"officers": site_officers(site)},
    intro=_("Who is the site's primary and backup liaison, and when. One primary at a time."),
)

PROTOCOLS = RecordKind(
    slug="protocols",
    title=_("Protocols"),
    noun=_("protocol version"),
    model=Protocol,
    form_class=site_forms.ProtocolForm,
    columns=(
        Column(_("Version"), lambda p: f"v{p.version}"),
        Column(_("Status"), lambda p: shown_status(p, p.site.today()).label),
        Column(_("Effective from"), _attr("effective_from")),
        Column(_("Review by"), _attr("review_by"), on_phones=False),
        Column(_("Ended on"), _attr("ended_on"), on_phones=False),
    ),
    filterset=make_filterset(
        Protocol,
        choice_fields=("status",),
        ordering=(("version", "version"), ("effective_from", "effective_from")),
    ),
    queryset=lambda site: Protocol.objects.filter(site=site).select_related("site"),
    intro=_("The entry and presence agreement with police, version by version."),
)

ENGAGEMENTS = RecordKind(
    slug="engagements",
    title=_("Engagement events"),
    noun=_("engagement event"),
    model=EngagementEvent,
    form_class=site_forms.EngagementForm,
    columns=(
        Column(_("Date"), _attr("date")),
        Column(_("Kind"), _attr("kind")),
        Column(_("Ranks present"), _attr("police_ranks_present"), on_phones=False),
    ),
    filterset=make_filterset(
        EngagementEvent,
        choice_fields=("kind",),
        date_field="date",
        ordering=(("date", "date"), ("kind", "kind")),
    ),
    queryset=lambda site: EngagementEvent.objects.filter(site=site),
    intro=_("Early engagement and dialogue with police: planning, briefings, training."),
)

SUPPORT = RecordKind(
    slug="support-statements",
    title=_("Support statements"),
    noun=_("support statement"),
    model=SupportStatement,
    form_class=site_forms.SupportStatementForm,
    columns=(
        Column(_("Date"), _attr("date")),
        Column(_("Speaker"), _attr("rank")),
        Column(_("Stance"), _attr("stance")),
        Column(_("Kind"), _attr("kind"), on_phones=False),
    ),
    filterset=make_filterset(
        SupportStatement,
        choice_fields=("rank", "stance", "kind"),
        date_field="date",
        ordering=(("date", "date"), ("rank", "rank"), ("stance", "stance")),
    ),
    queryset=lambda site: SupportStatement.objects.filter(site=site),
    intro=_("What police chiefs and senior administrators have said or directed."),
)

SCHEDULES = RecordKind(
    slug="schedules",
    title=_("Check-in schedules"),
    noun=_("check-in schedule"),
    model=CheckInSchedule,
    form_class=liaison_forms.ScheduleForm,
    columns=(
        Column(_("Name"), _attr("key")),
        Column(_("When"), lambda s: describe_rrule(s.rrule, s.start_time)),
        Column(_("Rule"), _attr("rrule"), on_phones=False),
        Column(_("Format"), _attr("format")),
        Column(pgettext_lazy("first day", "From"), _attr("start"), on_phones=False),
        Column(
            _("Until"),
            lambda s: s.end.isoformat() if s.end else gettext("ongoing"),
            on_phones=False,
        ),
        Column(
            pgettext_lazy("officers expected at a check-in", "Expected"),
            lambda s: ", ".join(o.name for o in s.expected_officers.all()),
            on_phones=False,
        ),
    ),
    filterset=make_filterset(
        CheckInSchedule,
        choice_fields=("format",),
        ordering=(("start", "start"), ("key", "name")),
    ),
    queryset=lambda site: CheckInSchedule.objects.filter(site=site).prefetch_related(
        "expected_officers"
    ),
    form_kwargs=lambda site: {"officers": site_officers(site)},
    save=_schedule_save,
    preview=_schedule_preview,
    intro=_(
        "Regular, face-to-face, non-adversarial contact, planned ahead. Saving a schedule "
        "creates its check-ins for the coming months; editing it moves future check-ins "
        "that have no outcome yet, never past ones."
    ),
)

CHECKINS = RecordKind(
    slug="checkins",
    title=_("Check-ins"),
    noun=_("check-in"),
    model=CheckIn,
    form_class=liaison_forms.CheckInForm,
    columns=(
        Column(_("Starts"), _local("scheduled_start")),
        Column(_("Minutes"), _attr("duration_minutes"), on_phones=False),
        Column(_("Format"), _attr("format")),
        Column(_("Status"), _attr("status")),
        Column(
            _("Schedule"),
            lambda c: c.schedule.key if c.schedule else gettext("ad hoc"),
            on_phones=False,
        ),
        Column(
            _("Outside hours"),
            lambda c: gettext("no") if c.overlaps_operating_hours() else gettext("yes"),
        ),
    ),
    filterset=make_filterset(
        CheckIn,
        choice_fields=("status", "format"),
        date_field="scheduled_start",
        ordering=(("scheduled_start", "start"), ("status", "status")),
    ),
    # The site's hours come with the rows, so "outside hours" costs one query, not one per row.
    queryset=lambda site: (
        CheckIn.objects.filter(site=site)
        .select_related("schedule", "site")
        .prefetch_related("site__hours")
    ),
    form_kwargs=lambda site: {"schedules": CheckInSchedule.objects.filter(site=site)},
    warning=_during_hours,
)

INTERACTIONS = RecordKind(
    slug="interactions",
    title=_("Police interactions"),
    noun=_("police interaction"),
    model=Interaction,
    form_class=site_forms.InteractionForm,
    columns=(
        Column(_("When"), lambda i: timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %Hh")),
        Column(_("Breach"), lambda i: "breach" if i.is_breach else ""),
        Column(_("Category"), _attr("category")),
        Column(_("Where"), _attr("distance_band"), on_phones=False),
        Column(_("Impact"), _attr("impact"), on_phones=False),
        # Who told the site and what the reporter agreed to: managers only (this list is).
        Column(_("Source"), _attr("source"), on_phones=False),
        Column(
            pgettext_lazy("the reporter's consent", "Consent"), _attr("consent"), on_phones=False
        ),
    ),
    filterset=make_filterset(
        Interaction,
        choice_fields=("category", "distance_band", "impact", "source", "consent"),
        date_field="occurred_at",
        extra={"breach": yes_no_filter(_("Breach"), method=_filter_breaches)},
        ordering=(("occurred_at", "when"), ("category", "category")),
    ),
    queryset=lambda site: Interaction.objects.filter(site=site),
    save=_interaction_save,
    audit_views=True,
    intro=_(
        "What police did near the site. Describe police conduct only: never name or "
        "describe clients."
    ),
)

ATTENDANCE = RecordKind(
    slug="attendance",
    title=_("Daily attendance"),
    noun=_("attendance day"),
    model=DailyAttendance,
    form_class=site_forms.AttendanceForm,
    columns=(Column(_("Date"), _attr("date")), Column(_("Visits"), _attr("visits"))),
    filterset=make_filterset(
        DailyAttendance, date_field="date", ordering=(("date", "date"), ("visits", "visits"))
    ),
    queryset=lambda site: DailyAttendance.objects.filter(site=site),
    intro=_("Total visits per day, an aggregate only."),
)

KINDS: dict[str, RecordKind] = {
    kind.slug: kind
    for kind in (
        OFFICERS,
        ASSIGNMENTS,
        PROTOCOLS,
        ENGAGEMENTS,
        SUPPORT,
        SCHEDULES,
        CHECKINS,
        INTERACTIONS,
        ATTENDANCE,
    )
}
