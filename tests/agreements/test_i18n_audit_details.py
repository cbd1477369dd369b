"""Audit details, written once in English, are read in French on French pages; the
new pages of issue 17 (preview, notice, key groups) are in French too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from agreements import audit
from agreements.audit import Action
from agreements.audit_details import DETAILS, detail_display
from agreements.choices import Role
from agreements.models import Site
from tests.conftest import make_user
from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}


@pytest.fixture
def french() -> Iterator[None]:
    with translation.override("fr-ca"):
        yield


@pytest.mark.parametrize(
    ("detail", "shown"),
    [
        ("weights 1/2/1/1/1", "pondérations 1/2/1/1/1"),
        ("wrong second factor", "second facteur erroné"),
        ("manager edition PDF", "PDF, édition gestion"),
        ("research edition PDF (API)", "PDF, édition recherche (API)"),
        ("acknowledged protocol version 3", "prise de connaissance de la version 3 du protocole"),
        ("created: board copy", "lien créé\u00a0: board copy"),
        ("calendar feed created: board copy", "calendrier partagé créé\u00a0: board copy"),
        ("retention: blanked free text older than 365 days",
         "conservation\u00a0: texte libre effacé après 365 jours"),
        ("interaction log CSV with narratives, 4 interactions",
         "journal des interactions en CSV avec récits, 4 interactions"),
        ("account desk-7; PII warnings confirmed: narrative (name)",
         "compte desk-7; avertissements de renseignements personnels confirmés"
         "\u00a0: narrative (name)"),
        ("something nobody wrote before", "something nobody wrote before"),
        ("", ""),
    ],
)  # fmt: skip
def test_known_details_are_read_in_french(french: None, detail: str, shown: str) -> None:
    assert detail_display(detail) == shown


def test_every_known_detail_has_a_french_translation(french: None) -> None:
    for _pattern, message in DETAILS:
        assert translation.gettext(message) != message, message


def test_the_sites_audit_log_shows_details_and_fields_in_french(client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    audit.record(Action.UPDATE, site=site, obj=interaction, fields=["narrative"],
                 detail="interaction log through the API")  # fmt: skip
    client.force_login(make_user(Role.MANAGER, site=site))
    page = client.get(reverse("agreements:site_audit", kwargs={"slug": site.slug}), **FRENCH)
    text = page.content.decode()
    assert "journal des interactions par l’API" in text
    assert "interaction log through the API" not in text
    assert "récit" in text  # the field's French name, not "narrative"


def test_the_network_audit_log_says_its_zones_in_french(client: Any, site: Site) -> None:
    audit.record(Action.VIEW, site=site, detail="network report PDF")
    client.force_login(make_user(Role.ADMIN))
    text = client.get(reverse("agreements:network_audit"), **FRENCH).content.decode()
    assert "Quand (fuseau horaire de chaque site)" in text
    assert "rapport du réseau en PDF" in text


def test_the_weights_preview_is_in_french(client: Any, site: Site) -> None:
    from scoring.rubric import DEFAULT_WEIGHTS
    from tests.page_forms import opened

    client.force_login(make_user(Role.ADMIN))
    data = {**DEFAULT_WEIGHTS, "senior_support": 2, "preview": "1",
            **opened(client, "/weights/")}  # fmt: skip
    text = client.post("/weights/", data, **FRENCH).content.decode()
    assert "Aperçu\u00a0: rien n’est encore enregistré" in text
    assert "Avec ces pondérations" in text
