"""The home page, a site's overview (managers), its public profile (every role in scope),
and the site form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from agreements.access import (
    GRANTS,
    Permission,
    SiteAccess,
    is_network_admin,
    roles_by_site,
)
from agreements.choices import Role
from agreements.conflicts import Conflict, StalePage, expect, explain, posted_version, watch
from agreements.forms import HoursFormSet, SiteForm, hours_initial, hours_rows
from agreements.models import WEEKDAYS, Site
from agreements.services import site_save
from agreements.versioning import EditConflict
from agreements.views.base import apply_errors, site_context, site_view
from reports import data as report_data
from scoring.charts import MonthBar, monthly_bars
from workspace.records import KINDS
from workspace.selectors import site_overview
from workspace.waiting import waiting_by_site


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_by_site(request.user)
    sites = Site.objects.filter(id__in=roles).prefetch_related("hours")
    waiting = waiting_by_site(request.user, roles)
    entries = [
        (site, sorted(Role(r).label for r in roles[site.id]), roles[site.id], waiting.get(site.id))
        for site in sites
    ]
    # Where this user may log an interaction: the home page's one-tap control goes straight
    # to the form when there is one such site, and offers the list when there are several.
    log_sites = sorted(
        (site for site in sites if roles[site.id] & GRANTS[Permission.MANAGE]),
        key=lambda site: site.name.casefold(),
    )
    return render(
        request,
        "agreements/home.html",
        {
            "entries": entries,
            "log_sites": log_sites,
            "is_admin": is_network_admin(request.user),
            "waiting_count": sum(len(items) for items in waiting.values()),
            "Role": Role,
        },
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


def _site_form_page(request: HttpRequest, site: Site, context: dict) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = SiteForm(data, instance=site)
    hours = HoursFormSet(data, initial=hours_initial(site), prefix="hours")
    if site.pk:  # an existing site is saved only if nobody changed it since the page loaded
        watch(form, *hours.forms)
    conflict: Conflict | None = None
    loaded = None
    if request.method == "POST":
        try:
            if site.pk:
                loaded = posted_version(request, site.edit_version)
                expect(loaded, site.edit_version)
            if form.is_valid() and hours.is_valid():
                saved = site_save(
                    site=form.save(commit=False), hours=hours_rows(hours), actor=request.user
                )
                messages.success(request, gettext("%(name)s was saved.") % {"name": saved.name})
                return redirect("agreements:site_overview", slug=saved.slug)
        except (StalePage, EditConflict):
            conflict = _refused(form, hours, site.pk, loaded)
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "agreements/site_form.html",
        {
            **context,
            "form": form,
            "hours": hours,
            "conflict": conflict,
            "version": conflict.version if conflict else site.edit_version,
        },
        status=(conflict.status if conflict else None)
        or (422 if request.method == "POST" else 200),
    )


def _refused(form: SiteForm, hours: Any, pk: int, loaded: int | None) -> Conflict:
    """The site's fields and each day's hours (audited together as "hours"), then and now."""
    now = Site.objects.get(pk=pk)
    days = dict(WEEKDAYS)
    fresh_hours = HoursFormSet(initial=hours_initial(now), prefix="hours").forms
    pairs = [(form, SiteForm(instance=now), "")] + [
        (posted, fresh, str(days[day])) for day, (posted, fresh)
        in enumerate(zip(hours.forms, fresh_hours, strict=True))
    ]  # fmt: skip
    return explain(
        noun=gettext("site"),
        now=now,
        loaded=loaded,
        pairs=pairs,
        covered=["hours"],
        audit_names={"opens": "hours", "closes": "hours"},
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
