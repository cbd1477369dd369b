"""Receivers: sign-ins, sign-outs and failed sign-ins into the audit log. They record;
they hold no business rule."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.security import stamp_login
from agreements import audit
from agreements.audit import Action, client_ip


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    stamp_login(request)
    audit.record(Action.LOGIN, actor=user, ip=client_ip(request) if request else None)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(Action.LOGOUT, actor=user, ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The username is kept only when it names an account: people type passwords into the
    # username box, and the log must not keep them.
    typed = str(credentials.get("username", ""))[:150]
    known = get_user_model().objects.filter(username=typed).exists()
    audit.record(
        Action.LOGIN_FAILED,
        actor=typed if known else "",
        detail="" if known else "an unknown username",
        ip=client_ip(request) if request else None,
    )
