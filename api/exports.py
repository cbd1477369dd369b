"""Research exports under `/api/v1/exports/`: aggregated, suppressed counts for every
site the caller may see with scores (researchers: the consenting sites; managers: their
sites; admins: all). Never a narrative, never a single interaction.

Like every API answer (see liaisons/calendar_api.py), these never redirect to the
sign-in page: anonymous → 401, a role without scores → 403, bad query string → 422, each
with a short JSON body naming what was wrong. The dashboard links to the same URLs, so a
browser session works too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.tokens import bearer_or_session
from agreements import audit
from agreements.access import Permission, visible_sites
from agreements.audit import Action
from agreements.models import Site
from agreements.periods import Month, Quarter, parse_year
from reports import exports, transparency
from reports.csv_files import csv_response, csv_text

NO_SCORES = "Your role does not include research exports."

SitesView = Callable[[HttpRequest, list[Site]], HttpResponse]


@dataclass(frozen=True)
class BadParameter(Exception):
    field: str
    message: str


def _error(status: int, detail: str, **extra: object) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


def research_export(view: SitesView) -> Callable[[HttpRequest], HttpResponse]:
    """Resolve the caller's sites with scores (sorted by slug) or answer in JSON."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            response = _error(401, "Sign in, or send an API token, to download this export.")
            response["WWW-Authenticate"] = 'Bearer realm="hr_police"'
            return response
        sites = sorted(visible_sites(user, Permission.VIEW_SCORES), key=lambda s: s.slug)
        # A liaison sees sites but no scores: 403. Someone with no site at all (a
        # researcher before any site consents) gets an empty file, as the dashboard
        # shows them an empty page.
        if not sites and visible_sites(user).exists():
            return _error(403, NO_SCORES)
        try:
            return view(request, sites)
        except BadParameter as bad:
            return _error(422, f"{bad.field}: {bad.message}", errors={bad.field: bad.message})

    return wrapper


def _param(request: HttpRequest, name: str) -> str | None:
    value = request.GET.get(name)
    return value if value not in (None, "") else None


def _month(request: HttpRequest, name: str) -> Month | None:
    text = _param(request, name)
    try:
        return Month.parse(text) if text is not None else None
    except ValueError as error:
        raise BadParameter(name, str(error)) from None


def _utc_month() -> Month:
    return Month.of(timezone.now().date())


@bearer_or_session
@research_export
def interactions_csv(request: HttpRequest, sites: list[Site]) -> HttpResponse:
    """`GET /api/v1/exports/interactions.csv?from=YYYY-MM&to=YYYY-MM`."""
    chosen_from, chosen_to = _month(request, "from"), _month(request, "to")
    default = exports.default_range(sites, _utc_month())
    last = chosen_to or default.last
    # Without `from`, 24 months ending at `to`; without `to`, the default end.
    first = chosen_from or last.shift(-(exports.DEFAULT_MONTHS - 1))
    if first > last:
        raise BadParameter("from", f"{first} is later than `to` ({last}).")
    months = exports.MonthRange(first, last)
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    counts = exports.monthly_category_counts(sites, months)
    rows = exports.research_rows(sites, counts, threshold)
    _audit(request, sites, f"research CSV of monthly interaction counts, {months}, <{threshold}")
    return csv_response(csv_text(exports.RESEARCH_HEADER, rows), exports.RESEARCH_FILENAME)


@bearer_or_session
@research_export
def transparency_csv(request: HttpRequest, sites: list[Site]) -> HttpResponse:
    """`GET /api/v1/exports/transparency.csv?year=YYYY`: one suppressed table per site.

    Only years that have ended at every site in the file: totals over a year still
    growing, downloaded quarter after quarter, would differ by exactly the newest
    quarter and undo its suppression.
    """
    latest = min((site.today().year for site in sites), default=timezone.now().year) - 1
    text = _param(request, "year")
    try:
        year = parse_year(text) if text is not None else latest
    except ValueError as error:
        raise BadParameter("year", str(error)) from None
    if year > latest:
        raise BadParameter("year", f"{year} has not ended yet; choose {latest} or earlier.")
    first, last = Quarter(year, 1), Quarter(year, 4)
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    by_site = transparency.transparency_by_site(sites, first, last)
    lines: list[list[str]] = []
    for site in sites:
        rows = by_site[site.id]
        table = transparency.suppressed_transparency(rows, threshold)
        lines += transparency.research_csv_rows(site.slug, table, [r.quarter for r in rows])
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
    audit.record(Action.EXPORT, actor=request.user, site=site, detail=detail)
