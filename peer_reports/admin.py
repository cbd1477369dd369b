"""Peer reports are read-only in the Django admin: the community's form, the review page
and the API write them through peer_reports/services.py. Their texts are not shown here,
nor who filed them."""

from django.contrib import admin

from agreements.admin_base import ReadOnlyAdmin
from peer_reports.models import PeerReport


@admin.register(PeerReport)
class PeerReportAdmin(ReadOnlyAdmin):
    exclude = ["narrative", "decline_reason", "code_hash"]
    list_display = ["id", "site", "status", "decision"]
    list_filter = ["status", "decision"]
    list_select_related = ["site"]
