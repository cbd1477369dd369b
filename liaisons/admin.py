"""Django admin for the police side: read-only, except police services, which have no
page of their own in the app and are written here through the record services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements import services
from agreements.admin_base import (
    ReadOnlyAdmin,
    RevokeAction,
    ServiceAdmin,
    SiteTimesAdmin,
    zoned_time,
)
from agreements.types import Actor
from liaisons.feed_links import feed_revoke
from liaisons.models import (
    Acknowledgement,
    AttendanceConfirmation,
    CalendarFeed,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
    ReminderSent,
)


@admin.register(PoliceService)
class PoliceServiceAdmin(ServiceAdmin):
    list_display = ["name", "jurisdiction"]
    search_fields = ["name"]

    def save_with_service(self, obj: PoliceService, actor: Actor) -> None:
        services.record_save(instance=obj, actor=actor)

    def delete_with_service(self, obj: PoliceService, actor: Actor) -> None:
        services.record_delete(instance=obj, actor=actor)


@admin.register(LiaisonOfficer)
class LiaisonOfficerAdmin(ReadOnlyAdmin):
    """Officers are registered and changed on a site's "Liaison officers" page."""

    list_display = ["name", "rank", "badge_number", "service", "active", "contact_verified_on"]
    list_filter = ["active", "service"]
    search_fields = ["name", "badge_number"]


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["site", "officer", "role", "start", "end"]
    list_filter = ["role", "site"]
    list_select_related = ["site", "officer"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    zone_path = "protocol__site__timezone"
    list_display = ["officer", "protocol", zoned_time("acknowledged_at", _("acknowledged at"))]
    list_select_related = ["officer", "protocol__site"]


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(ReadOnlyAdmin):
    list_display = ["site", "key", "rrule", "start", "end", "format"]


@admin.register(CheckIn)
class CheckInAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    list_display = ["site", zoned_time("scheduled_start", _("scheduled start")), "format", "status"]
    list_filter = ["status", "format"]
    list_select_related = ["site"]


@admin.register(AttendanceConfirmation)
class AttendanceConfirmationAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    zone_path = "checkin__site__timezone"
    list_display = ["checkin", "officer", zoned_time("confirmed_at", _("confirmed at"))]
    list_select_related = ["checkin__site", "officer"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    """Feeds are created on the site's or officer's page (the token is shown once there)."""

    list_display = [
        "label", "site", "officer", zoned_time("created_at", _("created at")),
        zoned_time("revoked_at", _("revoked at")),
    ]  # fmt: skip
    actions = [
        RevokeAction(
            lambda feed, actor: feed_revoke(feed=feed, actor=actor),
            _("Revoke the selected calendar feeds"),
        )
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return RevokeAction.list_only(request, obj)


@admin.register(ReminderSent)
class ReminderSentAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    zone_path = "checkin__site__timezone"
    list_display = ["checkin", "kind", "recipient", zoned_time("sent_at", _("sent at"))]
    list_select_related = ["checkin__site"]
