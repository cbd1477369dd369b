"""The reporter's source and consent on every page that handles interactions, and the
site's community oversight setting (issue 19; SPEC §1, §2): managers record and read them,
the share page refuses what the reporter did not agree to, police never learn them, and a
site that opts out withdraws the community role at once."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agreements.audit import Action, AuditEntry
from agreements.choices import Consent, Source
from agreements.models import Interaction, InteractionShare, Site
from agreements.sharing import interaction_share
from mediation.models import SharedThread
from reports.editions import build_report
from tests.conftest import World
from tests.factories import InteractionFactory
from tests.page_forms import opened, page_form

pytestmark = pytest.mark.django_db


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


INTERACTION = {
    "occurred_at": "2026-06-01T14:00",
    "category": "vehicle_in_buffer",
    "distance_band": "buffer",
    "officers_present": "2",
    "impact": "clients_left",
}


# --- the form ---------------------------------------------------------------------------


def test_the_form_asks_who_told_the_site_and_what_they_agreed_to(
    manager_client: Any, site: Site
) -> None:
    html = manager_client.get(url("interactions_create", site)).content.decode()
    details = html.index("<details")
    for name in ("source", "consent"):
        # Essential, above "More details": the quick capture on a phone asks it too.
        assert html.index(f'name="{name}"') < details, name
    assert re.search(r'name="source" value="staff"[^>]* checked', html)
    assert re.search(r'name="consent" value="aggregate"[^>]* checked', html)
    assert html.count('type="radio"') == len(Source.values) + len(Consent.values)
    # What each level means for the person who reported it.
    assert "left out of every figure that leaves the site" in html
    assert "may also be raised with the police liaison" in html
    assert "staff observations usually stay at anonymous totals" in html


def test_a_manager_logs_a_clients_report_kept_at_the_site(manager_client: Any, site: Site) -> None:
    data = {**INTERACTION, "source": "client_reported", "consent": "site_only"}
    assert manager_client.post(url("interactions_create", site), data).status_code == 302
    stored = Interaction.objects.get()
    assert (stored.source, stored.consent) == (Source.CLIENT_REPORTED, Consent.SITE_ONLY)


def test_a_post_without_them_is_a_staff_observation_in_totals(
    manager_client: Any, site: Site
) -> None:
    assert manager_client.post(url("interactions_create", site), INTERACTION).status_code == 302
    stored = Interaction.objects.get()
    assert (stored.source, stored.consent) == (Source.STAFF, Consent.AGGREGATE)


@pytest.mark.parametrize(("field", "value"), [("consent", "everyone"), ("source", "police")])
def test_an_unknown_value_names_the_field_and_saves_nothing(
    manager_client: Any, site: Site, field: str, value: str
) -> None:
    response = manager_client.post(url("interactions_create", site), {**INTERACTION, field: value})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Interaction.objects.exists()


def test_consent_cannot_be_lowered_while_shared(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site, consent=Consent.MEDIATION)
    InteractionShare.objects.create(interaction=interaction, summary="Please raise this.")
    edit = url("interactions_edit", site, pk=interaction.pk)
    data = page_form(manager_client.get(edit).content) | {"consent": "aggregate"}
    response = manager_client.post(edit, data)
    assert response.status_code == 422
    assert "stop sharing it before lowering the reporter" in response.content.decode()
    interaction.refresh_from_db()
    assert interaction.consent == Consent.MEDIATION


def test_an_edit_keeps_what_the_page_shows(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(
        site=site, source=Source.PEER_REPORTED, consent=Consent.SITE_ONLY
    )
    edit = url("interactions_edit", site, pk=interaction.pk)
    data = page_form(manager_client.get(edit).content)
    assert (data["source"], data["consent"]) == ("peer_reported", "site_only")
    assert manager_client.post(edit, data).status_code == 302
    interaction.refresh_from_db()
    assert (interaction.source, interaction.consent) == ("peer_reported", "site_only")


# --- the list and the interaction's page ------------------------------------------------


def test_the_list_shows_source_and_consent_and_filters_by_them(
    manager_client: Any, site: Site, django_assert_max_num_queries: Any
) -> None:
    InteractionFactory(site=site, source=Source.CLIENT_REPORTED, consent=Consent.SITE_ONLY)
    InteractionFactory(site=site, source=Source.STAFF, consent=Consent.AGGREGATE)
    page = manager_client.get(url("interactions_list", site)).content.decode()
    for text in ("Source", "Consent", "Reported by a client", "The site only",
                 "Staff observation", "Counted in anonymous totals"):  # fmt: skip
        assert text in page, text
    filtered = manager_client.get(url("interactions_list", site), {"consent": "site_only"})
    assert [cells[-1].value for _, cells in filtered.context["rows"]] == ["The site only"]
    for _ in range(30):
        InteractionFactory(site=site, source=Source.PEER_REPORTED)
    with django_assert_max_num_queries(12):
        assert manager_client.get(url("interactions_list", site)).status_code == 200


def test_the_interaction_page_says_who_told_and_what_they_agreed_to(
    manager_client: Any, site: Site
) -> None:
    interaction = InteractionFactory(
        site=site, source=Source.CLIENT_REPORTED, consent=Consent.AGGREGATE
    )
    html = manager_client.get(url("interactions_edit", site, pk=interaction.pk)).content.decode()
    assert "Source: Reported by a client. Reporter’s consent: Counted in anonymous totals." in html
    # No share link for what the reporter did not agree to share; the reason instead.
    assert url("interactions_share", site, pk=interaction.pk) not in html
    assert "It can be shared for mediation only if they agree to that." in html


def test_an_interaction_with_mediation_consent_still_offers_the_share(
    manager_client: Any, site: Site
) -> None:
    interaction = InteractionFactory(site=site, consent=Consent.MEDIATION)
    html = manager_client.get(url("interactions_edit", site, pk=interaction.pk)).content.decode()
    assert url("interactions_share", site, pk=interaction.pk) in html
    share = manager_client.get(url("interactions_share", site, pk=interaction.pk))
    assert 'name="summary"' in share.content.decode()


# --- the share page ---------------------------------------------------------------------


@pytest.mark.parametrize("consent", [Consent.SITE_ONLY, Consent.AGGREGATE])
def test_the_share_page_explains_why_it_cannot_share_and_offers_no_button(
    manager_client: Any, site: Site, consent: str
) -> None:
    interaction = InteractionFactory(site=site, consent=consent)
    response = manager_client.get(url("interactions_share", site, pk=interaction.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This interaction cannot be shared with police." in html
    assert "The reporter decides what reaches police." in html
    assert 'name="summary"' not in html
    assert 'type="submit"' not in html[html.index("<main") :]


@pytest.mark.parametrize("summary", ["Cruiser parked by the door twice this week.", ""])
def test_a_share_attempted_anyway_shows_the_models_refusal(
    manager_client: Any, site: Site, summary: str
) -> None:
    interaction = InteractionFactory(site=site, consent=Consent.AGGREGATE)
    share = url("interactions_share", site, pk=interaction.pk)
    response = manager_client.post(share, {"summary": summary, "edit_version": "0"})
    assert response.status_code == 422
    assert "Only an interaction whose reporter agreed to mediation may be shared" in (
        response.content.decode()
    )
    assert not InteractionShare.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.SHARE).exists()


# --- police never learn them ------------------------------------------------------------

# Whatever would tell police who reported an interaction, or what the reporter agreed to.
TELLING = [
    *Source.values, *(str(label) for label in Source.labels),
    # "mediation" itself is how police pages name what is shared with them.
    *(value for value in Consent.values if value != Consent.MEDIATION),
    *(str(label) for label in Consent.labels),
    "consent", "Consent", "Who told the site", "reporter",
]  # fmt: skip


def told(text: str) -> list[str]:
    return [word for word in TELLING if word in text]


@pytest.fixture
def reported(world: World) -> Interaction:
    """A client's own report, agreed to mediation and shared with the liaison."""
    interaction = InteractionFactory(
        site=world.site, source=Source.CLIENT_REPORTED, consent=Consent.MEDIATION
    )
    interaction_share(interaction=interaction, summary="Cruiser parked by the door twice.",
                      actor=world.users["manager"])  # fmt: skip
    return interaction


def test_the_liaisons_pages_never_show_source_or_consent(world: World, reported: Any) -> None:
    liaison = signed_in(world, "liaison")
    thread = SharedThread.objects.get(interaction=reported)
    for language in ("en", "fr"):
        with translation.override(language):
            pages = {
                "shared list": url("shared_interactions", world.site),
                "thread": reverse("mediation:thread", args=[world.site.slug, thread.pk]),
            }
        for name, path in pages.items():
            response = liaison.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, name
            html = response.content.decode()
            assert "Cruiser parked by the door twice." in html or name == "thread"
            assert told(html) == [], (name, language)


def test_the_api_never_tells_police_source_or_consent(world: World, reported: Any) -> None:
    liaison = signed_in(world, "liaison")
    thread = SharedThread.objects.get(interaction=reported)
    base = f"/api/v1/sites/{world.site.slug}/shared"
    for path in (base, f"{base}/{thread.pk}/replies"):
        response = liaison.get(path)
        assert response.status_code == 200, path
        assert told(response.content.decode()) == [], path


def test_the_liaison_edition_never_tells_source_or_consent(world: World, reported: Any) -> None:
    pdf = build_report(world.site, "liaison")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert told(text) == []


# --- the site's community oversight setting -----------------------------------------------


def test_the_site_form_offers_community_oversight_with_its_meaning(
    client: Any, world: World
) -> None:
    client.force_login(world.users["admin"])
    for page in (reverse("agreements:site_create"), url("site_edit", world.site)):
        html = client.get(page).content.decode()
        assert 'name="community_oversight"' in html, page
        assert "may read this site" in html, page
        assert "file peer reports" in html, page


def test_opting_out_withdraws_the_community_role_at_once(world: World) -> None:
    from tests.agreements.test_views import site_data

    community = signed_in(world, "community")
    profile = url("site_profile", world.site)
    protocol = url("liaison_protocol", world.site)
    assert community.get(profile).status_code == 200
    manager = signed_in(world, "manager")
    edit = url("site_edit", world.site)
    data = site_data(world.site) | opened(manager, edit)
    data.pop("community_oversight", None)  # the box unticked
    assert manager.post(edit, data).status_code == 302
    world.site.refresh_from_db()
    assert not world.site.community_oversight
    assert community.get(profile).status_code == 404
    assert community.get(protocol).status_code == 404
    api = community.get(f"/api/v1/sites/{world.site.slug}")
    assert api.status_code == 404
    entry = AuditEntry.objects.filter(action=Action.UPDATE, object_type="site").latest("id")
    assert "community_oversight" in entry.fields


def test_opting_back_in_restores_the_role(world: World) -> None:
    from tests.agreements.test_views import site_data

    world.site.community_oversight = False
    world.site.save(update_fields=["community_oversight"])
    community = signed_in(world, "community")
    assert community.get(url("site_profile", world.site)).status_code == 404
    manager = signed_in(world, "manager")
    edit = url("site_edit", world.site)
    data = site_data(world.site) | opened(manager, edit) | {"community_oversight": "on"}
    assert manager.post(edit, data).status_code == 302
    assert community.get(url("site_profile", world.site)).status_code == 200


def test_a_new_site_takes_community_oversight_from_the_form(client: Any, world: World) -> None:
    from tests.agreements.test_views import site_data

    client.force_login(world.users["admin"])
    data = site_data(world.site) | {
        "name": "Example Harbour Site", "slug": "example-harbour", "community_oversight": "on"
    }  # fmt: skip
    response = client.post(reverse("agreements:site_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Site.objects.get(slug="example-harbour").community_oversight


# --- French ------------------------------------------------------------------------------


def test_the_new_words_are_in_french(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site, consent=Consent.AGGREGATE)
    # The requests activate French in this thread: put the language back afterwards.
    with translation.override(None):
        french = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}
        form = manager_client.get(url("interactions_create", site), **french).content.decode()
        share = manager_client.get(
            url("interactions_share", site, pk=interaction.pk), **french
        ).content.decode()
        listing = manager_client.get(url("interactions_list", site), **french).content.decode()
        edit = manager_client.get(
            url("interactions_edit", site, pk=interaction.pk), **french
        ).content.decode()
    for english in ("Who told the site", "Staff observation", "The site only",
                    "Counted in anonymous totals", "staff observations usually stay"):  # fmt: skip
        assert english not in form, english
    assert "Qui a informé le site" in form
    assert "This interaction cannot be shared with police." not in share
    assert "The reporter decides" not in share
    assert "Reporter’s consent" not in edit
    assert ">Consent<" not in listing
