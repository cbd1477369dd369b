"""Sites, their scores, the protocol in force and report PDFs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from agreements import audit
from agreements.access import EDITION_PERMISSION, Permission, site_access, visible_sites
from agreements.audit import Action
from agreements.dates import EARLIEST
from agreements.protocol_rules import shown_status
from agreements.selectors import protocol_in_force
from api.file_answers import file_answer
from api.schemas import (
    MAX_LIMIT,
    Error,
    Pages,
    ValidationErrors,
    caller,
)
from api.score_schema import ScoreOut
from scoring.cache import score_site
from scoring.readings import site_views

router = Router()


class HoursOut(Schema):
    """Opening hours as in the bundle format: local "HH:MM" (0 is Monday)."""

    weekday: int = Field(..., ge=0, le=6)
    opens: str = Field(..., pattern=r"^\d{2}:\d{2}$", examples=["09:00"])
    closes: str = Field(..., pattern=r"^\d{2}:\d{2}$", examples=["21:00"])

    # JSON Schema's "time" format wants an offset, which local opening hours have not.
    @staticmethod
    def resolve_opens(obj: Any) -> str:
        return f"{obj.opens:%H:%M}"

    @staticmethod
    def resolve_closes(obj: Any) -> str:
        return f"{obj.closes:%H:%M}"


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
    community_oversight: bool | None = Field(
        None,
        description="Whether a peer oversight body may read the site's protocol and "
        "research figures, comment on consultations and file peer reports (SPEC §1). "
        "For the site's managers and admins; null for everyone else.",
    )


class ClauseOut(Schema):
    topic: str
    text: str


class ProtocolOut(Schema):
    version: int
    status: str = Field(
        ..., description="As stored: draft, negotiating, signed or ended (SPEC §3)."
    )
    display_status: str = Field(
        ...,
        description=(
            "Where the version stands today: in_force (also when a signed successor will "
            "end it on ended_on), upcoming, ended, draft or negotiating."
        ),
    )
    display_text: str = Field(
        ..., description="display_status in words, e.g. 'in force until 2027-02-01'."
    )
    effective_from: date | None
    review_by: date | None
    signed_on: date | None
    ended_on: date | None
    clauses: list[ClauseOut]


# Any route may answer these: no or a revoked token (401), a bad parameter (422), too
# many requests (429, with Retry-After); a site's routes also 404 (out of scope).
ERRORS: dict[int, Any] = {401: Error, 422: ValidationErrors, 429: Error}


@router.get(
    "/sites",
    response={200: list[SiteOut], **ERRORS},
    tags=["sites"],
    summary="The sites you may see",
)
@paginate(Pages, max_limit=MAX_LIMIT)
def list_sites(request: HttpRequest) -> object:
    return visible_sites(caller(request)).order_by("name")


@router.get(
    "/sites/{slug}",
    response={200: SiteDetailOut, 404: Error, **ERRORS},
    tags=["sites"],
    summary="A site's public profile and operating hours",
)
def site_detail(request: HttpRequest, slug: str) -> object:
    access = site_access(caller(request), slug, Permission.VIEW_PROFILE)
    site = access.site
    return {
        **{f: getattr(site, f) for f in SiteOut.model_fields},
        "address": site.address,
        "operating_hours": list(site.hours.all()),
        "community_oversight": site.community_oversight if access.can_manage else None,
    }


class AsOf(Schema):
    as_of: date | None = Field(None, description="YYYY-MM-DD; default today at the site.")


@router.get(
    "/sites/{slug}/score",
    response={200: ScoreOut, 403: Error, 404: Error, **ERRORS},
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
    if access.can(Permission.MANAGE):
        return score_site(access.site, day).as_json()
    # As on the scorecard: complete months in the site's time zone only, no count from 1
    # to T−1 in the evidence, and every figure that would pin one as {"min", "max"}.
    card = score_site(access.site, access.score_day(day))
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    return site_views(access.site, [card], exact=False, threshold=threshold)[0].as_json()


@router.get(
    "/sites/{slug}/protocol",
    response={200: ProtocolOut, 403: Error, 404: Error, **ERRORS},
    tags=["protocols"],
    summary="The protocol version in force, with its clauses",
)
def protocol(request: HttpRequest, slug: str) -> object:
    access = site_access(caller(request), slug, Permission.VIEW_PROTOCOL)
    found = protocol_in_force(access.site, access.site.today())
    if found is None:
        return 404, {"detail": "No protocol is in force at this site today."}
    shown = shown_status(found, access.site.today())
    return {
        "version": found.version, "status": found.status, "effective_from": found.effective_from,
        "display_status": shown.kind, "display_text": shown.english,
        "review_by": found.review_by, "signed_on": found.signed_on, "ended_on": found.ended_on,
        "clauses": [{"topic": c.topic, "text": c.text} for c in found.clauses.all()],
    }  # fmt: skip


class EditionQuery(Schema):
    edition: str = Field(..., pattern="^(manager|liaison|research)$")


@router.get(
    "/sites/{slug}/report.pdf",
    response={200: None, 403: Error, 404: Error, **ERRORS},
    tags=["reports"],
    summary="A PDF report in the editions your role may have",
    openapi_extra=file_answer("application/pdf", "The PDF, as an attachment.", binary=True),
)
def report_pdf(request: HttpRequest, slug: str, query: Query[EditionQuery]) -> HttpResponse:
    from reports.editions import build_report

    access = site_access(caller(request), slug, Permission.VIEW_PROFILE)
    if not access.can(EDITION_PERMISSION[query.edition]):
        raise PermissionDenied(f"Your role does not include the {query.edition} edition.")
    pdf = build_report(access.site, query.edition, by=caller(request).get_username())
    audit.record(Action.DOWNLOAD, actor=caller(request), site=access.site,
                 detail=f"{query.edition} edition PDF (API)")  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{query.edition}.pdf"'
    return response
