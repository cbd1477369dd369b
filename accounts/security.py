"""Sign-in hardening: two-factor enforcement and an absolute session lifetime.

Two-factor (TOTP, with recovery codes) comes from django-otp; this module only decides
who must use it and sends them to set it up or to verify. Login throttling is
django-axes; the 30-minute inactivity timeout is Django's session age, renewed on every
request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_out
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from agreements.access import TWO_FACTOR_ROLES
from agreements.models import Membership

LOGIN_AT = "hr_police_login_at"
# Pages a signed-in user may reach before the second factor: to set it up or give it.
_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")


def needs_two_factor(user: Any) -> bool:
    if not settings.HR_POLICE_REQUIRE_2FA or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return bool(roles & TWO_FACTOR_ROLES)


def has_confirmed_device(user: Any) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))


class TwoFactorMiddleware:
    """Send a signed-in user who must use two factors to set them up, or to verify."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and needs_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                # Programs get an answer they can read, not a redirect to a form.
                return JsonResponse(
                    {"detail": "Two-factor verification is required for this account."},
                    status=401,
                )
            target = "two_factor_verify" if has_confirmed_device(user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.path}")
        return self.get_response(request)


def stamp_login(request: Any) -> None:
    """Remember when this session signed in (called on every sign-in)."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = timezone.now().isoformat()


class AbsoluteSessionLimitMiddleware:
    """End a session a fixed time after sign-in, however active it has been."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            limit = timedelta(hours=settings.HR_POLICE_SESSION_MAX_HOURS)
            if started is None or timezone.now() - _parse(started) > limit:
                logout(request)
                messages.info(request, gettext("Your session ended: please sign in again."))
                return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        return self.get_response(request)


def _parse(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return timezone.now() - timedelta(days=365)


# What the browser must drop when a session ends (sign-out, the absolute limit, the
# admin's sign-out): pages it kept despite no-store (the back/forward cache), anything a
# script stored, and the cookies. Django already expires the session cookie; this also
# reaches copies the browser holds that the server cannot name.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
_SIGNED_OUT = "_hr_police_signed_out"


def _mark_signed_out(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None:
        setattr(request, _SIGNED_OUT, True)


# Every sign-out goes through django.contrib.auth.logout, which sends this signal: the
# sign-out page, the admin's, and the end of a session at its absolute limit.
user_logged_out.connect(_mark_signed_out, dispatch_uid="hr_police.clear_site_data")


class SecurityHeadersMiddleware:
    """The security headers of settings.HR_POLICE_SECURITY_HEADERS (the Content Security
    Policy, Permissions-Policy, Cross-Origin-Resource-Policy) on every response; no
    caching of any page: pages carry site data, and a shared or stolen phone must not
    keep copies of them; and Clear-Site-Data on the answer that ends a session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for header, value in settings.HR_POLICE_SECURITY_HEADERS.items():
            response.setdefault(header, value)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        if getattr(request, _SIGNED_OUT, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
