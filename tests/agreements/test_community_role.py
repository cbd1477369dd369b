"""The community role (issue 19, SPEC §1): a drug users' union reads its site's profile,
protocol, research figures and transparency report, and nothing else; granted per site,
only where the site opts in. Each test is written as the union's account probing, or as
an operator granting the role."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.invitations import invitation_create
from agreements.access import roles_by_site
from agreements.choices import Category, Consent, LegalBasis, Role
from agreements.models import Interaction, Membership, Site
from agreements.periods import Month
from agreements.research_release import finest_counts
from agreements.sharing import interaction_share
from tests.conftest import World
from tests.factories import ClauseFactory, InteractionFactory, SignedProtocolFactory

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
NARRATIVE = "Cruiser idling beside the loading dock for an hour."
SUMMARY = "Please ask the patrol not to idle by the dock."


def _as(client: Any, user: Any) -> Any:
    client.logout()
    client.force_login(user)
    return client


def _records(world: World) -> Interaction:
    protocol = SignedProtocolFactory(site=world.site)
    ClauseFactory(protocol=protocol, text="No entry during operating hours.")
    interaction = InteractionFactory(site=world.site, narrative=NARRATIVE)
    interaction_share(interaction=interaction, summary=SUMMARY, actor=world.users["manager"])
    return interaction


# --- what the union reads ----------------------------------------------------------------


def test_the_union_reads_its_sites_protocol_figures_and_transparency_report(
    client: Any, world: World
) -> None:
    _records(world)
    client = _as(client, world.users["community"])
    slug = world.site.slug
    protocol = client.get(reverse("agreements:liaison_protocol", kwargs={"slug": slug}))
    assert protocol.status_code == 200
    assert "No entry during operating hours." in protocol.content.decode()
    # Its menu leads to its pages, and to no police or manager page.
    page = protocol.content.decode()
    assert reverse("agreements:site_transparency", kwargs={"slug": slug}) in page
    assert reverse("agreements:shared_interactions", kwargs={"slug": slug}) not in page
    assert (
        reverse("agreements:site_report", kwargs={"slug": slug, "edition": "liaison"}) not in page
    )
    for name in ("site_profile", "site_score", "site_transparency"):
        assert client.get(reverse(f"agreements:{name}", kwargs={"slug": slug})).status_code == 200
    report = reverse("agreements:site_report", kwargs={"slug": slug, "edition": "research"})
    assert client.get(report).status_code == 200


def test_no_page_or_api_answer_the_union_can_read_holds_a_narrative(
    client: Any, world: World
) -> None:
    _records(world)
    client = _as(client, world.users["community"])
    slug = world.site.slug
    urls = [
        reverse("agreements:home"),
        reverse("agreements:dashboard"),
        *(
            reverse(f"agreements:{name}", kwargs={"slug": slug})
            for name in ("site_profile", "liaison_protocol", "site_score", "site_transparency")
        ),
        "/api/v1/sites",
        f"/api/v1/sites/{slug}",
        f"/api/v1/sites/{slug}/score",
        f"/api/v1/sites/{slug}/protocol",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert NARRATIVE not in text, url
        assert SUMMARY not in text, url
        assert "manager-riverside" not in text, url  # who logged or shared anything


@pytest.mark.parametrize(
    "name",
    [
        "site_overview",
        "interactions_list",
        "interactions_create",
        "shared_interactions",
        "liaison_checkins",
        "site_audit",
        "site_exports",
        "site_export_interactions",
        "site_perception",
    ],
)
def test_the_union_is_refused_every_page_about_interactions_or_police(
    client: Any, world: World, name: str
) -> None:
    client = _as(client, world.users["community"])
    response = client.get(reverse(f"agreements:{name}", kwargs={"slug": world.site.slug}))
    assert response.status_code == 403


def test_the_union_cannot_read_a_single_interaction(client: Any, world: World) -> None:
    interaction = _records(world)
    client = _as(client, world.users["community"])
    slug = world.site.slug
    for url in (
        reverse("agreements:interactions_edit", kwargs={"slug": slug, "pk": interaction.pk}),
        f"/api/v1/sites/{slug}/interactions",
        f"/api/v1/sites/{slug}/shared",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert NARRATIVE not in response.content.decode(), url


def test_another_site_does_not_exist_for_the_union(client: Any, world: World) -> None:
    other = world.other_site
    other.community_oversight = True
    other.save()
    SignedProtocolFactory(site=other)
    client = _as(client, world.users["community"])
    for name in ("site_profile", "liaison_protocol", "site_score", "site_transparency"):
        response = client.get(reverse(f"agreements:{name}", kwargs={"slug": other.slug}))
        assert response.status_code == 404, name
    for url in (f"/api/v1/sites/{other.slug}", f"/api/v1/sites/{other.slug}/protocol"):
        assert client.get(url).status_code == 404, url
    assert [s["slug"] for s in client.get("/api/v1/sites").json()["items"]] == ["riverside"]


def test_the_role_ends_the_moment_the_site_opts_out(client: Any, world: World) -> None:
    client = _as(client, world.users["community"])
    url = reverse("agreements:site_profile", kwargs={"slug": world.site.slug})
    assert client.get(url).status_code == 200
    Site.objects.filter(pk=world.site.pk).update(community_oversight=False)
    assert client.get(url).status_code == 404
    assert roles_by_site(world.users["community"]) == {}


# --- research figures: one release, only what reporters agreed to ------------------------


def _log(site: Site, n: int, consent: str, month: int = 5, **fields: Any) -> None:
    when = datetime(2025, month, 3, 12, tzinfo=TORONTO)
    fields.setdefault("category", Category.VEHICLE_IN_BUFFER)
    fields.setdefault("distance_band", "buffer")
    Interaction.objects.bulk_create(
        Interaction(site=site, occurred_at=when, consent=consent, **fields) for _ in range(n)
    )


def test_the_research_release_counts_no_site_only_report(world: World) -> None:
    _log(world.site, 12, Consent.AGGREGATE)
    _log(world.site, 3, Consent.MEDIATION)
    _log(world.site, 7, Consent.SITE_ONLY)
    counts = finest_counts([world.site], Month(2025, 5), Month(2025, 5))[world.site.id]
    assert sum(counts.values()) == 15


def test_researchers_and_the_union_read_counts_without_site_only_reports(
    client: Any, world: World
) -> None:
    # 12 released + 30 kept to the site: a researcher reading 42 would learn of the 30.
    _log(world.site, 12, Consent.AGGREGATE)
    _log(world.site, 30, Consent.SITE_ONLY)
    with time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=TORONTO), tick=False):
        for role in ("researcher", "community"):
            response = _as(client, world.users[role]).get(
                "/api/v1/exports/interactions.csv", {"from": "2025-05", "to": "2025-05"}
            )
            assert response.status_code == 200, role
            lines = response.content.decode("utf-8-sig").splitlines()
            row = next(line for line in lines if line.startswith("riverside,"))
            assert row.split(",")[-1] == "12", role


def test_the_transparency_page_prints_the_suppressed_release(client: Any, world: World) -> None:
    info = {"category": Category.INFORMATION_REQUEST, "disclosed": False}
    _log(world.site, 30, Consent.AGGREGATE, month=2, legal_basis=LegalBasis.WARRANT, **info)
    _log(world.site, 50, Consent.SITE_ONLY, month=8, legal_basis=LegalBasis.NONE, **info)
    url = reverse("agreements:site_transparency", kwargs={"slug": world.site.slug})
    with time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=TORONTO), tick=False):
        page = _as(client, world.users["community"]).get(url, {"year": "2025"})
        text = page.content.decode()
        assert page.status_code == 200
        assert text.count(">30<") == 4  # the cell, its quarter, its column, the year
        # The site-only requests stay at the site: nothing of them, not even a total.
        assert ">50<" not in text
        assert ">80<" not in text
        _log(world.site, 3, Consent.AGGREGATE, month=5, legal_basis=LegalBasis.NONE, **info)
        text = _as(client, world.users["community"]).get(url, {"year": "2025"}).content.decode()
        assert "&lt;10" in text  # 3 requests without a legal basis: a small count
        assert ">3<" not in text


def test_the_transparency_page_names_a_bad_year_and_changes_nothing(
    client: Any, world: World
) -> None:
    url = reverse("agreements:site_transparency", kwargs={"slug": world.site.slug})
    with time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=TORONTO), tick=False):
        page = _as(client, world.users["community"]).get(url, {"year": "2026"})
    assert page.status_code == 400
    assert "Year: choose one of the years listed" in page.content.decode()


def test_an_interaction_without_mediation_consent_cannot_be_shared(world: World) -> None:
    from django.core.exceptions import ValidationError

    interaction = InteractionFactory(site=world.site, consent=Consent.AGGREGATE)
    with pytest.raises(ValidationError, match="agreed to mediation"):
        interaction_share(interaction=interaction, summary=SUMMARY, actor=world.users["manager"])
    assert not hasattr(Interaction.objects.get(pk=interaction.pk), "share")


def test_consent_cannot_be_lowered_while_shared(world: World) -> None:
    from django.core.exceptions import ValidationError

    interaction = _records(world)
    interaction.consent = Consent.AGGREGATE
    with pytest.raises(ValidationError) as raised:
        interaction.full_clean()
    assert "consent" in raised.value.message_dict


def test_staff_observations_default_to_aggregate_consent(world: World) -> None:
    interaction = Interaction(site=world.site)
    assert (interaction.source, interaction.consent) == ("staff", "aggregate")


# --- granting the role -------------------------------------------------------------------


def test_grant_gives_the_role_at_a_site_that_opts_in(world: World, monkeypatch: Any) -> None:
    monkeypatch.setenv("HR_POLICE_PASSWORD", "a-long-union-passphrase-2026")
    out = io.StringIO()
    call_command("grant", "union-desk", "community", "--site", "riverside", stdout=out)
    assert "union-desk: community for riverside" in out.getvalue()
    assert Membership.objects.filter(
        user__username="union-desk", role=Role.COMMUNITY, site=world.site
    ).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name them with --site"),
        (("--site", "eastside"), "not opted in to community oversight: eastside"),
    ],
)
def test_grant_refuses_a_community_role_without_an_opted_in_site(
    world: World, monkeypatch: Any, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.setenv("HR_POLICE_PASSWORD", "a-long-union-passphrase-2026")
    with pytest.raises(CommandError, match=message):
        call_command("grant", "union-desk", "community", *args)
    assert not Membership.objects.filter(user__username="union-desk").exists()


def test_a_manager_invites_the_union_to_a_site_that_opts_in(world: World) -> None:
    from django.core.exceptions import ValidationError

    manager = world.users["manager"]
    invitation = invitation_create(
        actor=manager, email="desk@union.example", role=Role.COMMUNITY, sites=[world.site],
        accept_url=lambda token: f"https://hr-police.example/accept/{token}/",
    )  # fmt: skip
    assert invitation.role == Role.COMMUNITY
    world.site.community_oversight = False
    world.site.save()
    with pytest.raises(ValidationError, match="not opted in"):
        invitation_create(
            actor=manager, email="other@union.example", role=Role.COMMUNITY, sites=[world.site],
            accept_url=lambda token: f"https://hr-police.example/accept/{token}/",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value"),
    [("consent", Consent.AGGREGATE), ("consent", Consent.MEDIATION), ("source", "staff")],
)
def test_nobody_widens_a_peer_reporters_consent(world: World, field: str, value: str) -> None:
    from django.core.exceptions import ValidationError

    interaction = InteractionFactory(
        site=world.site, source="peer_reported", consent=Consent.SITE_ONLY
    )
    setattr(interaction, field, value)
    with pytest.raises(ValidationError) as raised:
        interaction.full_clean()
    assert field in raised.value.message_dict
    stored = Interaction.objects.get(pk=interaction.pk)
    assert (stored.source, stored.consent) == ("peer_reported", "site_only")


def test_a_staff_observations_consent_may_change(world: World) -> None:
    interaction = InteractionFactory(site=world.site, consent=Consent.AGGREGATE)
    interaction.consent = Consent.MEDIATION
    interaction.full_clean()
