"""Replies in the Django admin: read-only. They are written on the liaison's reply page
and through the API, both through `score_reply_write`, and never deleted."""

from django.contrib import admin

from agreements.admin_base import ReadOnlyAdmin
from score_replies.models import ScoreReply, ScoreReplyVersion


@admin.register(ScoreReply)
class ScoreReplyAdmin(ReadOnlyAdmin):
    list_display = ["site", "month", "service", "updated_at"]
    list_filter = ["site"]
    list_select_related = ["site", "service"]


@admin.register(ScoreReplyVersion)
class ScoreReplyVersionAdmin(ReadOnlyAdmin):
    list_display = ["reply", "number", "author", "written_at"]
    list_select_related = ["reply", "author"]
