"""Research exports under `/api/v1/exports/`: aggregated, suppressed counts for every
site the caller may see with scores (researchers: the consenting sites; managers: their
sites; admins: all). Never a narrative, never a single interaction.

Operations of the API like the others (Bearer token or session, rate limit, English,
JSON refusals: anonymous 401, a role without scores 403, a bad query string 422 naming
the parameter in `loc`); the answer is `text/csv`, declared as such in the OpenAPI
document. The dashboard links to the same URLs, so a browser session works too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from agreements import audit
from agreements.access import Permission, visible_sites
from agreements.audit import Action
from agreements.models import Site
from agreements.periods import Month, parse_year
from agreements.research_release import releases
from api.file_answers import file_answer
from api.schemas import BadQuery, Error, ValidationErrors, caller
from reports import exports, transparency
from reports.csv_files import csv_response, csv_text

router = Router(tags=["exports"])

NO_SCORES = "Your role does not include research exports."

ERRORS: dict[int, Any] = {401: Error, 403: Error, 422: ValidationErrors, 429: Error}


def _csv_answer(description: str) -> dict[str, Any]:
    return file_answer("text/csv", description)


def _research_sites(request: HttpRequest) -> list[Site]:
    """The caller's sites with scores, sorted by slug, or 403."""
    user = caller(request)
    sites = sorted(visible_sites(user, Permission.VIEW_SCORES), key=lambda s: s.slug)
    # A liaison sees sites but no scores: 403. Someone with no site at all (a
    # researcher before any site consents) gets an empty file, as the dashboard
    # shows them an empty page.
    if not sites and visible_sites(user).exists():
        raise PermissionDenied(NO_SCORES)
    return sites


def _month(name: str, text: str | None) -> Month | None:
    # An empty parameter (`?from=`, as a form sends it) means "not given".
    if not text:
        return None
    try:
        return Month.parse(text)
    except ValueError as error:
        raise BadQuery(name, str(error)) from None


def _utc_month() -> Month:
    return Month.of(timezone.now().date())


class MonthsQuery(Schema):
    # `from` is a Python keyword: the field has another name and the parameter its alias.
    first: str | None = Field(
        None,
        alias="from",
        description="First month, YYYY-MM; default 23 months before `to`.",
        examples=["2025-01"],
    )
    to: str | None = Field(
        None,
        description="Last month, YYYY-MM; default the last complete one.",
        examples=["2025-12"],
    )


class YearQuery(Schema):
    year: str | None = Field(
        None, description="YYYY, a year that has ended; default last year.", examples=["2025"]
    )


@router.get(
    "/exports/interactions.csv",
    response={200: None, **ERRORS},
    url_name="interactions_csv",
    summary="Monthly interaction counts by site and category, suppressed",
    openapi_extra=_csv_answer("`interactions-monthly.csv`, as an attachment."),
)
def interactions_csv(request: HttpRequest, query: Query[MonthsQuery]) -> HttpResponse:
    """`GET /api/v1/exports/interactions.csv?from=YYYY-MM&to=YYYY-MM`."""
    sites = _research_sites(request)
    chosen_from, chosen_to = _month("from", query.first), _month("to", query.to)
    default = exports.default_range(sites, _utc_month())
    last = chosen_to or default.last
    # Without `from`, 24 months ending at `to`; without `to`, the default end.
    first = chosen_from or last.shift(-(exports.DEFAULT_MONTHS - 1))
    if first > last:
        raise BadQuery("from", f"{first} is later than `to` ({last}).")
    months = exports.MonthRange(first, last)
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    rows = exports.research_rows(sites, months, threshold)
    _audit(request, sites, f"research CSV of monthly interaction counts, {months}, <{threshold}")
    return csv_response(csv_text(exports.RESEARCH_HEADER, rows), exports.RESEARCH_FILENAME)


@router.get(
    "/exports/transparency.csv",
    response={200: None, **ERRORS},
    url_name="transparency_csv",
    summary="Police requests for client information per site and quarter, suppressed",
    openapi_extra=_csv_answer("`transparency-YYYY.csv`, as an attachment."),
)
def transparency_csv(request: HttpRequest, query: Query[YearQuery]) -> HttpResponse:
    """`GET /api/v1/exports/transparency.csv?year=YYYY`: one table per site, the
    figures of its research release for the year (`agreements.research_release`), as the research
    PDF prints them.

    Only years that have ended at every site in the file: totals over a year still
    growing, downloaded quarter after quarter, would differ by exactly the newest
    quarter and undo its suppression.
    """
    sites = _research_sites(request)
    latest = min((site.today().year for site in sites), default=timezone.now().year) - 1
    try:
        year = parse_year(query.year) if query.year else latest
    except ValueError as error:
        raise BadQuery("year", str(error)) from None
    if year > latest:
        raise BadQuery("year", f"{year} has not ended yet; choose {latest} or earlier.")
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    lines: list[list[str]] = []
    for site_year in releases(sites, [year], threshold):
        lines += transparency.research_csv_rows(site_year)
    _audit(request, sites, f"research CSV of requests for information, {year}, <{threshold}")
    text_out = csv_text(transparency.RESEARCH_HEADER, lines)
    return csv_response(text_out, f"transparency-{year}.csv")


def _audit(request: HttpRequest, sites: list[Site], detail: str) -> None:
    # One entry per download, not one per site, so a download costs one write however
    # many sites it covers; an export of a single site names that site, so it shows in
    # the site's own log.
    site = sites[0] if len(sites) == 1 else None
    plural = "" if len(sites) == 1 else "s"
    detail = f"{detail}, {len(sites)} site{plural}"
    audit.record(Action.EXPORT, actor=caller(request), site=site, detail=detail)
