"""The transparency report as a page: a site's police requests for information, per
quarter, by legal basis and disclosure, for a calendar year that has ended at the site.

Every figure is one of the research release (agreements.research_release), suppressed as
everything researchers and community bodies read: the same figures as the research PDF
and the transparency CSV, so nothing read here can be set against them. Managers read the
page too, to see what the site publishes; their exact counts are on the exports page.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.access import Permission, SiteAccess
from agreements.models import Site
from agreements.research_days import last_complete_month_end
from agreements.research_release import release
from agreements.views.base import site_context, site_view
from reports.research import request_table

# How far back the year menu reaches: the release of a year is computed on demand.
YEARS_SHOWN = 10


def published_years(site: Site) -> list[int]:
    """Calendar years that have ended at the site, newest first (none for a site that
    has not yet lived through a whole year's end)."""
    last = last_complete_month_end(site, timezone.now())
    newest = last.year if last.month == 12 else last.year - 1
    first = site.opened_on.year if site.opened_on else newest
    return list(range(newest, max(first, newest - YEARS_SHOWN + 1) - 1, -1))


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: object, years: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]


@site_view(Permission.VIEW_SCORES)
def site_transparency(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    site = access.site
    years = published_years(site)
    form = YearForm(request.GET or None, years=years)
    year = years[0] if years else None
    status = 200
    if form.is_bound:
        if form.is_valid():
            year = form.cleaned_data["year"]
        else:
            status = 400  # the page says which year it could not read, and shows the newest
    threshold = int(settings.HR_POLICE_SUPPRESSION_THRESHOLD)
    table = {}
    if year is not None:
        site_year = release(site, year, threshold)
        if site_year is not None and site_year.complete:
            table = request_table(site_year.release, year)
    return render(
        request,
        "reports/transparency.html",
        site_context(access, form=form, year=year, years=years, threshold=threshold, **table),
        status=status,
    )
