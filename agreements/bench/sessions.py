"""Signed-in sessions for the benchmark users, as a browser would hold after signing in
(with the second factor given, for the roles that need one)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from agreements.security import LOGIN_AT

# django_otp keeps the verified device under this session key (django_otp.DEVICE_ID_SESSION_KEY).
OTP_SESSION_KEY = "otp_device_id"


def signed_in_session(user: Any) -> str:
    """A new session key for `user`, past sign-in and, where needed, two-factor."""
    from django_otp.plugins.otp_static.models import StaticDevice

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LOGIN_AT] = timezone.now().isoformat()
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="benchmark", defaults={"confirmed": True}
    )
    session[OTP_SESSION_KEY] = device.persistent_id
    session.create()
    return str(session.session_key)
