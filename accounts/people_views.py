"""The People pages: a site's (its managers and admins) and the network's (admins).

A site's page lists who holds a role there and the roster's officers linked to an
account, invites a manager or a liaison officer, revokes pending invitations and takes
access back. The network's page lists every account with its roles per site, invites
anyone to any site, gives an existing account a role, and deactivates accounts. Every
change goes through accounts.grants or accounts.invitations, which audit it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import grants
from accounts.invitations import (
    invitable_officers,
    invitation_create,
    invitation_days,
    invitation_revoke,
    link_candidates,
)
from accounts.models import Invitation
from accounts.people_forms import GrantForm, NetworkInviteForm, OfficerLinkForm, SiteInviteForm
from agreements.access import Permission, SiteAccess, is_network_admin, manages_every_site
from agreements.choices import Role
from agreements.models import Membership
from agreements.views.base import apply_errors, site_context, site_view
from liaisons.models import LiaisonOfficer


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _accept_url(request: HttpRequest) -> Callable[[str], str]:
    def build(token: str) -> str:
        return request.build_absolute_uri(reverse("invitation_accept", kwargs={"token": token}))

    return build


def pending_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by", "officer")


def _site_officers(access: SiteAccess) -> QuerySet[LiaisonOfficer]:
    """Officers of the site's roster (ever assigned here, or registered by the site)."""
    site = access.site
    return (
        LiaisonOfficer.objects.filter(Q(assignments__site=site) | Q(registered_for=site))
        .distinct()
        .select_related("user", "service")
    )


# --- a site's People page -------------------------------------------------------------------


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def site_people(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    site = access.site
    form = SiteInviteForm(request.POST or None, officers=invitable_officers(site))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        liaison = data["role"] == Role.LIAISON
        try:
            invitation = invitation_create(
                email=data["email"],
                role=data["role"],
                sites=[site],
                officer=data["officer"] if liaison else None,
                actor=_actor(request),
                accept_url=_accept_url(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _sent(request, invitation)
            return redirect("site_people", slug=site.slug)
    members = (
        Membership.objects.filter(site=site)
        .select_related("user")
        .order_by("role", "user__username")
    )
    officers = _site_officers(access).filter(user__isnull=False)
    return render(
        request,
        "accounts/site_people.html",
        site_context(
            access,
            form=form,
            link_form=_link_form(request, access),
            members=members,
            officers=officers,
            invitations=pending_invitations().filter(sites=site).order_by("-created_at"),
        ),
        status=422 if request.method == "POST" and form.errors else 200,
    )


def _link_form(request: HttpRequest, access: SiteAccess, data: Any = None) -> OfficerLinkForm:
    return OfficerLinkForm(
        data,
        officers=invitable_officers(access.site),
        accounts=link_candidates(_actor(request), access.site),
    )


@site_view(Permission.MANAGE)
@require_POST
def site_officer_link(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    form = _link_form(request, access, request.POST)
    if form.is_valid():
        officer, account = form.cleaned_data["officer"], form.cleaned_data["account"]
        _answer(
            request,
            lambda: grants.officer_link(officer=officer, user=account, actor=_actor(request)),
            gettext("%(user)s is now linked to %(officer)s.")
            % {"user": account.get_username(), "officer": officer},
        )
    else:
        problems = [
            f"{form.fields[name].label}: {' '.join(str(e) for e in errs)}"
            for name, errs in form.errors.items()
        ]
        messages.error(request, " ".join(problems))
    return redirect("site_people", slug=access.site.slug)


def _sent(request: HttpRequest, invitation: Invitation) -> None:
    messages.success(
        request,
        gettext("An invitation was sent to %(email)s. Its link works for %(days)s days.")
        % {"email": invitation.email, "days": invitation_days()},
    )


def _answer(request: HttpRequest, done: Callable[[], None], success: str) -> None:
    try:
        done()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


@site_view(Permission.MANAGE)
@require_POST
def site_invitation_revoke(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    invitation = Invitation.objects.filter(pk=pk, sites=access.site).first()
    if invitation is None:
        raise Http404("No such invitation.")
    _answer(
        request,
        lambda: invitation_revoke(invitation=invitation, actor=_actor(request)),
        gettext("The invitation to %(email)s no longer works.") % {"email": invitation.email},
    )
    return redirect("site_people", slug=access.site.slug)


@site_view(Permission.MANAGE)
@require_POST
def site_membership_end(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    membership = Membership.objects.filter(pk=pk, site=access.site).select_related("user").first()
    if membership is None:
        raise Http404("No such role at this site.")
    _answer(
        request,
        lambda: grants.membership_end(membership=membership, actor=_actor(request)),
        gettext("%(user)s no longer has the role %(role)s here.")
        % {"user": membership.user.get_username(), "role": membership.get_role_display()},
    )
    return redirect("site_people", slug=access.site.slug)


@site_view(Permission.MANAGE)
@require_POST
def site_officer_unlink(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    officer = _site_officers(access).filter(pk=pk, user__isnull=False).first()
    if officer is None:
        raise Http404("No such officer linked to an account.")
    if not manages_every_site(request.user, officer.serving_site_ids()):
        raise PermissionDenied(
            gettext("This officer serves other sites too: ask an administrator.")
        )
    _answer(
        request,
        lambda: grants.officer_unlink(officer=officer, actor=_actor(request)),
        gettext("The account of %(officer)s no longer sees this officer's sites.")
        % {"officer": officer},
    )
    return redirect("site_people", slug=access.site.slug)


# --- the network's People page ----------------------------------------------------------------


def _admin(request: HttpRequest) -> User:
    if not is_network_admin(request.user):
        raise PermissionDenied(gettext("Only an administrator manages the network's people."))
    return _actor(request)


@login_required
@require_http_methods(["GET", "POST"])
def network_people(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    posted = request.POST.get("action") if request.method == "POST" else None
    invite = NetworkInviteForm(request.POST if posted == "invite" else None)
    grant = GrantForm(request.POST if posted == "grant" else None)
    if posted == "invite" and invite.is_valid():
        data = invite.cleaned_data
        try:
            invitation = invitation_create(
                email=data["email"],
                role=data["role"],
                sites=list(data["sites"]),
                actor=actor,
                accept_url=_accept_url(request),
            )
        except ValidationError as error:
            apply_errors(invite, error)
        else:
            _sent(request, invitation)
            return redirect("network_people")
    if posted == "grant" and grant.is_valid():
        data = grant.cleaned_data
        site = data["site"]
        try:
            grants.role_grant(
                user=data["user"], role=data["role"], sites=[site] if site else [], actor=actor
            )
        except ValidationError as error:
            apply_errors(grant, error)
        else:
            messages.success(
                request,
                gettext("%(user)s now has the role %(role)s.")
                % {"user": data["user"].get_username(), "role": Role(data["role"]).label},
            )
            return redirect("network_people")
    users = (
        User.objects.order_by("username")
        .select_related("liaison_officer")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("site").order_by("role", "site__name"),
            )
        )
    )
    failed = bool(invite.errors or grant.errors)
    return render(
        request,
        "accounts/network_people.html",
        {
            "invite": invite,
            "grant": grant,
            "users": users,
            "invitations": pending_invitations().prefetch_related("sites"),
        },
        status=422 if failed else 200,
    )


@login_required
def network_invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _admin(request)  # before the method: 403 for everyone else, whatever it is
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    _answer(
        request,
        lambda: invitation_revoke(invitation=invitation, actor=actor),
        gettext("The invitation to %(email)s no longer works.") % {"email": invitation.email},
    )
    return redirect("network_people")


@login_required
def network_membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _admin(request)  # before the method: 403 for everyone else, whatever it is
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    membership = Membership.objects.filter(pk=pk).select_related("user").first()
    if membership is None:
        raise Http404("No such role.")
    _answer(
        request,
        lambda: grants.membership_end(membership=membership, actor=actor),
        gettext("%(user)s no longer has the role %(role)s there.")
        % {"user": membership.user.get_username(), "role": membership.get_role_display()},
    )
    return redirect("network_people")


@login_required
def network_user_active(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _admin(request)  # before the method: 403 for everyone else, whatever it is
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404("No such account.")
    active = request.POST.get("active") == "1"
    _answer(
        request,
        lambda: grants.user_set_active(user=user, active=active, actor=actor),
        (
            gettext("%(user)s can sign in again.")
            if active
            else gettext("%(user)s can no longer sign in.")
        )
        % {"user": user.get_username()},
    )
    return redirect("network_people")
