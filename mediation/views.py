"""The thread page of a shared interaction: the summary as shared, the replies, a reply
form for both sides and, for the site's managers, the status and outcome.

Police read the summary as shared and the thread, never the narrative nor which staff
member wrote (a site reply reads "Site staff"); the managers' page links to the
interaction itself and names who replied.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from agreements.views.base import apply_errors, site_context
from mediation.forms import ReplyForm, StatusForm
from mediation.models import ThreadReply
from mediation.selectors import ThreadAccess, replies_of, thread_access
from mediation.services import thread_reply_post, thread_status_set


@login_required
@require_http_methods(["GET", "POST"])
def thread_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = thread_access(request.user, slug, pk)
    with timezone.override(found.access.site.tz):
        form = ReplyForm(request.POST or None, instance=ThreadReply(thread=found.thread))
        if request.method == "POST":
            if found.author_role is None:
                raise PermissionDenied("Your role on this site does not reply.")
            if form.is_valid():
                try:
                    thread_reply_post(
                        thread=found.thread,
                        author=request.user,
                        author_role=found.author_role,
                        text=form.cleaned_data["text"],
                        pii_confirmed=form.confirmed,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, gettext("Reply posted; the other side is told."))
                    return redirect("mediation:thread", slug=slug, pk=pk)
        return _render(request, found, form, StatusForm(instance=found.thread))


@login_required
@require_http_methods(["GET", "POST"])
def thread_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # Scope first (404, 403 for police), then the method: as every POST-only page.
    found = thread_access(request.user, slug, pk, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with timezone.override(found.access.site.tz):
        form = StatusForm(request.POST, instance=found.thread)
        if form.is_valid():
            try:
                thread_status_set(
                    thread=found.thread,
                    status=form.cleaned_data["status"],
                    outcome=form.cleaned_data["outcome"],
                    actor=request.user,
                    pii_confirmed=form.confirmed,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, gettext("Thread status saved; the liaison is told."))
                return redirect("mediation:thread", slug=slug, pk=pk)
        found.thread.refresh_from_db(fields=["status", "outcome", "resolved_at"])
        return _render(request, found, ReplyForm(), form)


def _render(
    request: HttpRequest, found: ThreadAccess, reply_form: ReplyForm, status_form: StatusForm
) -> HttpResponse:
    invalid = request.method == "POST" and (reply_form.errors or status_form.errors)
    return render(
        request,
        "mediation/thread.html",
        site_context(
            found.access,
            thread=found.thread,
            interaction=found.thread.interaction,
            share=getattr(found.thread.interaction, "share", None),
            replies=replies_of(found.thread),
            can_manage=found.can_manage,
            can_reply=found.author_role is not None,
            form=reply_form,
            status_form=status_form if found.can_manage else None,
        ),
        status=422 if invalid else 200,
    )
