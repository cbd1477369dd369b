"""What a site shows its police liaison: the protocol in force, its history and diffs,
acknowledging a version, upcoming check-ins and confirming attendance. Managers see the
same pages, to know what police see; they also record check-in outcomes here and follow
the continuity of the liaison post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from agreements import audit
from agreements.access import Permission, SiteAccess
from agreements.audit import Action
from agreements.choices import CheckInStatus, ProtocolStatus, Role, Topic
from agreements.conflicts import Conflict, StalePage, expect, explain, posted_version, watch
from agreements.models import Protocol
from agreements.pii_forms import ConfirmPii
from agreements.protocol_diff import ClauseText, diff_versions
from agreements.protocol_rules import IN_FORCE, UPCOMING, shown_status
from agreements.protocol_rules import in_force as in_force_rule
from agreements.versioning import EditConflict
from agreements.views.base import apply_errors, site_context, site_view
from liaisons.continuity import primary_timeline
from liaisons.models import CheckIn, LiaisonAssignment, LiaisonOfficer
from liaisons.schedules import describe_rrule
from liaisons.services import attendance_confirm, checkin_record, protocol_acknowledge

SIGNED = [ProtocolStatus.SIGNED, ProtocolStatus.ENDED]
UPCOMING_DAYS = 90


def _officer(request: HttpRequest) -> LiaisonOfficer | None:
    return LiaisonOfficer.objects.filter(user_id=request.user.pk or 0, active=True).first()


def _versions(access: SiteAccess) -> list[Protocol]:
    """Versions police may read: signed and ended ones only. Managers read the same on
    these pages ("What police see"); their own pages show drafts."""
    versions = Protocol.objects.filter(site=access.site, status__in=SIGNED).order_by("-version")
    today = access.site.today()
    found = list(versions)
    for version in found:
        version.shown = shown_status(version, today)  # type: ignore[attr-defined]
    return found


def upcoming_version(versions: list[Protocol], today: date) -> Protocol | None:
    """The signed version that takes effect next, if one is waiting."""
    waiting = [v for v in versions if shown_status(v, today).kind == UPCOMING]
    return min(waiting, key=lambda v: (v.effective_from, v.version), default=None)


def _acknowledged(officer: LiaisonOfficer | None, versions: list[Protocol]) -> set[int]:
    if officer is None or not versions:
        return set()
    return set(
        officer.acknowledgements.filter(protocol__in=versions).values_list("protocol_id", flat=True)
    )


@site_view(Permission.VIEW_PROTOCOL)
def protocol_current(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    site = access.site
    today = site.today()
    versions = _versions(access)
    in_force = in_force_rule(versions, today)
    upcoming = upcoming_version(versions, today)
    officer = _officer(request) if Role.LIAISON in access.roles else None
    acknowledged = _acknowledged(officer, [v for v in (in_force, upcoming) if v is not None])
    return render(
        request,
        "agreements/liaison_protocol.html",
        site_context(
            access,
            protocol=in_force,
            shown=shown_status(in_force, today) if in_force else None,
            clauses=in_force.clauses.all() if in_force else [],
            versions=versions,
            officer=officer,
            acknowledged=in_force is not None and in_force.pk in acknowledged,
            upcoming=upcoming,
            upcoming_acknowledged=upcoming is not None and upcoming.pk in acknowledged,
        ),
    )


def _version(versions: list[Protocol], version: int) -> Protocol:
    found = next((p for p in versions if p.version == version), None)
    if found is None:
        raise Http404("No such version.")
    return found


@site_view(Permission.VIEW_PROTOCOL)
def protocol_version(request: HttpRequest, access: SiteAccess, version: int) -> HttpResponse:
    versions = _versions(access)
    protocol = _version(versions, version)
    shown = shown_status(protocol, access.site.today())
    officer = _officer(request) if Role.LIAISON in access.roles else None
    return render(
        request,
        "agreements/liaison_protocol.html",
        site_context(
            access,
            protocol=protocol,
            shown=shown,
            clauses=protocol.clauses.all(),
            versions=versions,
            officer=officer if shown.kind in (IN_FORCE, UPCOMING) else None,
            acknowledged=protocol.pk in _acknowledged(officer, [protocol]),
            single_version=True,
        ),
    )


class DiffForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    b = forms.TypedChoiceField(label=_("Newer version"), coerce=int)


@site_view(Permission.VIEW_PROTOCOL)
def protocol_diff(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    return diff_page(request, access, _versions(access))


def diff_page(
    request: HttpRequest,
    access: SiteAccess,
    versions: list[Protocol],
    *,
    manager: bool = False,
    **extra: object,
) -> HttpResponse:
    """Two of `versions` side by side: those police read (their pages), or every version
    of the site, drafts included (`manager`: the managers' protocol pages)."""
    today = access.site.today()
    choices = [(p.version, gettext("Version %(version)s (%(status)s)")
                % {"version": p.version, "status": shown_status(p, today).label.lower()})
               for p in versions]  # fmt: skip
    form = DiffForm(request.GET or None)
    form.fields["a"].choices = choices  # type: ignore[attr-defined]
    form.fields["b"].choices = choices  # type: ignore[attr-defined]
    rows = []
    old = new = None
    if form.is_bound and form.is_valid():
        old = _version(versions, form.cleaned_data["a"])
        new = _version(versions, form.cleaned_data["b"])
        rows = diff_versions(_clause_texts(old), _clause_texts(new))
    return render(
        request,
        "agreements/liaison_diff.html",
        site_context(access, form=form, rows=rows, old=old, new=new, manager_view=manager, **extra),
    )


def _clause_texts(protocol: Protocol) -> list[ClauseText]:
    return [ClauseText(c.topic, Topic(c.topic).label, c.text) for c in protocol.clauses.all()]


@site_view(Permission.ACT_AS_LIAISON)
@require_POST
def protocol_acknowledge_view(
    request: HttpRequest, access: SiteAccess, version: int
) -> HttpResponse:
    protocol = _version(_versions(access), version)
    officer = _officer(request)
    if officer is None:
        raise PermissionDenied(gettext("Your account is not tied to an active officer record."))
    try:
        protocol_acknowledge(protocol=protocol, officer=officer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("You acknowledged version %(version)s.") % {"version": protocol.version},
        )
    return redirect("agreements:liaison_protocol", slug=access.site.slug)


@site_view(Permission.VIEW_SHARED)
def upcoming_checkins(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    now = timezone.now()
    checkins = (
        CheckIn.objects.filter(
            site=access.site,
            scheduled_start__gte=now,
            scheduled_start__lt=now + timedelta(days=UPCOMING_DAYS),
        )
        .exclude(status=CheckInStatus.CANCELLED)
        .select_related("schedule", "site")
        .prefetch_related("site__hours")
        .order_by("scheduled_start")
    )
    officer = _officer(request) if Role.LIAISON in access.roles else None
    confirmed = (
        set(officer.confirmations.filter(checkin__in=checkins).values_list("checkin_id", flat=True))
        if officer
        else set()
    )
    schedules = access.site.schedules.filter(end__isnull=True) | access.site.schedules.filter(
        end__gte=access.site.today()
    )
    return render(
        request,
        "agreements/liaison_checkins.html",
        site_context(
            access,
            checkins=checkins,
            officer=officer,
            confirmed=confirmed,
            schedules=[(s, describe_rrule(s.rrule, s.start_time)) for s in schedules],
        ),
    )


@site_view(Permission.ACT_AS_LIAISON)
@require_POST
def attendance_confirm_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    checkin = CheckIn.objects.filter(
        site=access.site, pk=pk, scheduled_start__gte=timezone.now()
    ).first()
    officer = _officer(request)
    if checkin is None:
        raise Http404("No such upcoming check-in.")
    if officer is None:
        raise PermissionDenied(gettext("Your account is not tied to an active officer record."))
    attendance_confirm(checkin=checkin, officer=officer, actor=request.user)
    messages.success(request, gettext("Thank you: the site knows you will attend."))
    return redirect("agreements:liaison_checkins", slug=access.site.slug)


# --- managers: outcomes and continuity -----------------------------------------------------


class OutcomeForm(ConfirmPii, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(CheckInStatus.HELD, _("Held")), (CheckInStatus.MISSED, _("Missed")),
                 (CheckInStatus.CANCELLED, _("Cancelled"))],
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@dataclass(frozen=True)
class OutcomeEntry:
    """One check-in's form on the page: the version it loaded, the status and notes it
    holds, and the notes it displayed when loaded (to tell what changed meanwhile)."""

    version: int
    status: str
    notes: str
    loaded_notes: str


@site_view(Permission.MANAGE)
def awaiting_outcome(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    return _awaiting_page(request, access)


def _awaiting_page(
    request: HttpRequest,
    access: SiteAccess,
    conflict: Conflict | None = None,
    kept: tuple[int, OutcomeForm] | None = None,
) -> HttpResponse:
    """The check-ins awaiting an outcome, each form holding its notes so far. After a
    refusal, the refused check-in's form holds what the user entered (and, in a field left
    alone, the value now), shown even if someone recorded its outcome meanwhile."""
    awaiting = CheckIn.objects.filter(
        site=access.site, scheduled_start__lt=timezone.now(), status=CheckInStatus.SCHEDULED
    )
    if kept is not None:
        awaiting |= CheckIn.objects.filter(site=access.site, pk=kept[0])
    checkins = list(awaiting.select_related("schedule").order_by("scheduled_start"))
    for checkin in checkins:
        if kept is not None and conflict is not None and kept[0] == checkin.pk:
            form = kept[1]
            entry = OutcomeEntry(
                conflict.version,
                form["status"].value() or "",
                form["notes"].value() or "",
                form.data.get(form["notes"].html_initial_name, ""),
            )
        else:
            entry = OutcomeEntry(checkin.edit_version, "", checkin.notes, checkin.notes)
        checkin.outcome = entry  # type: ignore[attr-defined]
    return render(
        request,
        "agreements/awaiting_outcome.html",
        site_context(
            access, checkins=checkins, form=OutcomeForm(), outcome_page=True, conflict=conflict
        ),
        status=conflict.status if conflict else 200,
    )


@site_view(Permission.MANAGE)
@require_POST
def record_outcome(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    checkin = CheckIn.objects.filter(site=access.site, pk=pk).first()
    if checkin is None:
        raise Http404("No such check-in.")
    # The page displays each check-in's notes (carried back to tell what changed
    # meanwhile); an outcome is recorded only if the check-in is at the version it loaded.
    form = OutcomeForm(request.POST)
    watch(form, only=("notes",))
    loaded = None
    try:
        loaded = posted_version(request, checkin.edit_version)
        expect(loaded, checkin.edit_version)
        if form.is_valid():
            checkin_record(
                checkin=checkin,
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
                pii_confirmed=form.confirmed,
            )
    except (StalePage, EditConflict):
        now = CheckIn.objects.get(pk=pk)
        fresh = OutcomeForm(initial={"status": now.status, "notes": now.notes})
        conflict = explain(
            noun=gettext("check-in"), now=now, loaded=loaded, pairs=[(form, fresh, "")]
        )
        return _awaiting_page(request, access, conflict, kept=(pk, form))
    except ValidationError as error:
        apply_errors(form, error)
    if form.errors:
        problems = pgettext("between items of a list", "; ").join(
            gettext("%(label)s: %(value)s")
            % {"label": form.fields[name].label if name in form.fields else name,
               "value": " ".join(str(e) for e in errs)}
            for name, errs in form.errors.items()
        )  # fmt: skip
        messages.error(
            request,
            gettext("Nothing was recorded for %(checkin)s: %(problems)s")
            % {"checkin": checkin, "problems": problems},
        )
    else:
        messages.success(
            request,
            gettext("Recorded: %(checkin)s was %(status)s.")
            % {"checkin": checkin, "status": checkin.get_status_display().lower()},
        )
    return redirect("agreements:checkins_awaiting", slug=access.site.slug)


@site_view(Permission.MANAGE)
def liaison_continuity(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    site = access.site
    assignments = list(
        LiaisonAssignment.objects.filter(site=site).select_related("officer").order_by("start")
    )
    primaries = [(a.id, str(a.officer), a.start, a.end) for a in assignments if a.role == "primary"]
    timeline = primary_timeline(primaries, site.today())
    officers = {a.officer_id: a.officer for a in assignments}.values()
    return render(
        request,
        "agreements/liaison_continuity.html",
        site_context(
            access,
            timeline=timeline,
            backups=[a for a in assignments if a.role == "backup"],
            officers=sorted(officers, key=lambda o: o.name),
            today=site.today(),
        ),
    )


@site_view(Permission.VIEW_PROTOCOL)
def protocol_document(request: HttpRequest, access: SiteAccess, pk: int) -> FileResponse:
    """The signed PDF, streamed from private storage to those who may read the protocol's
    pages (the same permission: researchers read neither; police and the community body
    read both)."""
    versions = Protocol.objects.filter(site=access.site)
    if not access.can(Permission.MANAGE):
        versions = versions.filter(status__in=SIGNED)
    protocol = versions.filter(pk=pk).exclude(document="").first()
    if protocol is None:
        raise Http404("No such document.")
    try:
        # A stored file can go missing (a folder not yet copied in by
        # import_private_files): say so, with no trace of the storage.
        document = protocol.document.open("rb")
    except FileNotFoundError:
        raise Http404("The signed document is missing from storage.") from None
    audit.record(Action.DOWNLOAD, actor=request.user, obj=protocol,
                 detail=f"signed document of version {protocol.version}")  # fmt: skip
    return FileResponse(
        document,
        as_attachment=True,
        filename=f"{access.site.slug}-protocol-v{protocol.version}.pdf",
        content_type="application/pdf",
    )
