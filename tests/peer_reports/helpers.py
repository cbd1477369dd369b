"""Peer reports around the `world` of tests/conftest.py (riverside opts in to community
oversight; its union holds the community role there)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agreements.choices import Consent, DistanceBand
from agreements.models import Site
from peer_reports.models import PeerReport
from peer_reports.services import peer_report_file
from tests.factories import TORONTO

# Texts the guard lets through: they describe police, never anyone else.
NARRATIVE = "Narrative-peer-3e1f: two officers stood at the door and turned people away."
# A passage the guard warns about (it may describe a client), and one it refuses.
WARNED = "A man with a neck tattoo who sleeps in the blue tent was searched."
REFUSED = "Call 416-555-0199 to follow up."

WHEN = datetime(2026, 6, 1, 14, 37, tzinfo=TORONTO)


def file(
    site: Site,
    actor: Any,
    *,
    consent: str = Consent.AGGREGATE,
    narrative: str = NARRATIVE,
    **fields: Any,
) -> tuple[PeerReport, str]:
    """File a report through the service, as the site's community body does."""
    values: dict[str, Any] = {
        "occurred_at": WHEN,
        "category": "stationed_in_buffer",
        "distance_band": DistanceBand.ENTRANCE,
        "officers_present": 2,
        "narrative": narrative,
        "consent": consent,
        **fields,
    }
    return peer_report_file(report=PeerReport(site=site, **values), actor=actor)
