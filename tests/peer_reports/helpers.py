"""Peer reports around the `world` of tests/conftest.py (riverside opts in to community
oversight; its union holds the community role there)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.test import Client

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


# The filing page, the page that shows the code, and a complete form for them.
FILE_URL = "/sites/riverside/peer-reports/new/"
FILED_URL = "/sites/riverside/peer-reports/filed/"
FORM = {
    "category": "stationed_in_buffer",
    "day": "2026-06-01",
    "hour": "14",
    "distance_band": "entrance",
    "officers_present": "2",
    "impact": "clients_left",
    "narrative": NARRATIVE,
    "consent": "mediation",
}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
