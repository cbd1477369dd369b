"""Sites, their scores, the protocol in force and report PDFs."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from agreements import audit
from agreements.access import Permission, site_access, visible_sites
from agreements.audit import Action
from agreements.dates import EARLIEST
from agreements.scorecards import score_site
from agreements.selectors import protocol_in_force
from agreements.views.reports import EDITION_PERMISSION
from agreements.views.scores import month_end

router = Router()


def caller(request: HttpRequest) -> Any:
    """The user the API authenticated (token or session)."""
    return request.auth  # type: ignore[attr-defined]


class HoursOut(Schema):
    weekday: int
    opens: time
    closes: time


class SiteOut(Schema):
    slug: str
    name: str
    organisation: str
    city: str
    region: str
    country: str
    timezone: str
    status: str
    opened_on: date | None
    buffer_metres: int
    research_consent: bool


class SiteDetailOut(SiteOut):
    address: str
    operating_hours: list[HoursOut]


class ClauseOut(Schema):
    topic: str
    text: str


class ProtocolOut(Schema):
    version: int
    status: str
    effective_from: date | None
    review_by: date | None
    signed_on: date | None
    clauses: list[ClauseOut]


class Error(Schema):
    detail: str


@router.get("/sites", response=list[SiteOut], tags=["sites"], summary="The sites you may see")
@paginate(LimitOffsetPagination)
def list_sites(request: HttpRequest) -> object:
    return visible_sites(caller(request)).order_by("name")


@router.get("/sites/{slug}", response={200: SiteDetailOut, 404: Error}, tags=["sites"])
def site_detail(request: HttpRequest, slug: str) -> object:
    site = site_access(caller(request), slug, Permission.VIEW_PROFILE).site
    return {
        **{f: getattr(site, f) for f in SiteOut.model_fields},
        "address": site.address,
        "operating_hours": list(site.hours.all()),
    }


class AsOf(Schema):
    as_of: date | None = Field(None, description="YYYY-MM-DD; default today at the site.")


@router.get(
    "/sites/{slug}/score",
    response={200: dict, 403: Error, 404: Error, 422: dict},
    tags=["scores"],
    summary="The score JSON of SPEC §7",
)
def site_score(request: HttpRequest, slug: str, query: Query[AsOf]) -> object:
    access = site_access(caller(request), slug, Permission.VIEW_SCORES)
    today = access.site.today()
    day = query.as_of or today
    if not EARLIEST <= day <= today:
        problem = f"Choose a day from {EARLIEST} to today ({today})."
        return 422, {"detail": [{"loc": ["query", "as_of"], "msg": problem, "type": "value_error"}]}
    if not access.can(Permission.MANAGE):
        day = month_end(day, today)  # as on the scorecard: researchers read month ends
    return score_site(access.site, day).as_json()


@router.get(
    "/sites/{slug}/protocol",
    response={200: ProtocolOut, 403: Error, 404: Error},
    tags=["protocols"],
    summary="The protocol version in force, with its clauses",
)
def protocol(request: HttpRequest, slug: str) -> object:
    access = site_access(caller(request), slug, Permission.VIEW_SHARED)
    found = protocol_in_force(access.site, access.site.today())
    if found is None:
        return 404, {"detail": "No protocol is in force at this site today."}
    return {
        "version": found.version, "status": found.status, "effective_from": found.effective_from,
        "review_by": found.review_by, "signed_on": found.signed_on,
        "clauses": [{"topic": c.topic, "text": c.text} for c in found.clauses.all()],
    }  # fmt: skip


class EditionQuery(Schema):
    edition: str = Field(..., pattern="^(manager|liaison|research)$")


@router.get(
    "/sites/{slug}/report.pdf",
    response={200: bytes, 403: Error, 404: Error},
    tags=["reports"],
    summary="A PDF report in the editions your role may have",
)
def report_pdf(request: HttpRequest, slug: str, query: Query[EditionQuery]) -> HttpResponse:
    from agreements.reports import build_report

    access = site_access(caller(request), slug, Permission.VIEW_PROFILE)
    if not access.can(EDITION_PERMISSION[query.edition]):
        raise PermissionDenied(f"Your role does not include the {query.edition} edition.")
    pdf = build_report(access.site, query.edition, by=caller(request).get_username())
    audit.record(Action.DOWNLOAD, actor=caller(request), site=access.site,
                 detail=f"{query.edition} edition PDF (API)")  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{query.edition}.pdf"'
    return response
