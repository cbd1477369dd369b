"""The invitation link (`/accounts/invitation/<token>/`): no sign-in needed.

It shows who invited and to what; its form sets the user name and password; the account
is then created and signed in, and the two-factor setup (accounts/two_factor.py) follows
at once when the role needs it, before the first page of the site.

A link that is unknown answers 404; one expired, used or revoked answers 410 with a page
that says which. Wrong links are counted per client address like failed sign-ins: after
too many within the lockout period the page answers 429 for that address.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.invitations import describe, invitation_accept, invitation_for_token
from accounts.models import InvitationState
from accounts.people_forms import AcceptForm, username_from_email
from accounts.security import needs_two_factor
from agreements.audit import client_ip
from agreements.choices import Role
from agreements.models import Membership

# Wrong links a client address may open within the lockout period: several times the
# sign-in limit, since one person may open an old e-mail's link more than once.
WRONG_LINKS_PER_ADDRESS = 4


def _failure_key(request: HttpRequest) -> str:
    return f"invitation-wrong-link:{client_ip(request) or 'unknown'}"


def _locked(request: HttpRequest) -> bool:
    if not settings.AXES_ENABLED:
        return False
    limit = settings.AXES_FAILURE_LIMIT * WRONG_LINKS_PER_ADDRESS
    return int(cache.get(_failure_key(request), 0)) >= limit


def _count_failure(request: HttpRequest) -> None:
    if not settings.AXES_ENABLED:
        return
    key = _failure_key(request)
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if not cache.add(key, 1, timeout=timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=timeout)


def _unusable(request: HttpRequest, state: str, status: int) -> HttpResponse:
    return render(request, "accounts/invitation_unusable.html", {"state": state}, status=status)


def _first_page(user: User) -> str:
    """Where the new account lands: the site it manages, else its list of sites."""
    site = (
        Membership.objects.filter(user=user, role=Role.MANAGER)
        .select_related("site")
        .order_by("site__name")
        .first()
    )
    if site is not None and site.site is not None:
        return reverse("agreements:site_overview", kwargs={"slug": site.site.slug})
    return reverse("agreements:home")


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    if _locked(request):
        return _unusable(request, "locked", 429)
    invitation = invitation_for_token(token)
    if invitation is None:
        _count_failure(request)
        return _unusable(request, "unknown", 404)
    state = invitation.state()
    if state != InvitationState.PENDING:
        _count_failure(request)
        return _unusable(request, state, 410)
    facts = describe(invitation)
    if request.user.is_authenticated:
        # Accepting would make a second account for the person signed in here.
        return render(
            request, "accounts/invitation_accept.html", {"facts": facts, "signed_in": True}
        )
    form = AcceptForm(
        request.POST or None, initial={"username": username_from_email(invitation.email)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code == "gone":  # used, revoked or expired while the form was open
                return _unusable(request, invitation_for_token(token).state(), 410)  # type: ignore[union-attr]
            if code == "stale":
                return _unusable(request, "stale", 410)
            _show(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            target = _first_page(user)
            if needs_two_factor(user):
                setup = reverse("two_factor_setup")
                return redirect(f"{setup}?{urlencode({'next': target})}")
            return redirect(target)
    # The token stays in this site's pages: the Referrer-Policy (same-origin, set for every
    # page) keeps it from any other site; "no-referrer" would make the form's POST fail
    # its CSRF origin check.
    return render(
        request,
        "accounts/invitation_accept.html",
        {"facts": facts, "form": form},
        status=422 if form.errors else 200,
    )


def _show(form: AcceptForm, error: ValidationError) -> None:
    """The service's errors on the form's fields: the account's name, or the password."""
    fields = {"username": "username", "password": "password1"}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(fields.get(name), ValidationError(errors))
    else:
        form.add_error(None, error)
