"""The two kinds of Django admin page: read-only, or writing through a service.

The Django admin would otherwise save and delete rows itself, skipping the rules the
services keep (protocol order, delete rules, one-way revocations) and the audit log.
So every model is registered with one of these: `ReadOnlyAdmin` where the app's own
pages do the writing (with their audit), `ServiceAdmin` where the admin is the place to
write and each save and delete calls the model's service. `tests/test_one_write_path.py`
fails if a model is registered with anything else.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect

from agreements.types import Actor


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen in the admin, changed only through the app's pages, where every change and
    every opening is audited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceAdmin(admin.ModelAdmin):
    """Saves and deletes through the model's services (`save_with_service`,
    `delete_with_service`), never `Model.save()` or `QuerySet.delete()` directly."""

    inlines: ClassVar[list[Any]] = []  # an inline would save its rows itself

    def save_with_service(self, obj: Any, actor: Actor) -> None:
        raise NotImplementedError

    def delete_with_service(self, obj: Any, actor: Actor) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self.save_with_service(obj, request.user)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_with_service(obj, request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # One by one, so that each row gets its rule and its audit entry; all or none.
        with transaction.atomic():
            for obj in queryset:
                self.delete_with_service(obj, request.user)  # type: ignore[arg-type]


class RevokeAction:
    """An admin action that revokes the selected links or tokens through their service.
    Revocation is one-way: nothing in the admin or the services un-revokes."""

    def __init__(self, revoke: Any, description: Any) -> None:
        self.revoke = revoke
        self.short_description = description
        self.__name__ = "revoke_selected"

    def __call__(self, modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> Any:
        for row in queryset:
            self.revoke(row, request.user)
        return HttpResponseRedirect(request.get_full_path())

    @staticmethod
    def list_only(request: HttpRequest, obj: Any) -> bool:
        # An action needs the change permission on the list; the form stays read-only.
        return obj is None and bool(getattr(request.user, "is_superuser", False))
