"""The consultation pages.

- The site's consultations (managers, admins, the community body): open ones first,
  closed ones kept readable.
- One consultation: the version's clauses beside the version then in force, the comments
  with their answers; the community body comments while it is open, managers answer each
  comment, extend the closing day or close it early.
- Opening a version for consultation, from the manager's version page (workspace).

Police and researchers are refused (403) on every page here; another site's users get 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from agreements.access import Permission, SiteAccess
from agreements.models import Protocol
from agreements.views.base import apply_errors, site_context, site_view
from consultations import rules, services
from consultations.forms import AnswerForm, CloseForm, CommentForm, ExtendForm, OpenForm
from consultations.models import Answer, Comment, Consultation
from consultations.selectors import (
    clauses_readable,
    comments_of,
    consultation_get,
    consultation_site,
    consultations_of,
    open_first,
    version_reading,
)

# The comment just posted or answered, and which: the page says so on that comment, where
# the redirect lands, rather than at the top of a long page (read once, as a message is).
SAID = "consultations_said"
POSTED, ANSWERED = "posted", "answered"


@login_required
def consultation_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = consultation_site(request.user, slug)
    with timezone.override(access.site.tz):
        today = access.site.today()
        rows = open_first(list(consultations_of(access.site)), access.site)
        return render(
            request,
            "consultations/list.html",
            site_context(
                access, consultations=rows, today=today, manager=access.can(Permission.MANAGE)
            ),
        )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The consultation; its comment form posts here (the community body)."""
    access = consultation_site(request.user, slug)
    with timezone.override(access.site.tz):
        consultation = consultation_get(access, pk)
        form = CommentForm(request.POST or None, instance=Comment(consultation=consultation))
        if request.method == "POST":
            if not access.can(Permission.ACT_AS_COMMUNITY):
                raise PermissionDenied(str(rules.COMMUNITY_ONLY))
            if form.is_valid():
                try:
                    comment = services.comment_add(
                        consultation=consultation,
                        author=request.user,
                        text=form.cleaned_data["text"],
                        pii_confirmed=form.confirmed,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    request.session[SAID] = [comment.pk, POSTED]
                    return redirect(_at_comment(slug, pk, comment.pk))
        return _render(request, access, consultation, comment_form=form)


def _at_comment(slug: str, pk: int, comment: int) -> str:
    url = reverse("consultations:detail", kwargs={"slug": slug, "pk": pk})
    return f"{url}#comment-{comment}"


def _render(
    request: HttpRequest,
    access: SiteAccess,
    consultation: Consultation,
    *,
    comment_form: CommentForm | None = None,
    answer_form: tuple[int, AnswerForm] | None = None,
    extend_form: ExtendForm | None = None,
    close_form: CloseForm | None = None,
) -> HttpResponse:
    manager = access.can(Permission.MANAGE)
    community = access.can(Permission.ACT_AS_COMMUNITY)
    today = access.site.today()
    is_open = consultation.is_open(today)
    comments = comments_of(consultation)
    if manager:
        for comment in comments:
            if answer_form is not None and answer_form[0] == comment.pk:
                comment.form = answer_form[1]  # type: ignore[attr-defined]
            else:
                current = comment.answer  # type: ignore[attr-defined]
                comment.form = AnswerForm(  # type: ignore[attr-defined]
                    prefix=f"answer-{comment.pk}",
                    initial={"text": current.text if current else ""},
                )
    invalid = any(
        f is not None and f.is_bound and f.errors
        for f in (comment_form, answer_form[1] if answer_form else None, extend_form, close_form)
    )
    return render(
        request,
        "consultations/detail.html",
        site_context(
            access,
            consultation=consultation,
            protocol=consultation.protocol,
            reading=version_reading(consultation)
            if clauses_readable(consultation, is_open=is_open, manager=manager)
            else None,
            comments=comments,
            is_open=is_open,
            manager=manager,
            community=community,
            form=comment_form if community and is_open else None,
            extend_form=(extend_form or ExtendForm()) if manager and is_open else None,
            close_form=(close_form or CloseForm()) if manager and is_open else None,
            said=request.session.pop(SAID, None),
            viewer_id=request.user.pk,
        ),
        status=422 if invalid else 200,
    )


@site_view(Permission.MANAGE)
@require_POST
def comment_answer_view(
    request: HttpRequest, access: SiteAccess, pk: int, comment: int
) -> HttpResponse:
    consultation = consultation_get(access, pk)
    found = Comment.objects.filter(consultation=consultation, pk=comment).first()
    if found is None:
        raise Http404("No such comment.")
    found.consultation = consultation
    form = AnswerForm(request.POST, prefix=f"answer-{found.pk}", instance=Answer(comment=found))
    if form.is_valid():
        try:
            services.comment_answer(
                comment=found,
                author=request.user,
                text=form.cleaned_data["text"],
                pii_confirmed=form.confirmed,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[SAID] = [found.pk, ANSWERED]
            return redirect(_at_comment(access.site.slug, pk, found.pk))
    return _render(request, access, consultation, answer_form=(found.pk, form))


@site_view(Permission.MANAGE)
@require_POST
def consultation_extend_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    consultation = consultation_get(access, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_extend(
                consultation=consultation,
                closes_on=form.cleaned_data["closes_on"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("The closing day was moved."))
            return redirect("consultations:detail", slug=access.site.slug, pk=pk)
    return _render(request, access, consultation, extend_form=form)


@site_view(Permission.MANAGE)
@require_POST
def consultation_close_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    consultation = consultation_get(access, pk)
    form = CloseForm(request.POST)
    if not form.is_valid() and consultation.is_open(access.site.today()):
        # Not confirmed: nothing closes, and the page says why beside the box to tick.
        return _render(request, access, consultation, close_form=form)
    try:
        services.consultation_close(consultation=consultation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("The consultation is closed: it takes no more comments."))
    return redirect("consultations:detail", slug=access.site.slug, pk=pk)


@site_view(Permission.MANAGE)
@require_POST
def consultation_open_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    """Open version `pk` for consultation (the form is on the manager's version page)."""
    protocol = Protocol.objects.filter(site=access.site, pk=pk).select_related("site").first()
    if protocol is None:
        raise Http404("No such protocol version.")
    form = OpenForm(request.POST, today=access.site.today())
    back = reverse("agreements:protocols_detail", kwargs={"slug": access.site.slug, "pk": pk})
    if not form.is_valid():
        problems = " ".join(str(m) for m in form.errors.get("closes_on", []))
        messages.error(request, gettext("Not opened: %(problems)s") % {"problems": problems})
        return redirect(f"{back}#consultation")
    try:
        consultation = services.consultation_open(
            protocol=protocol, closes_on=form.cleaned_data["closes_on"], actor=request.user
        )
    except ValidationError as error:
        messages.error(
            request, gettext("Not opened: %(problems)s") % {"problems": " ".join(error.messages)}
        )
        return redirect(f"{back}#consultation")
    messages.success(
        request,
        gettext("Version %(version)s is open for consultation; the community body is told.")
        % {"version": protocol.version},
    )
    return redirect("consultations:detail", slug=access.site.slug, pk=consultation.pk)
