"""Self-assessment rounds and answers in the Django admin: read only. Rounds are opened
and closed, and answers given, on the app's pages and the API, through the services."""

from django.contrib import admin

from agreements.admin_base import ReadOnlyAdmin, ReadOnlyInline
from perception.models import SelfAssessmentRating, SelfAssessmentResponse, SelfAssessmentRound


@admin.register(SelfAssessmentRound)
class SelfAssessmentRoundAdmin(ReadOnlyAdmin):
    list_display = ("site", "instrument", "opened_on", "closes_on", "closed_on")
    list_filter = ("instrument",)
    list_select_related = ("site",)


class RatingInline(ReadOnlyInline):
    model = SelfAssessmentRating
    fields = ("statement", "rating", "comment")


@admin.register(SelfAssessmentResponse)
class SelfAssessmentResponseAdmin(ReadOnlyAdmin):
    list_display = ("round", "side", "submitted_at")
    list_select_related = ("round", "round__site")
    inlines = (RatingInline,)
