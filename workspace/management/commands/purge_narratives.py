"""purge_narratives [--older-than DAYS] [--dry-run]: blank old free text (SPEC §2)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workspace.retention import purge_narratives


class Command(BaseCommand):
    help = (
        "Blank interaction narratives and resolutions, shared summaries and check-in notes "
        "older than the retention period (HR_POLICE_NARRATIVE_RETENTION_DAYS, default 365 "
        "days); categories, dates and every other structured field stay. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, metavar="DAYS", default=None)
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days is None:
            days = settings.HR_POLICE_NARRATIVE_RETENTION_DAYS
        if days < 1:
            raise CommandError("--older-than: give a number of days of 1 or more.")
        counts = purge_narratives(older_than_days=days, dry_run=options["dry_run"])
        verb = "Would blank" if options["dry_run"] else "Blanked"
        self.stdout.write(
            f"{verb} the free text of {counts.interactions} interactions, "
            f"{counts.shared_summaries} shared summaries and {counts.checkin_notes} "
            f"check-in notes (and {counts.peer_reports} peer reports) older than {days} days."
        )
