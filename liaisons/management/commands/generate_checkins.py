"""generate_checkins: extend every active schedule's occurrences (meant for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from liaisons.models import CheckInSchedule
from liaisons.services import schedule_generate


class Command(BaseCommand):
    help = (
        "Create the check-ins that active schedules give over the coming months "
        "(HR_POLICE_SCHEDULE_MONTHS_AHEAD, default 6). Idempotent: run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=None, help="How far ahead.")

    def handle(self, *args: Any, **options: Any) -> None:
        active = CheckInSchedule.objects.filter(
            Q(end__isnull=True) | Q(end__gte=timezone.localdate())
        ).select_related("site")
        created = removed = 0
        for schedule in active:
            counts = schedule_generate(
                schedule=schedule, months=options["months"], actor="generate_checkins"
            )
            created += counts.created
            removed += counts.removed
        self.stdout.write(f"Created {created} check-ins and removed {removed} no longer due.")
