"""The two kinds of Django admin page: read-only, or writing through a service.

The Django admin would otherwise save and delete rows itself, skipping the rules the
services keep (protocol order, delete rules, one-way revocations) and the audit log.
So every model is registered with one of these: `ReadOnlyAdmin` where the app's own
pages do the writing (with their audit), `ServiceAdmin` where the admin is the place to
write and each save and delete calls the model's service. `tests/test_one_write_path.py`
fails if a model is registered with anything else.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import Expression, F, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext

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


# --- times on the site's clock ---------------------------------------------------------


def _zone(obj: Any) -> zoneinfo.ZoneInfo:
    name = getattr(obj, "site_zone", None)
    try:
        return zoneinfo.ZoneInfo(name) if name else zoneinfo.ZoneInfo("UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def zoned_time(field: str, label: Any) -> Callable[[Any], str]:
    """A list column showing `field` on the clock of the row's site, naming the zone
    ("2026-06-01 08:00 (America/Toronto)"); UTC, named too, for rows of no site."""

    def show(obj: Any) -> str:
        value: datetime | None = getattr(obj, field)
        if value is None:
            return "—"
        zone = _zone(obj)
        return (
            f"{formats.date_format(value.astimezone(zone), 'SHORT_DATETIME_FORMAT')} ({zone.key})"
        )

    show.short_description = label  # type: ignore[attr-defined]
    show.admin_order_field = field  # type: ignore[attr-defined]
    show.__name__ = f"{field}_zoned"
    return show


class SiteTimesAdmin(admin.ModelAdmin):
    """Times in the list (through `zoned_time` columns) and on the detail page are on
    the clock of the record's site (`zone_path`: the lookup of its site's time zone), and
    the page says which; records of no site are in UTC, which is said too."""

    zone_path: ClassVar[str | None] = "site__timezone"

    def zone_expression(self) -> Expression | F | Subquery | None:
        return F(self.zone_path) if self.zone_path else None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        zone = self.zone_expression()
        return rows.annotate(site_zone=zone) if zone is not None else rows

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        zone = _zone(obj)
        times = gettext("times in %(zone)s") % {"zone": zone.key}
        context = {**(extra_context or {}), "subtitle": f"{obj} · {times}" if obj else times}
        with timezone.override(zone):
            response = super().change_view(request, object_id, form_url, context)
            if isinstance(response, TemplateResponse):
                response.render()  # now, while the site's zone is the active one
            return response
