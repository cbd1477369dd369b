"""The pages of peer reports.

- The community body files a report (a phone-sized form); the answer redirects to the
  "filed" page, which shows the follow-up code once (Post/Redirect/Get: reloading it
  files nothing again). The code crosses the redirect in a short-lived signed cookie,
  limited to that page and deleted by it: never in the session, the database or a log.
- Anyone, signed in or not, types a code on /follow-up/ and reads the status in words,
  or "not found"; nothing else (no site, category, day). Too many tries from one
  address answer 429.
- The site's managers review a report (enter it into the log, or decline it) and move
  its follow-up status forward.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from agreements.access import Permission, SiteAccess
from agreements.audit import client_ip
from agreements.choices import Source
from agreements.models import Site
from agreements.views.base import apply_errors, site_context, site_view
from peer_reports.forms import (
    DeclineForm,
    EnterForm,
    FileForm,
    FollowUpForm,
    StatusForm,
    enter_initial,
)
from peer_reports.models import Decision, FollowUpStatus, PeerReport
from peer_reports.selectors import report_of
from peer_reports.services import (
    FollowUpRefused,
    follow_up_status,
    interaction_from,
    peer_report_file,
    peer_report_review,
    peer_report_set_status,
)

# What each status means, for whoever holds the code (no detail of the report).
MEANINGS = {
    FollowUpStatus.RECEIVED: translation.gettext_lazy(
        "The site has your report and will review it."
    ),
    FollowUpStatus.REVIEWED: translation.gettext_lazy(
        "The site's staff have reviewed your report."
    ),
    FollowUpStatus.RAISED_WITH_POLICE: translation.gettext_lazy(
        "The site raised what happened with the police liaison, without saying who reported it."
    ),
    FollowUpStatus.RESOLVED: translation.gettext_lazy("The site considers the matter resolved."),
}
OTHER_LANGUAGE = {"en-ca": "fr-ca", "fr-ca": "en-ca"}


@site_view(Permission.ACT_AS_COMMUNITY)
@require_http_methods(["GET", "POST"])
def file_report(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    form = FileForm(request.POST or None, instance=PeerReport(site=access.site), site=access.site)
    if request.method == "POST" and form.is_valid():
        try:
            _report, code = peer_report_file(
                report=form.instance, actor=request.user, pii_confirmed=form.confirmed
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            response = redirect("peer_reports:filed", slug=access.site.slug)
            response.set_signed_cookie(
                FILED_COOKIE, code, salt=_filed_salt(request, access.site),
                max_age=FILED_SECONDS, path=_filed_path(access.site),
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Strict",
            )  # fmt: skip
            add_never_cache_headers(response)
            return response
    invalid = request.method == "POST" and bool(form.errors)
    return render(request, "peer_reports/file.html", site_context(access, form=form),
                  status=422 if invalid else 200)  # fmt: skip


# The code crosses the redirect after filing in this cookie, for a few minutes at most.
FILED_COOKIE = "hr_police_peer_code"
FILED_SECONDS = 300


def _filed_path(site: Site) -> str:
    return reverse("peer_reports:filed", kwargs={"slug": site.slug})


def _filed_salt(request: HttpRequest, site: Site) -> str:
    # Signed for this account and this site: no other account on the device reads it.
    return f"peer_reports.filed:{site.pk}:{request.user.pk}"


@site_view(Permission.ACT_AS_COMMUNITY)
@require_GET
def filed(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    """The follow-up code, once: the cookie the filing left is read and deleted, so a
    reload (or the back button) shows that the code was shown, and files nothing."""
    code = request.get_signed_cookie(FILED_COOKIE, default=None,
                                     salt=_filed_salt(request, access.site),
                                     max_age=FILED_SECONDS)  # fmt: skip
    response = render(request, "peer_reports/filed.html", site_context(access, code=code))
    if FILED_COOKIE in request.COOKIES:
        response.delete_cookie(FILED_COOKIE, path=_filed_path(access.site), samesite="Strict")
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """The public look-up. Answers the same for an unknown and an expired code."""
    form = FollowUpForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = follow_up_status(code=form.cleaned_data["code"], address=client_ip(request))
        except FollowUpRefused as refused:
            response = render(request, "peer_reports/follow_up.html",
                              {"form": FollowUpForm(), "refused": True}, status=429)  # fmt: skip
            response["Retry-After"] = str(refused.retry_after)
            return _private(response)
        if found is None:
            # What was typed stays in the field, so that a typo can be corrected.
            context["not_found"] = True
        else:
            context["form"] = FollowUpForm()  # a code that works is not written back
            context["status"] = _in_both_languages(found)
    return _private(render(request, "peer_reports/follow_up.html", context, status=status))


def _in_both_languages(status: str) -> dict[str, str]:
    """The status's words in the page's language, and in the other one."""
    current = translation.get_language() or "en-ca"
    other = OTHER_LANGUAGE.get(current.lower(), "fr-ca")
    label = FollowUpStatus(status).label
    with translation.override(other):
        other_label, other_meaning = str(label), str(MEANINGS[FollowUpStatus(status)])
    return {
        "key": status,
        "label": str(label),
        "meaning": str(MEANINGS[FollowUpStatus(status)]),
        "other_language": other,
        "other_label": other_label,
        "other_meaning": other_meaning,
    }


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    # Not "no-referrer": browsers then send `Origin: null` with the form, which Django's
    # CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    report = report_of(access, pk)
    site = access.site
    enter_form = EnterForm(initial=enter_initial(report), site=site,
                           instance=interaction_from(report))  # fmt: skip
    decline_form = DeclineForm(instance=report)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == Decision.ENTERED:
            enter_form = EnterForm(request.POST, site=site, instance=interaction_from(report))
            if enter_form.is_valid():
                try:
                    peer_report_review(report=report, decision=Decision.ENTERED,
                                       actor=request.user, interaction=enter_form.instance,
                                       pii_confirmed=enter_form.confirmed)  # fmt: skip
                except ValidationError as error:
                    apply_errors(enter_form, error)
                else:
                    messages.success(request, gettext(
                        "Entered into the interaction log; the follow-up code now shows "
                        "“reviewed”."))  # fmt: skip
                    return redirect("peer_reports:review", slug=site.slug, pk=report.pk)
        elif action == Decision.DECLINED:
            decline_form = DeclineForm(request.POST, instance=report)
            if decline_form.is_valid():
                try:
                    peer_report_review(report=report, decision=Decision.DECLINED,
                                       actor=request.user,
                                       reason=decline_form.cleaned_data["decline_reason"],
                                       pii_confirmed=decline_form.confirmed)  # fmt: skip
                except ValidationError as error:
                    apply_errors(decline_form, error)
                else:
                    messages.success(request, gettext(
                        "Declined; the reason is kept for the site. The follow-up code now "
                        "shows “reviewed”."))  # fmt: skip
                    return redirect("peer_reports:review", slug=site.slug, pk=report.pk)
        report.refresh_from_db()
    return _review_page(
        request, access, report, enter_form, decline_form, StatusForm(report=report)
    )


def _review_page(
    request: HttpRequest,
    access: SiteAccess,
    report: PeerReport,
    enter_form: EnterForm,
    decline_form: DeclineForm,
    status_form: StatusForm,
) -> HttpResponse:
    invalid = request.method == "POST" and bool(
        enter_form.errors or decline_form.errors or status_form.errors
    )
    return render(
        request,
        "peer_reports/review.html",
        site_context(
            access,
            report=report,
            peer_source=Source.PEER_REPORTED.label,
            enter_form=enter_form,
            decline_form=decline_form,
            status_form=status_form if status_form.fields["status"].choices else None,  # type: ignore[attr-defined]
            kind_slug="interactions",
        ),
        status=422 if invalid else 200,
    )


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def set_status(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    # Scope first (404, 403), then the method: as every POST-only page.
    report = report_of(access, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StatusForm(request.POST, report=report)
    if form.is_valid():
        try:
            peer_report_set_status(report=report, status=form.cleaned_data["status"],
                                   actor=request.user)  # fmt: skip
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("Follow-up status saved."))
            return redirect("peer_reports:review", slug=access.site.slug, pk=report.pk)
    return _review_page(request, access, report, EnterForm(site=access.site),
                        DeclineForm(instance=report), form)  # fmt: skip
