"""Consultations, comments and answers are read-only in the Django admin: the pages and
the API write them through consultations/services.py, with the PII guard, the audit entry
and the notices. The texts are not shown here either, like a mediation reply's."""

from django.contrib import admin

from agreements.admin_base import ReadOnlyAdmin
from consultations.models import Answer, Comment, Consultation


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["id", "site", "protocol", "closes_on", "closed_reason"]
    list_select_related = ["site", "protocol", "protocol__site"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    exclude = ["text"]
    list_display = ["id", "consultation"]
    list_select_related = ["consultation", "consultation__protocol", "consultation__protocol__site"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    exclude = ["text"]
    list_display = ["id", "comment"]
    list_select_related = ["comment"]
