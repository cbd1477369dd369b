"""Receivers: sign-ins, sign-outs, failed sign-ins and every change to an account into
the audit log. They record; they hold no business rule."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# --- account changes --------------------------------------------------------------------
# Every change to an account is audited whatever made it: the password page, the admin's
# user pages, `grant`, Django's own commands (changepassword, createsuperuser), a shell.
# The entry names the account and the fields that changed, never their values. Signing in
# (last_login) is no account change: it has its own entry.

ACCOUNT_FIELDS = (
    "username", "password", "email", "first_name", "last_name",
    "is_active", "is_staff", "is_superuser",
)  # fmt: skip
_CHANGED = "_hr_police_account_changes"


def _account_changes(user: Any, update_fields: Any) -> list[str]:
    names = [f for f in ACCOUNT_FIELDS if update_fields is None or f in update_fields]
    if user._state.adding or user.pk is None:
        return [f for f in names if getattr(user, f) not in (None, "", False)]
    rehashed = getattr(user, "_password", None) is None  # set_password() was not called
    if update_fields is not None and set(update_fields) == {"password"} and rehashed:
        return []  # a stored hash upgraded at sign-in (same password), not a change
    stored = type(user)._default_manager.filter(pk=user.pk).values(*names).first()
    if stored is None:
        return names
    return [f for f in names if stored[f] != getattr(user, f)]


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _account_before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        setattr(instance, _CHANGED, _account_changes(instance, kwargs.get("update_fields")))


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _account_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    fields = getattr(instance, _CHANGED, [])
    if raw or not (created or fields):
        return
    setattr(instance, _CHANGED, [])
    audit.record(Action.CREATE if created else Action.UPDATE, actor=audit.current_actor(),
                 obj=instance, fields=fields,
                 detail=f"account {instance.get_username()}")  # fmt: skip


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def _account_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    audit.record(Action.DELETE, actor=audit.current_actor(), obj=instance,
                 detail=f"account {instance.get_username()}")  # fmt: skip


def _account_relations_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """Groups and permissions of an account, added, removed or cleared (the admin)."""
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    if action != "post_clear" and not pk_set:
        return
    name = "groups" if sender is get_user_model().groups.through else "user_permissions"
    audit.record(Action.UPDATE, actor=audit.current_actor(), obj=instance, fields=[name],
                 detail=f"account {instance.get_username()}")  # fmt: skip


for _through in (get_user_model().groups.through, get_user_model().user_permissions.through):
    m2m_changed.connect(_account_relations_changed, sender=_through,
                        dispatch_uid=f"account-audit-{_through._meta.label}")  # fmt: skip


def _second_factor_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A second factor taken away (the admin's device pages): the account's owner sets up
    a new one at their next sign-in, so who removed it must be on record."""
    detail = f"account {instance.user.get_username()}: {instance.name} removed"
    audit.record(Action.UPDATE, actor=audit.current_actor(), obj=instance.user,
                 fields=["two_factor"], detail=detail)  # fmt: skip


for _device in (TOTPDevice, StaticDevice):
    post_delete.connect(_second_factor_removed, sender=_device,
                        dispatch_uid=f"account-audit-{_device._meta.label}")  # fmt: skip
