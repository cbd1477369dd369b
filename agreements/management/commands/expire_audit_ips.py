"""expire_audit_ips: blank addresses in the audit log after the retention period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from agreements.audit import AuditEntry


class Command(BaseCommand):
    help = (
        "Blank the IP addresses of audit entries older than HR_POLICE_AUDIT_IP_DAYS "
        "(default 90 days). The entries themselves are kept. Run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.HR_POLICE_AUDIT_IP_DAYS
        count = AuditEntry.objects.expire_ips(older_than_days=days)
        self.stdout.write(f"Blanked the address of {count} audit entries older than {days} days.")
