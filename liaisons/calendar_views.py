"""A site's calendar page (make and revoke secret calendar links) and the feed that a
secret link opens, with no sign-in, for calendar apps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from agreements import audit
from agreements.access import Permission, SiteAccess
from agreements.audit import Action
from agreements.choices import Role
from agreements.views.base import apply_errors, site_context, site_view
from liaisons.calendar_forms import CalendarFeedForm
from liaisons.feed_links import (
    assignable_officers,
    feed_create,
    feed_for_token,
    feed_revoke,
    feed_site_ids,
    own_feeds,
    site_page_feeds,
)
from liaisons.feeds import calendar_response, officer_calendar, site_calendar
from liaisons.models import CalendarFeed, LiaisonOfficer

NOT_A_FEED = gettext_lazy("This calendar link does not open anything (it may have been revoked).")


def _own_officer(request: HttpRequest, access: SiteAccess) -> LiaisonOfficer | None:
    """None for someone who manages the site (every link of the site is theirs to
    handle); a liaison's own officer record (only their own link is); 403 otherwise."""
    if access.can(Permission.MANAGE):
        return None
    if Role.LIAISON in access.roles and request.user.pk is not None:
        officer = LiaisonOfficer.objects.filter(user_id=request.user.pk).first()
        if officer is not None:
            return officer
    raise PermissionDenied(_("Calendar links are for the site's managers and its liaison."))


@site_view(Permission.VIEW_PROFILE)
@require_http_methods(["GET", "POST"])
def calendar_links(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    own = _own_officer(request, access)
    site = access.site
    officers = list(assignable_officers(site)) if own is None else None
    form = CalendarFeedForm(request.POST or None, officers=officers)
    new_url = ""
    if request.method == "POST" and form.is_valid():
        officer = own or form.chosen_officer()
        try:
            _feed, token = feed_create(
                label=form.cleaned_data["label"],
                actor=request.user,
                site=site if officer is None else None,
                officer=officer,
                audit_site=site,
                pii_confirmed=form.confirmed,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # Shown on this response only: the token is not stored and cannot be shown again.
            path = reverse("liaisons:calendar_feed", kwargs={"token": token})
            new_url = request.build_absolute_uri(path)
            form = CalendarFeedForm(officers=officers)
    feeds = site_page_feeds(site) if own is None else own_feeds(own)
    return render(
        request,
        "liaisons/calendar_links.html",
        site_context(access, form=form, feeds=feeds, new_url=new_url, own_officer=own),
        status=422 if request.method == "POST" and form.errors else 200,
    )


@site_view(Permission.VIEW_PROFILE)
def calendar_link_revoke(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    # The role is checked before the method, so a researcher is told 403 either way.
    own = _own_officer(request, access)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    feeds = site_page_feeds(access.site) if own is None else own_feeds(own)
    feed = feeds.filter(pk=pk).first()
    if feed is None:
        raise Http404(_("No such calendar link."))
    feed_revoke(feed=feed, actor=request.user, audit_site=access.site)
    messages.success(
        request,
        _("The calendar link “%(label)s” no longer opens anything.") % {"label": feed.label},
    )
    return redirect("liaisons:calendar_links", slug=access.site.slug)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed behind a secret link: no sign-in, since calendar apps cannot sign in."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404(NOT_A_FEED)
    body, filename = _feed_body(feed)
    audit.record(Action.DOWNLOAD, site=feed.site, obj=feed,
                 detail=f"calendar feed read through link: {feed.label}")  # fmt: skip
    return calendar_response(body, filename)


def _feed_body(feed: CalendarFeed) -> tuple[bytes, str]:
    """The calendar and its file name; 404 when the link's creator no longer vouches for
    it, or the officer is no longer active."""
    allowed = feed_site_ids(feed)
    if feed.site is not None:
        if feed.site.pk not in allowed:
            raise Http404(NOT_A_FEED)
        return site_calendar(feed.site), f"{feed.site.slug}-checkins.ics"
    officer = feed.officer
    if officer is None or not officer.active or not allowed:
        raise Http404(NOT_A_FEED)
    return officer_calendar(officer, site_ids=allowed), f"officer-{officer.pk}-checkins.ics"
