from django.contrib import admin
from django.http import HttpRequest

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
class PoliceServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction"]
    search_fields = ["name"]


@admin.register(LiaisonOfficer)
class LiaisonOfficerAdmin(admin.ModelAdmin):
    list_display = ["name", "rank", "badge_number", "service", "active", "contact_verified_on"]
    list_filter = ["active", "service"]
    search_fields = ["name", "badge_number"]
    raw_id_fields = ["user"]


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(admin.ModelAdmin):
    list_display = ["site", "officer", "role", "start", "end"]
    list_filter = ["role", "site"]
    list_select_related = ["site", "officer"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["officer", "protocol", "acknowledged_at"]
    list_select_related = ["officer", "protocol__site"]


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(admin.ModelAdmin):
    list_display = ["site", "key", "rrule", "start", "end", "format"]
    filter_horizontal = ["expected_officers"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["site", "scheduled_start", "format", "status"]
    list_filter = ["status", "format"]
    list_select_related = ["site"]


@admin.register(AttendanceConfirmation)
class AttendanceConfirmationAdmin(admin.ModelAdmin):
    list_display = ["checkin", "officer", "confirmed_at"]
    list_select_related = ["checkin__site", "officer"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Feeds are created on the site's or officer's page (the token is shown once there)."""

    list_display = ["label", "site", "officer", "created_at", "revoked_at"]
    readonly_fields = ["site", "officer", "label", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["checkin", "kind", "recipient", "sent_at"]
    list_select_related = ["checkin__site"]
