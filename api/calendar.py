"""`GET /api/v1/sites/{slug}/calendar.ics`: a site's check-ins as an iCalendar file.

An operation of the API like the others: Bearer token or session, the rate limit, and
JSON refusals (anonymous 401, out of scope 404, a role without the calendar 403), never
a redirect to the sign-in page. The answer is `text/calendar`, declared as such in the
OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Router

from agreements import audit
from agreements.access import Permission, site_access
from agreements.audit import Action
from api.file_answers import file_answer
from api.schemas import Error, ValidationErrors, caller
from liaisons.feeds import calendar_response, site_calendar

router = Router(tags=["calendars"])

NO_CALENDAR = "Your role on this site does not include its calendar."

# As every route of the API declares (see sites.ERRORS).
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: ValidationErrors, 429: Error}


@router.get(
    "/sites/{slug}/calendar.ics",
    response={200: None, **ERRORS},
    url_name="site_calendar",
    summary="A site's check-ins as an iCalendar file",
    description="For the site's managers, admins and liaisons; researchers have no calendar.",
    openapi_extra=file_answer(
        "text/calendar", "The site's check-ins (RFC 5545), as an attachment."
    ),
)
def site_calendar_ics(request: HttpRequest, slug: str) -> HttpResponse:
    access = site_access(caller(request), slug, Permission.VIEW_PROFILE)
    if not access.can(Permission.VIEW_CALENDAR):  # researchers read scores, not schedules
        raise PermissionDenied(NO_CALENDAR)
    site = access.site
    body = site_calendar(site)
    audit.record(Action.DOWNLOAD, actor=caller(request), site=site,
                 detail="site calendar feed through the API")  # fmt: skip
    return calendar_response(body, f"{site.slug}-checkins.ics")
