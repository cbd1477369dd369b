"""Threads and replies are read-only in the Django admin: the thread page and the API
write them through mediation/services.py, with the PII guard, the audit entry and the
notices. The texts are not shown here either, like a share's summary."""

from django.contrib import admin

from agreements.admin_base import ReadOnlyAdmin
from mediation.models import SharedThread, ThreadReply


@admin.register(SharedThread)
class SharedThreadAdmin(ReadOnlyAdmin):
    exclude = ["outcome"]
    list_display = ["id", "interaction", "status"]
    list_filter = ["status"]
    list_select_related = ["interaction"]


@admin.register(ThreadReply)
class ThreadReplyAdmin(ReadOnlyAdmin):
    exclude = ["text"]
    list_display = ["id", "thread", "author_role"]
    list_select_related = ["thread"]
