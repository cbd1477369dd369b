"""Access-matrix helpers for the peer-report URLs (tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse

from agreements.models import Site
from peer_reports.models import PeerReport
from tests.peer_reports.helpers import file


def matrix_report() -> PeerReport:
    """A report awaiting review at the matrix site, filed by its community body the first
    time a row asks for it."""
    site = Site.objects.get(slug="riverside")
    found = PeerReport.objects.filter(site=site).first()
    if found is not None:
        return found
    return file(site, User.objects.get(username="community-riverside"))[0]


def report_url(name: str) -> Any:
    return lambda objects: reverse(name, kwargs={"slug": "riverside", "pk": matrix_report().pk})
