"""French (fr-CA) in scores and reports: the scorecard's explanations, the PDF editions
and their language tag, the network report made for a French-speaking requester, and
the API, which stays English whatever the caller's language."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agreements.choices import Role
from agreements.models import ReportJob, Site
from agreements.templatetags.hr_police import label
from reports.editions import build_report
from reports.network import network_job_create
from scoring import rubric as scoring
from scoring.charts import Point, score_trend
from tests.conftest import make_user
from tests.factories import (
    AssignmentFactory,
    EngagementFactory,
    InteractionFactory,
    SignedProtocolFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language_afterwards() -> Iterator[None]:
    """LocaleMiddleware leaves the language of the last request active in this thread:
    the tests that follow expect English."""
    yield
    translation.deactivate()


AS_OF = date(2026, 6, 30)
INPUTS = scoring.SiteInputs(
    slug="riverside",
    opened_on=date(2025, 1, 15),
    engagements=(scoring.Engagement(1, date(2024, 3, 1), "dialogue"),),
    statements=(scoring.Statement(2, date(2025, 9, 1), "deputy_chief", "support", "letter"),),
    interactions=(
        scoring.Interaction(3, date(2026, 6, 1), "uninvited_entry", False, "inside", "none"),
    ),
    protocols=(
        scoring.Protocol(
            4, 2, "negotiating", date(2026, 1, 1), None, None, None, frozenset({"notification"})
        ),
    ),
)


def evidence(card: scoring.Scorecard) -> list[str]:
    return [c.evidence for f in card.factors for c in f.criteria]


def test_the_scorecard_explains_itself_in_french() -> None:
    english = scoring.score(INPUTS, AS_OF)
    with translation.override("fr-ca"):
        french = scoring.score(INPUTS, AS_OF)
    assert french.total == english.total  # the numbers never depend on the language
    said = evidence(french)
    assert (
        "Première activité de concertation (dialogue) le 2024-03-01, "
        "320 jours avant l’ouverture (2025-01-15)." in said
    )
    assert (
        "Appui de la direction (chef adjoint) le 2025-09-01 (au cours des 730 derniers jours)."
        in said
    )
    assert "1 manquement au cours des 90 derniers jours." in said
    assert "Aucune version en vigueur\u00a0; la version 2 est en négociation." in said
    coverage = french.factor("entry_presence_agreement").criteria[1]
    assert "règlement des différends" in coverage.to_meet
    assert "No engagement" not in " ".join(said)
    # The API's keys stay as they are.
    assert [f.key for f in french.factors] == list(scoring.FACTOR_KEYS)
    assert french.band == english.band == "at_risk"


def test_english_explanations_are_unchanged_by_translation() -> None:
    card = scoring.score(INPUTS, AS_OF)
    assert "First engagement (dialogue) on 2024-03-01, 320 days before opening (2025-01-15)." in (
        evidence(card)
    )


def test_factor_criteria_and_bands_have_french_names() -> None:
    with translation.override("fr-ca"):
        assert label("early_engagement") == "Concertation précoce"
        assert label("at_risk") == "À risque"
        assert label("unknown_key") == "Unknown key"
    assert label("at_risk") == "At risk"


def test_a_chart_describes_itself_with_a_decimal_comma() -> None:
    points = [Point(date(2026, 5, 31), 62.5), Point(date(2026, 6, 30), 75.0)]
    with translation.override("fr-ca"):
        svg = score_trend(points, title="Score", chart_id="t")
    assert "De 62,5 le 2026-05-31 à 75,0 le 2026-06-30" in svg
    assert "en développement ≥ 60" in svg


@pytest.fixture
def reported_site(site: Site) -> Site:
    EngagementFactory(site=site, date=date(2019, 3, 2))
    SignedProtocolFactory(site=site, version=1, review_by=date(2030, 1, 1))
    AssignmentFactory(site=site)
    now = datetime.combine(site.today() - timedelta(days=3), time(12), tzinfo=site.tz)
    InteractionFactory(site=site, occurred_at=now, category="vehicle_in_buffer")
    return site


def pdf_text_and_language(pdf: bytes) -> tuple[str, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return text, str(reader.trailer["/Root"]["/Lang"])


def test_a_pdf_edition_is_made_in_french_and_tagged_fr_ca(reported_site: Site) -> None:
    with translation.override("fr-ca"):
        text, language = pdf_text_and_language(build_report(reported_site, "liaison"))
    assert language == "fr-CA"
    assert "Édition des agents de liaison" in text
    assert "Un agent de liaison principal est affecté depuis le" in text
    english, language = pdf_text_and_language(build_report(reported_site, "liaison"))
    assert language == "en-CA"
    assert "A primary liaison is assigned since" in english


def test_the_network_report_follows_its_requesters_language(reported_site: Site) -> None:
    admin = make_user(Role.ADMIN)
    with translation.override("fr-ca"):
        job = network_job_create(user=admin, as_of=reported_site.today())
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.message == "Prêt à télécharger"
    with job.file.open("rb") as pdf:
        assert pdf_text_and_language(pdf.read())[1] == "fr-CA"
    # A runner has no request: the language travels with the job.
    assert job.language == "fr-ca"


def test_the_api_score_stays_english_for_a_french_caller(client: Client, site: Site) -> None:
    EngagementFactory(site=site, date=date(2019, 3, 2))
    client.force_login(make_user(Role.MANAGER, site=site))
    french = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}
    response = client.get(f"/api/v1/sites/{site.slug}/score", **french)
    assert response.status_code == 200
    said = [c["evidence"] for f in response.json()["factors"] for c in f["criteria"]]
    assert any(s.startswith("First engagement (dialogue) on 2019-03-02") for s in said)
    assert response["Content-Language"] == "en-ca"
    # The same caller's page is French: the header did change the language.
    page = client.get(reverse("agreements:site_score", kwargs={"slug": site.slug}), **french)
    assert "Première activité de concertation (dialogue) le 2019-03-02" in (page.content.decode())


def test_api_errors_stay_english_for_a_french_caller(client: Client, site: Any) -> None:
    client.force_login(make_user(Role.MANAGER, site=site))
    response = client.get("/api/v1/sites/nowhere/score", HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
