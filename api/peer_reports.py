"""API endpoints of the `peer_reports` app (SPEC §7).

`POST /sites/{slug}/peer-reports`: a community body files a report for its site and is
answered the follow-up code, once (`{"code": "…"}`); it is never stored. Scoping is
`agreements.access.site_access` with ACT_AS_COMMUNITY: out of scope 404, any other role
403, anonymous 401. The write goes through `peer_reports.services`, so the PII guard
(`pii_confirmed` for warnings), the hour rule, the audit entry and the managers' e-mail
apply as on the page.

`GET /follow-up/{code}` answers anyone, signed in or not (it opts out of the API's
authentication): `{"status": "…"}` and nothing else, 404 for an unknown or expired code
(the same answer), 429 past the hourly limit per address. These answers are built here,
marked as logged, so that Django's request log never writes the path, which holds the
code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from ninja import Router, Schema, Status
from pydantic import Field

from agreements.access import Permission, site_access
from agreements.audit import client_ip
from agreements.choices import Consent, DistanceBand, Impact
from api.records import WRITE_ERRORS, _local_moment, _refuse_unstorable
from api.schemas import Confirmable, Error, caller
from peer_reports.models import PEER_CATEGORIES, FollowUpStatus, PeerReport
from peer_reports.services import FollowUpRefused, follow_up_status, peer_report_file

router = Router(tags=["peer reports"])

NOT_FOUND = "Not found."
TOO_MANY = "Too many requests: slow down."


def _enum(values: list[Any], default: Any = ...) -> Any:
    return Field(default, json_schema_extra={"enum": values})


class PeerReportIn(Confirmable):
    occurred_at: datetime = Field(
        ...,
        description="Local date-time at the site, YYYY-MM-DDTHH:MM (or with an offset). "
        "Kept to the hour: minutes are dropped.",
    )
    category: str = _enum([value for value, _label in PEER_CATEGORIES])
    distance_band: str = _enum([*DistanceBand.values])
    officers_present: int = Field(1, json_schema_extra={"minimum": 0, "maximum": 200})
    plain_clothes: bool = False
    vehicle_present: bool = False
    impact: str = _enum([*Impact.values], Impact.NONE.value)
    narrative: str = Field(
        "",
        description="What police did. Never name or describe the reporter or anyone else.",
    )
    # Required, as on the form: only the reporter can say, so nothing is assumed for them.
    consent: str = Field(
        ...,
        json_schema_extra={"enum": [*Consent.values]},
        description="What the reporter agreed to (required: ask them): `site_only` (the "
        "site's staff only), `aggregate` (also counted in anonymous totals), `mediation` "
        "(may also be raised with police).",
    )


class CodeOut(Schema):
    code: str = Field(
        ...,
        description="The follow-up code for the reporter (five words). Shown once: the "
        "site keeps only its hash.",
    )


class FollowUpOut(Schema):
    status: str = Field(..., json_schema_extra={"enum": [*FollowUpStatus.values]})


@router.post(
    "/sites/{slug}/peer-reports",
    response={201: CodeOut, **WRITE_ERRORS},
    summary="File a peer report (the site's community body); answers the follow-up code, once",
)
def file_peer_report(request: HttpRequest, slug: str, payload: PeerReportIn) -> Status[Any]:
    """Validated by the model (PII guard, choices, not in the future) and audited; the
    site's managers are e-mailed a link to review it."""
    site = site_access(caller(request), slug, Permission.ACT_AS_COMMUNITY).site
    values = payload.model_dump()
    confirmed = values.pop("pii_confirmed")
    _refuse_unstorable(values)
    values["occurred_at"] = _local_moment(payload.occurred_at, site, "occurred_at")
    report = PeerReport(site=site, **values)
    with timezone.override(site.tz):
        _report, code = peer_report_file(report=report, actor=caller(request),
                                         pii_confirmed=confirmed)  # fmt: skip
    return Status(201, {"code": code})


@router.get(
    "/follow-up/{code}",
    auth=None,
    response={200: FollowUpOut, 404: Error, 429: Error},
    summary="The status of a peer report, for whoever holds its follow-up code (no sign-in)",
)
def follow_up(request: HttpRequest, code: str) -> JsonResponse:
    """`{"status": "received" | "reviewed" | "raised_with_police" | "resolved"}` and
    nothing else. Unknown and expired codes answer 404 alike; ten look-ups an hour per
    address (HR_POLICE_FOLLOW_UP_PER_HOUR), then 429 with Retry-After."""
    try:
        status = follow_up_status(code=code, address=client_ip(request))
    except FollowUpRefused as refused:
        response = _answer({"detail": TOO_MANY}, 429)
        response["Retry-After"] = str(refused.retry_after)
        return response
    if status is None:
        return _answer({"detail": NOT_FOUND}, 404)
    return _answer({"status": status}, 200)


def _answer(body: dict[str, str], status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    # Django's request log would write "Not Found: /api/v1/follow-up/<the code>".
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
