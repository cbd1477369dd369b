"""`send_checkin_reminders [--dry-run]`: e-mail the check-in reminders that are due.

Meant for cron, as often as you like (hourly is plenty): a reminder is never sent twice.
The rules live in `liaisons.reminders`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaisons.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "E-mail officers about check-ins coming up and managers about check-ins awaiting "
        "an outcome. Safe to run many times a day: nothing is sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        result = send_due_reminders(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for reminder in result.sent:
            self.stdout.write(
                f"{verb} {reminder.kind} reminder to {reminder.recipient}: {reminder.subject}"
            )
        for reminder, error in result.failed:
            self.stderr.write(f"not sent to {reminder.recipient}: {error}")
        self.stdout.write(f"{len(result.sent)} reminder(s) {verb}.")
        if result.failed:
            raise CommandError(
                f"{len(result.failed)} reminder(s) could not be sent; "
                "the next run tries them again."
            )
