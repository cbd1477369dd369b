"""The home page, a site's overview (managers), its public profile (every role in scope),
and the site form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods

from agreements.access import Permission, SiteAccess, is_network_admin, roles_by_site
from agreements.choices import Role
from agreements.conflicts import EditGuard, Extra, Refused, Watch, carry_over, form_watch
from agreements.forms import HoursFormSet, SiteForm, hours_initial, hours_rows
from agreements.models import WEEKDAYS, Site
from agreements.services import site_save
from agreements.views.base import apply_errors, site_context, site_view
from reports import data as report_data
from scoring.charts import MonthBar, monthly_bars
from workspace.records import KINDS
from workspace.selectors import site_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_by_site(request.user)
    sites = Site.objects.filter(id__in=roles).prefetch_related("hours")
    entries = [
        (site, sorted(Role(r).label for r in roles[site.id]), roles[site.id]) for site in sites
    ]
    return render(
        request,
        "agreements/home.html",
        {"entries": entries, "is_admin": is_network_admin(request.user), "Role": Role},
    )


@site_view(Permission.MANAGE)
def site_overview_view(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    overview = site_overview(access.site)
    sections = [(kind, overview.counts[slug]) for slug, kind in KINDS.items()]
    # The same SVG charts as the manager edition of the PDF report.
    summary = report_data.interaction_summary(access.site, overview.today)
    visits = report_data.attendance_by_month(access.site, summary.months, overview.today)
    bars = [
        MonthBar(month, breaches, line=mean)
        for month, breaches, mean in zip(
            summary.months, summary.breaches_by_month, visits, strict=True
        )
    ]
    has_visits = any(v is not None for v in visits)
    chart = monthly_bars(
        bars,
        title=(
            gettext("Breaches per month beside attendance")
            if has_visits
            else gettext("Breaches per month")
        ),
        chart_id="breaches",
        line_label=gettext("mean daily visits") if has_visits else "",
    )
    return render(
        request,
        "agreements/site_overview.html",
        site_context(
            access,
            overview=overview,
            sections=sections,
            hours=access.site.hours.all(),
            overview_page=True,
            breaches_chart=chart,
        ),
    )


@site_view(Permission.VIEW_PROFILE)
def site_profile(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    return render(
        request,
        "agreements/site_profile.html",
        site_context(access, hours=access.site.hours.all()),
    )


def _stored_hours(site: Site) -> list[list[str]]:
    stored = sorted(site.hours.all(), key=lambda h: h.weekday)
    return _hour_rows({"weekday": h.weekday, "opens": h.opens, "closes": h.closes} for h in stored)


def _hour_rows(rows: Iterable[dict[str, Any]]) -> list[list[str]]:
    """Weekly hours (stored, or as the form's rows) as signed into the page."""
    return [
        [str(r["weekday"]), r["opens"].isoformat("minutes"), r["closes"].isoformat("minutes")]
        for r in rows
    ]


def _show_hours(rows: list[list[str]]) -> str:
    days = dict(WEEKDAYS)
    return pgettext("between items of a list", "; ").join(
        f"{days[int(day)]} {opens}–{closes}" for day, opens, closes in rows
    )


# What the site form shows: the site's own fields and its weekly hours (audited as "hours").
SITE_WATCH: Watch = form_watch(
    SiteForm,
    extras={"hours": Extra(gettext_lazy("Weekly operating hours"), _stored_hours, _show_hours)},
)


def _carry_hours(hours: forms.BaseFormSet, guard: EditGuard | None) -> None:
    """After a refusal, show the weekly hours as they are now if the user left them as
    they were (as `carry_over` does for the site's own fields)."""
    change = next((c for c in guard.changes if c.name == "hours"), None) if guard else None
    if guard is None or guard.loaded is None or change is None:
        return
    if "hours" not in guard.loaded.values:  # not sent back as displayed: leave the user's
        return
    if _hour_rows(hours_rows(hours)) != guard.loaded.values.get("hours"):
        change.in_form = "yours"
        return
    now = {int(day): (opens, closes) for day, opens, closes in guard.current.get("hours", [])}
    data = hours.data.copy()  # type: ignore[attr-defined]  # a QueryDict
    for day, _label in WEEKDAYS:
        opens, closes = now.get(day, ("", ""))
        data[f"{hours.prefix}-{day}-opens"], data[f"{hours.prefix}-{day}-closes"] = opens, closes
    hours.data = data
    for form in hours.forms:
        form.data = data
    change.in_form = "now"


def _site_form_page(request: HttpRequest, site: Site, context: dict) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    # An existing site is saved only if nobody changed it since this page was opened.
    guard = EditGuard.for_record(request, site, SITE_WATCH) if site.pk else None
    form = SiteForm(data, instance=site)
    hours = HoursFormSet(data, initial=hours_initial(site), prefix="hours")
    refused = guard is not None and guard.refused
    if request.method == "POST" and not refused and form.is_valid() and hours.is_valid():

        def save() -> Site:
            return site_save(
                site=form.save(commit=False), hours=hours_rows(hours), actor=request.user
            )

        try:
            saved = guard.run(save) if guard else save()
        except Refused:
            carry_over(form, guard)
            _carry_hours(hours, guard)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("%(name)s was saved.") % {"name": saved.name})
            return redirect("agreements:site_overview", slug=saved.slug)
    return render(
        request,
        "agreements/site_form.html",
        {**context, "form": form, "hours": hours, "guard": guard},
        status=(guard.status if guard else None) or (422 if request.method == "POST" else 200),
    )


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    return _site_form_page(request, access.site, site_context(access))


@login_required
@require_http_methods(["GET", "POST"])
def site_create(request: HttpRequest) -> HttpResponse:
    if not is_network_admin(request.user):
        raise PermissionDenied(gettext("Only an administrator adds sites."))
    return _site_form_page(request, Site(), {})
