"""Sign-in events into the audit log. Django reports them as signals; these receivers
only record, they hold no business rule."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from agreements import audit
from agreements.audit import Action, client_ip
from agreements.security import stamp_login


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
    # The username tried is kept (it may be mistyped), never the password.
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        Action.LOGIN_FAILED,
        actor=username,
        detail=f"username tried: {username}",
        ip=client_ip(request) if request else None,
    )
