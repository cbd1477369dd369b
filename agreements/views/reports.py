"""PDF report downloads: each role may have only its editions."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from agreements import audit
from agreements.access import Permission, SiteAccess
from agreements.audit import Action
from agreements.reports import build_report
from agreements.views.base import site_view

# Which permission each edition needs: the research edition for anyone who may read scores,
# the liaison edition for those who see what police see, the manager edition for managers.
EDITION_PERMISSION = {
    "manager": Permission.MANAGE,
    "liaison": Permission.VIEW_SHARED,
    "research": Permission.VIEW_SCORES,
}


def editions_for(access: SiteAccess) -> list[str]:
    return [edition for edition, need in EDITION_PERMISSION.items() if access.can(need)]


@site_view(Permission.VIEW_PROFILE)
def site_report(request: HttpRequest, access: SiteAccess, edition: str) -> HttpResponse:
    if edition not in EDITION_PERMISSION:
        raise Http404("No such edition.")
    if not access.can(EDITION_PERMISSION[edition]):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(f"Your role does not include the {edition} edition.")
    pdf = build_report(access.site, edition, by=request.user.get_username())
    audit.record(Action.DOWNLOAD, actor=request.user, site=access.site,
                 detail=f"{edition} edition PDF")  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{access.site.slug}-{edition}-{access.site.today():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
