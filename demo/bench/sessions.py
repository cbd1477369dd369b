"""Signed-in sessions for the benchmark users, as a browser would hold after signing in
(with the second factor given, for the roles that need one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from accounts.security import LOGIN_AT

# django_otp keeps the verified device under this session key (django_otp.DEVICE_ID_SESSION_KEY).
OTP_SESSION_KEY = "otp_device_id"


DEVICE_NAME = "benchmark"


@contextmanager
def benchmark_sessions(*users: Any) -> Iterator[list[str]]:
    """Signed-in session keys for `users`, removed afterwards with the benchmark's own
    second-factor device, so that nothing signed in without a password stays behind in
    the database measured."""
    from django_otp.plugins.otp_static.models import StaticDevice

    keys = [signed_in_session(user) for user in users]
    try:
        yield keys
    finally:
        SessionStore().model.objects.filter(session_key__in=keys).delete()
        StaticDevice.objects.filter(user__in=users, name=DEVICE_NAME).delete()


def signed_in_session(user: Any) -> str:
    """A new session key for `user`, past sign-in and, where needed, two-factor."""
    from django_otp.plugins.otp_static.models import StaticDevice

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LOGIN_AT] = timezone.now().isoformat()
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=DEVICE_NAME, defaults={"confirmed": True}
    )
    session[OTP_SESSION_KEY] = device.persistent_id
    session.create()
    return str(session.session_key)
