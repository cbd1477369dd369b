"""Django admin for network administrators: read-only, except roles (memberships), which
are granted and taken back here through their service. Everything else is written on the
app's own pages, through the services and their audit (`agreements/admin_base.py`)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.admin_base import ReadOnlyAdmin, ReadOnlyInline, RevokeAction
from agreements.audit import AuditEntry
from agreements.choices import FACTOR_KEYS
from agreements.models import (
    DailyAttendance,
    EngagementEvent,
    Interaction,
    InteractionShare,
    OperatingHours,
    Protocol,
    ProtocolClause,
    ProtocolLink,
    ReportJob,
    RubricWeights,
    Site,
    SupportStatement,
)
from agreements.sharing import protocol_link_revoke


class OperatingHoursInline(ReadOnlyInline):
    model = OperatingHours


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    """Sites are added and changed on the app's pages (`/sites/new/`, a site's "Edit")."""

    list_display = ["name", "slug", "city", "region", "status", "research_consent"]
    list_filter = ["status", "region", "research_consent", "police_accounts"]
    search_fields = ["name", "slug", "city"]
    inlines = [OperatingHoursInline]


@admin.register(OperatingHours)
class OperatingHoursAdmin(ReadOnlyAdmin):
    list_display = ["site", "weekday", "opens", "closes"]
    list_select_related = ["site"]


class ClauseInline(ReadOnlyInline):
    model = ProtocolClause


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyAdmin):
    """Versions are drafted, signed and ended on the site's protocol pages, where the
    service keeps them in order with one version in force."""

    list_display = ["site", "version", "status", "effective_from", "review_by", "ended_on"]
    list_filter = ["status"]
    inlines = [ClauseInline]


@admin.register(ProtocolClause)
class ProtocolClauseAdmin(ReadOnlyAdmin):
    list_display = ["protocol", "topic", "position"]
    list_select_related = ["protocol__site"]


@admin.register(EngagementEvent)
class EngagementEventAdmin(ReadOnlyAdmin):
    list_display = ["site", "date", "kind"]
    list_filter = ["kind"]


@admin.register(SupportStatement)
class SupportStatementAdmin(ReadOnlyAdmin):
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
class DailyAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["site", "date", "visits"]
    list_select_related = ["site"]


@admin.register(RubricWeights)
class RubricWeightsAdmin(ReadOnlyAdmin):
    """Weights change on the weights page, so every change keeps who and when."""

    list_display = ["changed_at", "changed_by", *FACTOR_KEYS]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log is append-only, in the admin as everywhere."""

    list_display = ["at", "actor", "action", "site", "object_type", "object_id", "ip"]
    list_filter = ["action", "site"]
    search_fields = ["actor", "site", "object_type"]


@admin.register(InteractionShare)
class InteractionShareAdmin(ReadOnlyAdmin):
    exclude = ["summary"]
    list_display = ["interaction", "shared_by", "shared_at"]
    list_select_related = ["interaction__site", "shared_by"]


@admin.register(ProtocolLink)
class ProtocolLinkAdmin(ReadOnlyAdmin):
    """Links are created on the site's page (the token is shown once there)."""

    list_display = ["site", "label", "created_at", "revoked_at"]
    actions = [
        RevokeAction(
            lambda link, actor: protocol_link_revoke(link=link, actor=actor),
            _("Revoke the selected links"),
        )
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return RevokeAction.list_only(request, obj)


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ["kind", "requested_by", "as_of", "status", "progress", "created_at"]
    exclude = ["file"]
