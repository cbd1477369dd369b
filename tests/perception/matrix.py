"""Access-matrix helpers for the self-assessment URLs (tests/test_access_matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse

from agreements.models import Site
from perception.models import SelfAssessmentRound


def matrix_round() -> SelfAssessmentRound:
    """The matrix site's open round, made the first time a row asks for it."""
    site = Site.objects.get(slug="riverside")
    found = SelfAssessmentRound.objects.filter(site=site).first()
    return found or SelfAssessmentRound.objects.create(
        site=site,
        instrument="v1",
        opened_on=site.today(),
        closes_on=site.today() + timedelta(days=30),
    )


def round_url(name: str) -> Any:
    return lambda objects: reverse(name, kwargs={"slug": "riverside", "pk": matrix_round().pk})
