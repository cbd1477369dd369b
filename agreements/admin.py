"""Django admin for network administrators. Signed protocols stay read-only here too."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from agreements.audit import AuditEntry
from agreements.models import (
    ApiToken,
    DailyAttendance,
    EngagementEvent,
    Interaction,
    InteractionShare,
    Membership,
    OperatingHours,
    Protocol,
    ProtocolClause,
    ProtocolLink,
    ReportJob,
    RubricWeights,
    Site,
    SupportStatement,
)
from agreements.scoring import FACTOR_KEYS


class OperatingHoursInline(admin.TabularInline):
    model = OperatingHours
    extra = 0


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen in the admin, changed only through the app's pages, where every change and
    every opening is audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "city", "region", "status", "research_consent"]
    list_filter = ["status", "region", "research_consent", "police_accounts"]
    search_fields = ["name", "slug", "city"]
    inlines = [OperatingHoursInline]


@admin.register(OperatingHours)
class OperatingHoursAdmin(admin.ModelAdmin):
    list_display = ["site", "weekday", "opens", "closes"]
    list_select_related = ["site"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "site"]
    list_filter = ["role"]
    search_fields = ["user__username"]


class ClauseInline(admin.TabularInline):
    model = ProtocolClause
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_signed) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_signed) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_signed) and super().has_delete_permission(request, obj)


@admin.register(Protocol)
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ["site", "version", "status", "effective_from", "review_by", "ended_on"]
    list_filter = ["status"]
    inlines = [ClauseInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_signed) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_signed) and super().has_delete_permission(request, obj)


@admin.register(ProtocolClause)
class ProtocolClauseAdmin(admin.ModelAdmin):
    list_display = ["protocol", "topic", "position"]
    list_select_related = ["protocol__site"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.protocol.is_signed) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.protocol.is_signed) and super().has_delete_permission(request, obj)


@admin.register(EngagementEvent)
class EngagementEventAdmin(admin.ModelAdmin):
    list_display = ["site", "date", "kind"]
    list_filter = ["kind"]


@admin.register(SupportStatement)
class SupportStatementAdmin(admin.ModelAdmin):
    list_display = ["site", "date", "rank", "stance", "kind"]
    list_filter = ["rank", "stance", "kind"]


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    # Narratives are read on the site's pages, where each opening is audited.
    exclude = ["narrative", "resolution"]
    list_display = ["site", "occurred_at", "category", "distance_band", "impact"]
    list_filter = ["category", "distance_band", "impact"]
    list_select_related = ["site"]


@admin.register(DailyAttendance)
class DailyAttendanceAdmin(admin.ModelAdmin):
    list_display = ["site", "date", "visits"]
    list_select_related = ["site"]


@admin.register(RubricWeights)
class RubricWeightsAdmin(ReadOnlyAdmin):
    """Read-only: weights change on the weights page, so every change keeps who and when."""

    list_display = ["changed_at", "changed_by", *FACTOR_KEYS]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only, in the admin as everywhere."""

    list_display = ["at", "actor", "action", "site", "object_type", "object_id", "ip"]
    list_filter = ["action", "site"]
    search_fields = ["actor", "site", "object_type"]


@admin.register(InteractionShare)
class InteractionShareAdmin(ReadOnlyAdmin):
    exclude = ["summary"]
    list_display = ["interaction", "shared_by", "shared_at"]
    list_select_related = ["interaction__site", "shared_by"]


@admin.register(ProtocolLink)
class ProtocolLinkAdmin(admin.ModelAdmin):
    """Links are created on the site's page (the token is shown once there)."""

    list_display = ["site", "label", "created_at", "revoked_at"]
    readonly_fields = ["site", "label", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ["kind", "requested_by", "as_of", "status", "progress", "created_at"]
    exclude = ["file"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are made with `api_token` or on the user's page (shown once there)."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
