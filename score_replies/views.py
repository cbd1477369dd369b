"""The reply page of a site: the liaison chooses a complete month, reads what the liaison
edition of the report says for it, and writes or re-words the service's reply; managers
(and admins) read the replies and every earlier wording."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from agreements.access import Permission, SiteAccess
from agreements.research_days import last_complete_month_end, month_end
from agreements.views.base import apply_errors, site_context, site_view
from score_replies.edition import liaison_factor
from score_replies.forms import MonthForm, ReplyForm
from score_replies.months import Month, month_refusal, months_offered
from score_replies.selectors import READ_PERMISSION, replies_of, versions_of
from score_replies.services import score_reply_write

WRITE_PERMISSION = Permission.ACT_AS_LIAISON


@site_view(READ_PERMISSION)
@require_http_methods(["GET", "POST"])
def site_replies(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    site = access.site
    writer = access.can(WRITE_PERMISSION)
    if request.method == "POST" and not writer:
        raise PermissionDenied(gettext("Only the site's liaison officers write its replies."))
    last = last_complete_month_end(site, timezone.now())
    replies = list(replies_of(site))
    by_month = {Month.of(r.month): r for r in replies}
    months = sorted(
        set(months_offered(opened_on=site.opened_on, last_complete=last)) | set(by_month),
        reverse=True,
    )
    chooser = MonthForm(request.GET or None, months=months)
    month = chooser.chosen() or (months[0] if months else None)
    form = None
    if writer and month is not None:
        current = by_month[month].text if month in by_month else ""
        form = ReplyForm(
            request.POST if request.method == "POST" else None,
            initial={"month": str(month), "text": current},
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            reply, created = score_reply_write(
                site=site,
                month=form.cleaned_data["month"],
                text=form.cleaned_data["text"],
                actor=request.user,
                pii_confirmed=form.confirmed,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            chosen = Month.of(reply.month)
            messages.success(
                request,
                gettext("Your service's reply is saved and the site's managers are told.")
                if created or chosen not in by_month
                else gettext("Your service's reply is saved; the earlier wording is kept."),
            )
            url = reverse("score_replies:site_replies", kwargs={"slug": site.slug})
            return redirect(f"{url}?month={chosen}")
    shown = by_month.get(month) if month is not None else None
    day = month_end(month.first_day()) if month is not None else None
    return render(
        request,
        "score_replies/site_replies.html",
        site_context(
            access,
            chooser=chooser,
            month=month,
            month_value=str(month) if month is not None else "",
            month_day=day,
            refusal=month_refusal(month, opened_on=site.opened_on, last_complete=last)
            if month is not None
            else None,
            reply=shown,
            versions=versions_of(shown),
            replies=replies,
            factor=liaison_factor(site, day) if day is not None else None,
            form=form,
            writer=writer,
        ),
        status=422 if request.method == "POST" and form is not None and form.errors else 200,
    )
