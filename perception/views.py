"""The self-assessment pages: the site's rounds, opening and closing a round (managers),
and one round's page, where a manager or a liaison answers and then reads the answers
the independence rule lets them read (perception/independence.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from agreements.access import Permission, SiteAccess
from agreements.views.base import apply_errors, site_context, site_view
from perception import services
from perception.forms import AnswerForm, RoundOpenForm
from perception.independence import respondent_side
from perception.instrument import SCALE, Statement, by_factor
from perception.models import SelfAssessmentRound
from perception.readings import RoundView, round_views
from perception.selectors import site_rounds


def _views(request: HttpRequest, access: SiteAccess) -> list[RoundView]:
    return round_views(
        site_rounds(access.site),
        viewer_id=request.user.pk,
        viewer_side=respondent_side(access.roles),
        today=access.site.today(),
    )


@site_view(Permission.VIEW_SHARED)
def rounds(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    views = _views(request, access)
    current = next((v for v in views if not v.closed), None)
    form = None
    if access.can_manage and current is None:
        form = RoundOpenForm(today=access.site.today())
    return render(
        request,
        "perception/rounds.html",
        site_context(
            access, rounds=views, current=current, form=form, side=respondent_side(access.roles)
        ),
    )


@site_view(Permission.MANAGE)
@require_POST
def round_open(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    form = RoundOpenForm(request.POST, today=access.site.today())
    if form.is_valid():
        try:
            services.round_open(site=access.site, closes_on=form.cleaned_data["closes_on"],
                                actor=request.user)  # fmt: skip
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("The round is open: each side can now answer."))
            return redirect("perception:rounds", slug=access.site.slug)
    views = _views(request, access)
    return render(
        request,
        "perception/rounds.html",
        site_context(
            access,
            rounds=views,
            current=next((v for v in views if not v.closed), None),
            form=form,
            side=respondent_side(access.roles),
        ),
        status=422,
    )


def _round(views: list[RoundView], pk: int) -> RoundView:
    found = next((v for v in views if v.round.id == pk), None)
    if found is None:  # another site's round, or none: the same answer
        raise Http404("No such round.")
    return found


# (side, rating, comment, the reader's own) for one statement.
Given = tuple[str, int, str, bool]


def _answers_by_statement(view: RoundView) -> list[tuple[str, list[tuple[Statement, list[Given]]]]]:
    """Per factor, each statement with the answers to it the reader may see."""
    grouped = []
    for factor, statements in by_factor(view.round.instrument).items():
        rows: list[tuple[Statement, list[Given]]] = []
        for statement in statements:
            given = [
                (response.side, rated.rating, rated.comment, response is view.mine)
                for response in view.responses
                for rated in response.ratings
                if rated.statement == statement.key
            ]
            rows.append((statement, given))
        grouped.append((factor, rows))
    return grouped


@site_view(Permission.VIEW_SHARED)
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    view = _round(_views(request, access), pk)
    form = None
    status = 200
    if view.can_answer:
        form = AnswerForm(request.POST or None, instrument=view.round.instrument)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.response_submit(
                        round_=SelfAssessmentRound.objects.select_related("site").get(pk=pk),
                        actor=request.user,
                        answers=form.answers(),
                        pii_confirmed=form.confirmed,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, gettext("Thank you: your answers were saved."))
                    return redirect("perception:round_detail", slug=access.site.slug, pk=pk)
            status = 422
    elif request.method == "POST":
        # A reader who answers for neither side; or a round closed or answered already.
        if respondent_side(access.roles) is None:
            raise PermissionDenied(services.NOT_A_RESPONDENT)
        messages.error(request, services.ANSWERED_ALREADY if view.mine else services.ROUND_CLOSED)
        return redirect("perception:round_detail", slug=access.site.slug, pk=pk)
    return render(
        request,
        "perception/round_detail.html",
        site_context(
            access,
            view=view,
            form=form,
            scale=SCALE,
            answers=_answers_by_statement(view),
            side=respondent_side(access.roles),
        ),
        status=status,
    )


@site_view(Permission.MANAGE)
@require_POST
def round_close(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    view = _round(_views(request, access), pk)
    try:
        services.round_close(round_=SelfAssessmentRound.objects.get(pk=view.round.id),
                             actor=request.user)  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("The round is closed: both sides now see all answers."))
    return redirect("perception:round_detail", slug=access.site.slug, pk=pk)
