"""Retention: free text older than the retention period is blanked, structured fields
stay (SPEC §2). Applies to interaction narratives and resolutions, the summaries shared
with liaisons, check-in notes and the texts of peer reports. The audit log never holds
the text itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agreements import audit
from agreements.audit import Action
from agreements.models import Interaction, InteractionShare
from agreements.types import Actor
from peer_reports.models import PeerReport


@dataclass(frozen=True)
class PurgeCounts:
    interactions: int
    shared_summaries: int
    checkin_notes: int
    # The texts of peer reports (issue 19): an entered report's account lives in its
    # interaction; a declined or unreviewed one keeps its own, and its decline reason.
    peer_reports: int = 0

    @property
    def total(self) -> int:
        return self.interactions + self.shared_summaries + self.checkin_notes + self.peer_reports


def cutoff_for(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


_next = F("edit_version") + 1


def purge_narratives(
    *, older_than_days: int, dry_run: bool = False, actor: Actor | str = "purge_narratives"
) -> PurgeCounts:
    """Blank free text of records older than `older_than_days`; with `dry_run`, only count."""
    from liaisons.models import CheckIn

    cutoff = cutoff_for(older_than_days)
    interactions = Interaction.objects.filter(occurred_at__lt=cutoff).exclude(
        narrative="", resolution=""
    )
    shares = InteractionShare.objects.filter(interaction__occurred_at__lt=cutoff).exclude(
        summary=""
    )
    notes = CheckIn.objects.filter(scheduled_start__lt=cutoff).exclude(notes="")
    reports = PeerReport.objects.filter(occurred_at__lt=cutoff).exclude(
        narrative="", decline_reason=""
    )
    if dry_run:
        return PurgeCounts(interactions.count(), shares.count(), notes.count(), reports.count())
    with transaction.atomic():  # the blanking with its audit entry, or neither
        counts = PurgeCounts(
            # The versions move on, so a page opened before the purge cannot save the
            # blanked text back (its save is refused as a concurrent edit).
            interactions.update(narrative="", resolution="", edit_version=_next),
            shares.update(summary="", edit_version=_next),
            notes.update(notes="", edit_version=_next),
            reports.update(narrative="", decline_reason=""),
        )
        if counts.total:
            audit.record(Action.UPDATE, actor=actor,
                         detail=f"retention: blanked free text older than {older_than_days} days",
                         fields=["narrative", "resolution", "summary", "notes",
                                 "decline_reason"])  # fmt: skip
    return counts
