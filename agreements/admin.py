"""Django admin for network administrators: read-only, except roles (memberships), which
are granted and taken back here through their service. Everything else is written on the
app's own pages, through the services and their audit (`agreements/admin_base.py`)."""

from typing import Any

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.admin_base import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    RevokeAction,
    SiteTimesAdmin,
    zoned_time,
)
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

    list_display = [
        "name", "slug", "city", "region", "status", "research_consent", "community_oversight"
    ]  # fmt: skip
    list_filter = ["status", "region", "research_consent", "police_accounts", "community_oversight"]
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
class InteractionAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    # Narratives are read on the site's pages, where each opening is audited.
    exclude = ["narrative", "resolution"]
    list_display = [
        "site", zoned_time("occurred_at", _("occurred at")), "category", "distance_band", "impact"
    ]  # fmt: skip
    list_filter = ["category", "distance_band", "impact", "source", "consent"]
    list_select_related = ["site"]


@admin.register(DailyAttendance)
class DailyAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["site", "date", "visits"]
    list_select_related = ["site"]


@admin.register(RubricWeights)
class RubricWeightsAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    """Weights change on the weights page, so every change keeps who and when."""

    zone_path = None  # the network's: in UTC, said so
    list_display = [zoned_time("changed_at", _("changed at")), "changed_by", *FACTOR_KEYS]


@admin.register(AuditEntry)
class AuditEntryAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    """The audit log is append-only, in the admin as everywhere."""

    list_display = [
        zoned_time("at", _("when")), "actor", "action", "site", "object_type", "object_id", "ip"
    ]  # fmt: skip
    list_filter = ["action", "site"]
    search_fields = ["actor", "site", "object_type"]

    def zone_expression(self) -> Subquery:
        # An entry keeps its site's id, not a foreign key (entries outlive their site).
        return Subquery(Site.objects.filter(pk=OuterRef("site_id")).values("timezone")[:1])


@admin.register(InteractionShare)
class InteractionShareAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    zone_path = "interaction__site__timezone"
    exclude = ["summary"]
    list_display = ["interaction", "shared_by", zoned_time("shared_at", _("shared at"))]
    list_select_related = ["interaction__site", "shared_by"]


@admin.register(ProtocolLink)
class ProtocolLinkAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    """Links are created on the site's page (the token is shown once there)."""

    list_display = [
        "site", "label", zoned_time("created_at", _("created at")),
        zoned_time("revoked_at", _("revoked at")),
    ]  # fmt: skip
    actions = [
        RevokeAction(
            lambda link, actor: protocol_link_revoke(link=link, actor=actor),
            _("Revoke the selected links"),
        )
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return RevokeAction.list_only(request, obj)


@admin.register(ReportJob)
class ReportJobAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    zone_path = None  # network reports: in UTC, said so
    list_display = [
        "kind", "requested_by", "as_of", "status", "progress",
        zoned_time("created_at", _("created at")),
    ]  # fmt: skip
    exclude = ["file"]
