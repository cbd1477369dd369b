"""A site's own exports, for its managers and admins: the exports page, the full
interaction log as CSV, and the transparency counts of requests for information."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from agreements import audit
from agreements.access import Permission, SiteAccess
from agreements.audit import Action
from agreements.views.base import site_context, site_view
from reports import exports, transparency
from reports.csv_files import csv_response, csv_text


@site_view(Permission.MANAGE)
@require_safe
def site_exports(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    return render(request, "agreements/exports.html", site_context(access, exports_page=True))


@site_view(Permission.MANAGE)
@require_safe
def site_interactions_csv(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    site = access.site
    records = exports.interaction_log(site)
    text = csv_text(exports.INTERACTION_LOG_HEADER, exports.interaction_log_rows(site, records))
    # Narratives leave the app in this file, so the audit names it plainly.
    detail = f"interaction log CSV with narratives, {len(records)} interactions"
    audit.record(Action.EXPORT, actor=request.user, site=site, detail=detail)
    return csv_response(text, exports.interaction_log_filename(site))


@site_view(Permission.MANAGE)
@require_safe
def site_transparency_csv(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    site = access.site
    rows = transparency.transparency_rows(site)
    text = csv_text(transparency.MANAGER_HEADER, transparency.manager_csv_rows(rows))
    detail = f"transparency CSV, {rows[0].quarter} to {rows[-1].quarter}"
    audit.record(Action.EXPORT, actor=request.user, site=site, detail=detail)
    return csv_response(text, f"{site.slug}-transparency.csv")
