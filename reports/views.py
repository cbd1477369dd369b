"""PDF report downloads: each role may have only its editions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.views.decorators.http import require_http_methods

from agreements import audit
from agreements.access import EDITION_PERMISSION, Permission, SiteAccess, visible_sites
from agreements.audit import Action
from agreements.forms import AsOfForm
from agreements.models import ReportJob
from agreements.views.base import site_context, site_view
from reports.editions import build_report
from reports.network import network_job_create

# An edition's name inside a sentence: the same words as the URL in English.
EDITION_WORDS = {
    "manager": pgettext_lazy("report edition, in a sentence", "manager"),
    "liaison": pgettext_lazy("report edition, in a sentence", "liaison"),
    "research": pgettext_lazy("report edition, in a sentence", "research"),
}


@site_view(Permission.VIEW_PROFILE)
def site_report(request: HttpRequest, access: SiteAccess, edition: str) -> HttpResponse:
    if edition not in EDITION_PERMISSION:
        raise Http404("No such edition.")
    if not access.can(EDITION_PERMISSION[edition]):
        raise PermissionDenied(
            gettext("Your role does not include the %(edition)s edition.")
            % {"edition": EDITION_WORDS[edition]}
        )
    # The day chosen on the scorecard page (its report links carry it); those who do not
    # manage the site read the end of a complete month, as on the scorecard.
    form = AsOfForm(request.GET or None, today=access.site.today())
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "reports/bad_day.html",
            site_context(access, errors=form.errors["as_of"], edition=edition),
            status=400,
        )
    day = access.score_day(form.cleaned_data["as_of"] if form.is_bound else access.site.today())
    pdf = build_report(access.site, edition, as_of=day, by=request.user.get_username())
    audit.record(Action.DOWNLOAD, actor=request.user, site=access.site,
                 detail=f"{edition} edition PDF")  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{access.site.slug}-{edition}-{day:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the network report, made in the background ---------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def network_report(request: HttpRequest) -> HttpResponse:
    if not visible_sites(request.user, Permission.VIEW_SCORES).exists():
        raise PermissionDenied(gettext("Your role does not include scores."))
    if request.method == "POST":
        assert isinstance(request.user, User)  # login_required
        # The day asked for; at the sites the requester does not manage, the report reads
        # the newest month complete in each site's own time zone (reports.network._days).
        as_of = timezone.localdate()
        job = network_job_create(user=request.user, as_of=as_of)
        return redirect("agreements:report_job", pk=job.pk)
    jobs = ReportJob.objects.filter(requested_by_id=request.user.pk or 0)[:10]
    return render(request, "agreements/network_report.html", {"jobs": jobs})


def _own_job(request: HttpRequest, pk: int) -> ReportJob:
    job = ReportJob.objects.filter(pk=pk, requested_by_id=request.user.pk or 0).first()
    if job is None:
        raise Http404("No such report.")
    return job


@login_required
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    return render(request, "agreements/report_job.html", {"job": job})


@login_required
def report_job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _own_job(request, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404("This report is not ready.")
    try:
        pdf = job.file.open("rb")
    except FileNotFoundError:  # missing from storage: say so, with no trace of it
        raise Http404("This report's file is missing; request it again.") from None
    audit.record(Action.DOWNLOAD, actor=request.user, obj=job, detail="network report PDF")
    return FileResponse(pdf, as_attachment=True,
                        filename=f"network-report-{job.as_of:%Y-%m-%d}.pdf",
                        content_type="application/pdf")  # fmt: skip
