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


class SecurityHeadersMiddleware:
    """A Content Security Policy on every response, and no caching of any page: pages
    carry site data, and a shared or stolen phone must not keep copies of them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.HR_POLICE_CSP)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        return response
