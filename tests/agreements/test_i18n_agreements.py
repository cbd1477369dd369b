"""Managers who read French get agreements' forms, refusals, messages and record lists in
Quebec French; English stays the default.

The French text comes from the fr_CA catalog (`locale/parts/i18n-agreements.po`, merged
into `locale/fr_CA/LC_MESSAGES/django.po` and compiled), so these tests need the merged,
compiled catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from agreements.models import Interaction, Site
from privacy.pii import check_free_text
from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
# The browser asks for French; the override covers code that runs outside a request.
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}

INTERACTION = {
    "occurred_at": "2026-06-01T14:35",
    "category": "vehicle_in_buffer",
    "distance_band": "buffer",
    "officers_present": "2",
    "vehicle_present": "on",
    "impact": "clients_left",
    "narrative": "Cruiser idled across from the door for forty minutes.",
}


@pytest.fixture
def french() -> Iterator[None]:
    with translation.override("fr-ca"):
        yield


def form_labels(page: str) -> list[str]:
    """The text of every field label, without the required-field asterisk."""
    found = re.findall(r"<label[^>]*>(.*?)(?:<span|</label>)", page, re.S)
    return [re.sub(r"[ \n]+", " ", text).strip(" \n") for text in found]  # NBSP kept


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


def test_the_interaction_form_has_french_labels_help_and_choices(
    manager_client: Any, site: Site, french: None
) -> None:
    response = manager_client.get(url("interactions_create", site), **FRENCH)
    page = response.content.decode()
    assert response.status_code == 200
    labels = form_labels(page)
    assert f"Quand (heure locale{NBSP}; les minutes sont retirées)" in labels
    assert {"Catégorie", "Répercussion", "Fondement juridique", "Matricules"} <= set(labels)
    assert "Entrée sans invitation" in page  # a category choice
    assert "Ne décrivez et ne nommez jamais les usagers." in page  # the narrative's help
    assert "Uninvited entry" not in page


def test_a_refused_interaction_explains_itself_in_french(
    manager_client: Any, site: Site, french: None
) -> None:
    data = {
        **INTERACTION,
        "category": "information_request",
        "narrative": "Officer asked for the client's cell 416-555-0123.",
    }
    response = manager_client.post(url("interactions_create", site), data, **FRENCH)
    page = response.content.decode()
    assert response.status_code == 422
    assert f"Retirez le numéro de téléphone «{NBSP}416-555-0123{NBSP}»{NBSP}:" in page
    assert "Indiquez si quelque chose a été divulgué." in page
    assert not Interaction.objects.exists()


def test_the_privacy_guard_refuses_in_french_and_keeps_its_code(french: None) -> None:
    with pytest.raises(ValidationError) as caught:
        check_free_text("Client born 1990-01-02.")
    [error] = caught.value.error_list
    assert error.code == "pii"
    assert str(error.message).startswith(f"Retirez la date de naissance «{NBSP}1990-01-02")
    assert str(error.message).endswith("sont acceptées, mais pas les dates de naissance.")


def test_saving_a_record_says_so_in_french(manager_client: Any, site: Site, french: None) -> None:
    response = manager_client.post(url("interactions_create", site), INTERACTION, **FRENCH)
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(f"La fiche «{NBSP}")
    assert message.endswith(f"{NBSP}» (interaction avec la police) a été enregistrée.")


def test_a_record_list_has_french_column_headings_and_title(
    manager_client: Any, site: Site, french: None
) -> None:
    InteractionFactory(site=site)
    response = manager_client.get(url("interactions_list", site), **FRENCH)
    page = response.content.decode()
    assert response.status_code == 200
    for heading in ("Quand", "Manquement", "Catégorie", "Où", "Répercussion"):
        assert f">{heading}</th>" in page
    assert "Interactions avec la police" in page
    assert {"Catégorie", "Distance", "Manquement", "Du", "Au", "Trier par"} <= set(
        form_labels(page)
    )
    assert "Police vehicle in the buffer" not in page
    assert "Véhicule de police dans la zone tampon" in page


def test_english_stays_the_default(manager_client: Any, site: Site) -> None:
    InteractionFactory(site=site)
    page = manager_client.get(url("interactions_list", site)).content.decode()
    assert ">Category</th>" in page
    assert "Police vehicle in the buffer" in page


def test_the_migrations_hold_the_translatable_model_and_field_names() -> None:
    # The names are `verbose_name=` arguments of the models, so a label changed without
    # its migration fails here (and in CI's `makemigrations --check`).
    call_command("makemigrations", "agreements", "liaisons", check=True, dry_run=True, verbosity=0)
