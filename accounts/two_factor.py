"""Setting up and giving the second factor (TOTP from an authenticator app, or a
one-time recovery code)."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements import audit
from agreements.audit import Action

RECOVERY_CODES = 10


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
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                codes = _new_recovery_codes(user)
                audit.record(Action.UPDATE, actor=user, detail="two-factor authentication set up")
            otp_login(request, device)
            return render(request, "registration/recovery_codes.html",
                          {"codes": codes, "next": _next(request)})  # fmt: skip
        form.add_error("code", _mismatch(user))
    secret = base64.b32encode(device.bin_key).decode()
    qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "secret": secret, "qr": mark_safe(qr.to_string(encoding="unicode")),
         "next": _next(request)},
        status=422 if form.errors else 200,
    )  # fmt: skip


def _mismatch(user: Any) -> str:
    """Why a code was refused. After a wrong code each device waits a little longer
    before it accepts another (throttling), so a right code can be refused too."""
    waiting = any(not device.verify_is_allowed()[0] for device in devices_for_user(user))
    if waiting:
        return gettext(
            "Too many wrong codes just now: wait a few seconds, then enter the newest code."
        )
    return gettext("That code did not match: enter the newest code your app shows.")


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
        form.add_error("code", _mismatch(request.user))
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": _next(request)},
                  status=422 if form.errors else 200)  # fmt: skip
