"""`GET /api/v1/sites/{slug}/calendar.ics`: a site's check-ins for a signed-in caller.

API answers never redirect to the sign-in page: a program asked for a calendar, so an
anonymous call gets 401, out of scope 404 and a role that may not 403, each with a short
JSON body, as SPEC §7 asks of the whole API. Authentication is the browser session for
now; API tokens will plug in here without changing the answers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from accounts.tokens import bearer_or_session
from agreements import audit
from agreements.access import Permission, SiteAccess, site_access
from agreements.audit import Action
from agreements.choices import Role
from liaisons.feeds import calendar_response, site_calendar

# Researchers read scores, not schedules; everyone else who can see the site may.
CALENDAR_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.LIAISON})


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _resolve(request: HttpRequest, slug: str) -> SiteAccess:
    access = site_access(request.user, slug, Permission.VIEW_PROFILE)
    if not access.roles & CALENDAR_ROLES:
        raise PermissionDenied("Your role on this site does not include its calendar.")
    return access


@bearer_or_session
@require_safe
def site_calendar_ics(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        response = _error(401, "Sign in to read this calendar.")
        # Required with a 401 (RFC 9110); Bearer is the scheme the API tokens will use.
        response["WWW-Authenticate"] = 'Bearer realm="hr_police"'
        return response
    try:
        access = _resolve(request, slug)
    except Http404:
        return _error(404, "No such site.")
    except PermissionDenied as denied:
        return _error(403, str(denied))
    site = access.site
    body = site_calendar(site)
    audit.record(Action.DOWNLOAD, actor=request.user, site=site,
                 detail="site calendar feed through the API")  # fmt: skip
    return calendar_response(body, f"{site.slug}-checkins.ics")
