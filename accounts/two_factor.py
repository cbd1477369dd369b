"""Setting up and giving the second factor (TOTP from an authenticator app, or a
one-time recovery code)."""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements import audit
from agreements.audit import Action

RECOVERY_CODES = 10
WRONG_CODE = _("That code is not right. Check the time on your phone and try again.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
    )


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("two_factor_verify")
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = _waiting([device])
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                codes = _new_recovery_codes(user)
                audit.record(Action.UPDATE, actor=user, detail="two-factor authentication set up")
            otp_login(request, device)
            return render(request, "registration/recovery_codes.html",
                          {"codes": codes, "next": _next(request)})  # fmt: skip
        form.add_error("code", _mismatch(waiting))
    secret = base64.b32encode(device.bin_key).decode()
    # The otpauth:// URI (issuer, account, secret, percent-encoded by django-otp): the QR
    # code for a second device, and a link that opens the authenticator on this phone.
    uri = device.config_url
    qr = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "secret": secret, "secret_groups": key_groups(secret), "uri": uri,
         "qr": mark_safe(qr.to_string(encoding="unicode")), "next": _next(request)},
        status=422 if form.errors else 200,
    )  # fmt: skip


def key_groups(secret: str, size: int = 4) -> list[str]:
    """The key in groups of `size` characters, easier to type into an app by hand."""
    return [secret[i : i + size] for i in range(0, len(secret), size)]


def _waiting(devices: Iterable[Any]) -> int:
    """Seconds before one of `devices` accepts a code again; 0 when they all would now.
    After a wrong code django-otp makes each device wait 1, 2, 4 … seconds."""
    now = timezone.now()
    seconds = 0
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            seconds = max(seconds, math.ceil((data["locked_until"] - now).total_seconds()))
        elif not allowed:
            seconds = max(seconds, 1)
    return seconds


def _mismatch(waiting: int) -> str:
    """Why a code was refused. `waiting`: the seconds the devices were still refusing
    codes when this one came in (measured before it was checked, so that the first wrong
    code, which starts the wait, is not called "too many")."""
    if waiting:
        return ngettext(
            "Too many wrong codes just now: wait %(seconds)s second, then enter the newest code.",
            "Too many wrong codes just now: wait %(seconds)s seconds, then enter the newest code.",
            waiting,
        ) % {"seconds": waiting}
    return str(WRONG_CODE)


def _new_recovery_codes(user: object) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = _waiting(devices_for_user(request.user))
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(left)s left.",
                        "You used a recovery code; %(left)s left.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        audit.record(Action.LOGIN_FAILED, actor=request.user, detail="wrong second factor")
        form.add_error("code", _mismatch(waiting))
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": _next(request)},
                  status=422 if form.errors else 200)  # fmt: skip
