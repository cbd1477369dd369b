"""Audit log, sharing for mediation, secret protocol links (SPEC §2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import CaseInsensitiveMapping

from agreements.audit import AppendOnlyError, AuditEntry
from agreements.choices import Role
from agreements.models import InteractionShare, ProtocolLink, Site
from agreements.secret_tokens import hash_token
from tests.conftest import make_user
from tests.crawl import SECRET_NARRATIVE, SECRET_RESOLUTION, Crawl, Visit
from tests.factories import (
    AssignmentFactory,
    ClauseFactory,
    InteractionFactory,
    OfficerFactory,
    SignedProtocolFactory,
)
from tests.page_forms import opened

pytestmark = pytest.mark.django_db


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


INTERACTION = {
    "occurred_at": "2026-06-01T14:35",
    "category": "vehicle_in_buffer",
    "distance_band": "buffer",
    "officers_present": "2",
    "impact": "none",
    "narrative": SECRET_NARRATIVE,
}


# --- audit log ------------------------------------------------------------------------------


def test_changes_are_audited_with_field_names_never_values(
    manager_client: Any, site: Site, manager: Any
) -> None:
    manager_client.post(url("interactions_create", site), INTERACTION)
    created = AuditEntry.objects.get(action="create", object_type="interaction")
    assert (created.actor, created.site, created.object_type) == (
        manager.username, site.slug, "interaction",
    )  # fmt: skip
    assert "narrative" in created.fields
    interaction = site.interactions.get()
    edit = url("interactions_edit", site, pk=interaction.pk)
    manager_client.post(
        edit,
        {**INTERACTION, "narrative": "Changed wording", "impact": "clients_left",
         **opened(manager_client, edit)},
    )  # fmt: skip
    updated = AuditEntry.objects.get(action="update")
    assert sorted(updated.fields) == ["impact", "narrative"]
    delete = url("interactions_delete", site, pk=interaction.pk)
    manager_client.post(delete, opened(manager_client, delete))
    assert AuditEntry.objects.filter(action="delete", object_id=str(interaction.pk)).exists()
    for entry in AuditEntry.objects.all():
        text = f"{entry.detail} {entry.fields}"
        assert "Narrative-7f3a" not in text
        assert "Changed wording" not in text


def test_opening_an_interaction_is_audited(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    manager_client.get(url("interactions_edit", site, pk=interaction.pk))
    entry = AuditEntry.objects.get(action="view")
    assert entry.object_id == str(interaction.pk)
    assert entry.ip == "127.0.0.1"


def test_sign_ins_sign_outs_and_failures_are_audited(client: Any, site: Site) -> None:
    user = make_user(Role.MANAGER, site=site, username="mira")
    client.post("/accounts/login/", {"username": "mira", "password": "wrong password"})
    client.post(
        "/accounts/login/", {"username": "mira", "password": "correct horse battery staple"}
    )
    client.post("/accounts/logout/")
    signing = AuditEntry.objects.exclude(object_type="user")  # not the account's creation
    actions = list(signing.order_by("id").values_list("action", "actor"))
    assert actions == [("login_failed", "mira"), ("login", "mira"), ("logout", "mira")]
    assert all(e.ip == "127.0.0.1" for e in signing)
    assert user.pk == AuditEntry.objects.get(action="login").actor_id


def test_the_audit_log_is_append_only(site: Site) -> None:
    from agreements import audit

    entry = audit.record("export", site=site, detail="bundle")
    entry.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().detail == "bundle"


def test_the_admin_cannot_change_or_delete_entries(client: Any, site: Site) -> None:
    from agreements import audit

    entry = audit.record("export", site=site)
    client.force_login(make_user(Role.ADMIN))
    change = reverse("admin:agreements_auditentry_change", args=[entry.pk])
    delete = reverse("admin:agreements_auditentry_delete", args=[entry.pk])
    assert client.post(change, {"detail": "x"}).status_code in (403, 302)
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_addresses_are_blanked_after_the_retention_period(site: Site) -> None:
    from agreements import audit

    audit.record("login", ip="10.0.0.1")
    recent = audit.record("login", ip="10.0.0.2")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: recent.at + timedelta(days=91))
        blanked = AuditEntry.objects.expire_ips(older_than_days=90)
    assert blanked == 2
    assert set(AuditEntry.objects.values_list("ip", flat=True)) == {None}


def test_ip_expiry_keeps_recent_addresses(site: Site) -> None:
    from agreements import audit

    audit.record("login", ip="10.0.0.2")
    assert AuditEntry.objects.expire_ips(older_than_days=90) == 0
    assert AuditEntry.objects.get().ip == "10.0.0.2"


def test_managers_see_their_sites_entries_and_admins_all(
    client: Any, manager_client: Any, site: Site, other_site: Site
) -> None:
    from agreements import audit

    audit.record("export", site=site, detail="ours")
    audit.record("export", site=other_site, detail="theirs")
    page = manager_client.get(url("site_audit", site)).content.decode()
    assert "ours" in page
    assert "theirs" not in page
    client.force_login(make_user(Role.ADMIN))
    everything = client.get(reverse("agreements:network_audit")).content.decode()
    assert "ours" in everything
    assert "theirs" in everything
    filtered = client.get(reverse("agreements:network_audit"), {"action": "login"})
    assert "ours" not in filtered.content.decode()


# --- sharing for mediation -----------------------------------------------------------------


@pytest.fixture
def liaison_client(site: Site) -> Any:
    from django.test import Client

    liaison = make_user(Role.LIAISON)
    AssignmentFactory(site=site, officer=OfficerFactory(user=liaison))
    own = Client()  # a browser of its own, beside the manager's
    own.force_login(liaison)
    return own


def test_a_manager_shares_and_the_liaison_sees_only_the_redacted_form(
    manager_client: Any, liaison_client: Any, site: Site, manager: Any
) -> None:
    from django.test import Client

    interaction = InteractionFactory(site=site, narrative=SECRET_NARRATIVE,
                                     resolution=SECRET_RESOLUTION)  # fmt: skip
    manager = Client()
    manager.force_login(make_user(Role.MANAGER, site=site, username="second-manager"))
    share = url("interactions_share", site, pk=interaction.pk)
    response = manager.post(share, {"summary": "Cruiser parked by the door twice this week.",
                                    **opened(manager, share)})  # fmt: skip
    assert response.status_code == 302
    page = liaison_client.get(url("shared_interactions", site)).content.decode()
    assert "Cruiser parked by the door twice this week." in page
    assert "Police vehicle in the buffer" in page
    assert "2026-06-01" in page
    assert "Inside the agreed buffer" in page
    assert SECRET_NARRATIVE not in page
    assert SECRET_RESOLUTION not in page
    assert "second-manager" not in page
    assert AuditEntry.objects.filter(action="share").count() == 1


def test_unsharing_hides_it_again(manager_client: Any, liaison_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    InteractionShare.objects.create(interaction=interaction, summary="Please raise this.")
    manager_client.post(url("interactions_unshare", site, pk=interaction.pk))
    assert (
        "Please raise this."
        not in liaison_client.get(url("shared_interactions", site)).content.decode()
    )
    assert AuditEntry.objects.filter(action="unshare").exists()


def test_a_liaison_cannot_share(liaison_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    response = liaison_client.post(url("interactions_share", site, pk=interaction.pk),
                                   {"summary": "x"})  # fmt: skip
    assert response.status_code == 403
    assert not InteractionShare.objects.exists()


def leaks(visit: Visit, manager_username: str) -> list[str]:
    """What of the unshared interaction (or of who recorded it) an answer shows."""
    page = visit.text()
    secrets = (SECRET_NARRATIVE, SECRET_RESOLUTION, "Surveillance", manager_username)
    return [f"{visit.name} ({visit.language}) shows {s!r}" for s in secrets if s in page]


def test_a_liaison_finds_no_unshared_interaction_data_on_any_page(matrix_crawl: Crawl) -> None:
    """Every URL as the liaison (the walk's interaction URLs point at an unshared
    interaction with secrets in it): nothing of it appears, in either language."""
    visits = matrix_crawl.of(role="liaison")
    problems = [p for v in visits for p in leaks(v, matrix_crawl.usernames["manager"])]
    assert not problems, "\n".join(problems)
    assert len([v for v in visits if v.status == 200]) > 10  # the liaison did reach pages


def test_the_leak_check_finds_a_secret_on_a_page() -> None:
    page = f"<td>{SECRET_NARRATIVE}</td><td>Surveillance</td><td>manager-riverside</td>"
    visit = Visit("x", "liaison", "fr", "/x/", 200, CaseInsensitiveMapping({}), page.encode())
    assert leaks(visit, "manager-riverside") == [
        f"x (fr) shows {SECRET_NARRATIVE!r}",
        "x (fr) shows 'Surveillance'",
        "x (fr) shows 'manager-riverside'",
    ]


# --- secret protocol links -------------------------------------------------------------------


def test_links_are_only_for_sites_without_police_accounts(manager_client: Any, site: Site) -> None:
    response = manager_client.post(url("protocol_links", site), {"label": "Front desk"})
    assert response.status_code == 422
    assert not ProtocolLink.objects.exists()


def test_a_secret_link_shows_the_protocol_until_revoked(
    manager_client: Any, client: Any, site: Site
) -> None:
    from django.test import Client

    site.police_accounts = False
    site.save()
    protocol = SignedProtocolFactory(site=site, version=1)
    ClauseFactory(protocol=protocol, text="No entry during operating hours, ever.")
    response = manager_client.post(url("protocol_links", site), {"label": "Division 52"})
    link_url = response.context["new_url"]
    token = link_url.rstrip("/").rsplit("/", 1)[1]
    link = ProtocolLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert token not in link.token_hash
    anonymous = Client()
    public = anonymous.get(f"/protocol/{token}/")
    assert public.status_code == 200
    assert "No entry during operating hours, ever." in public.content.decode()
    assert public["Referrer-Policy"] == "no-referrer"
    assert AuditEntry.objects.filter(action="view", object_type="protocollink").exists()
    manager_client.post(url("protocol_link_revoke", site, pk=link.pk))
    assert anonymous.get(f"/protocol/{token}/").status_code == 404


def test_a_link_stops_working_when_the_site_accepts_police_accounts(
    client: Any, site: Site
) -> None:
    from agreements.sharing import protocol_link_create

    site.police_accounts = False
    site.save()
    _link, token = protocol_link_create(site=site, label="desk", actor=None)
    assert client.get(f"/protocol/{token}/").status_code == 200
    site.police_accounts = True
    site.save()
    assert client.get(f"/protocol/{token}/").status_code == 404


def test_no_liaison_account_for_an_officer_of_sites_that_refuse_them(
    site: Site, monkeypatch: Any
) -> None:
    from django.core.management import CommandError, call_command

    site.police_accounts = False
    site.save()
    AssignmentFactory(site=site, officer=OfficerFactory(badge_number="7777"))
    monkeypatch.setenv("HR_POLICE_PASSWORD", "a long enough passphrase")
    with pytest.raises(CommandError, match="refuse police accounts"):
        call_command("grant", "constable", "liaison", "--officer", "7777")
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="constable").exists()


# --- the PII guard on every free-text field ---------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "extra"),
    [
        ("interactions", "narrative", INTERACTION),
        ("interactions", "resolution", INTERACTION),
        ("engagements", "summary", {"date": "2026-01-10", "kind": "dialogue"}),
        ("checkins", "notes", {"scheduled_start": "2026-03-10T10:00", "duration_minutes": "60",
                               "format": "meeting", "status": "held"}),
    ],
)  # fmt: skip
def test_forms_refuse_personal_information(
    manager_client: Any, site: Site, kind: str, field: str, extra: dict[str, str]
) -> None:
    text = "Client Jane, DOB 1990-01-02, call 416-555-0123"
    response = manager_client.post(url(f"{kind}_create", site), {**extra, field: text})
    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors[field])
    assert "416-555-0123" in errors
    assert "date of birth" in errors
    assert not AuditEntry.objects.filter(action="create").exclude(object_type="user").exists()


def test_a_shared_summary_is_guarded_too(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    share = url("interactions_share", site, pk=interaction.pk)
    response = manager_client.post(share, {"summary": "Reach her at jane@example.org",
                                           **opened(manager_client, share)})  # fmt: skip
    assert response.status_code == 422
    assert not InteractionShare.objects.exists()


def test_bundle_import_refuses_personal_information() -> None:
    import json
    from pathlib import Path

    from bundles.bundle import BundleError, import_bundle

    example = Path(__file__).resolve().parents[1] / "fixtures/riverside.json"
    data = json.loads(example.read_text())
    data["interactions"][0]["narrative"] = "Stopped a man at 12 Main Street"
    with pytest.raises(BundleError) as caught:
        import_bundle(data)
    message = " ".join(caught.value.messages)
    assert "interactions[0].narrative" in message
    assert "12 Main Street" in message
    assert not Site.objects.filter(slug="riverside").exists()


def test_bundle_exports_and_imports_are_audited(tmp_path: Any) -> None:
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    example = Path(__file__).resolve().parents[1] / "fixtures/riverside.json"
    call_command("import_bundle", str(example), stdout=StringIO())
    call_command("export_bundle", "riverside", "-o", str(tmp_path / "out.json"), stdout=StringIO())
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "actor", "site"))
    assert entries[-2:] == [
        ("import", "import_bundle", "riverside"),
        ("export", "export_bundle", "riverside"),
    ]


def test_researchers_read_past_scores_at_month_ends_only(client: Any, site: Site) -> None:
    client.force_login(make_user(Role.RESEARCHER))
    response = client.get(url("site_score", site), {"as_of": "2024-05-17"})
    assert response.context["card"].as_of.isoformat() == "2024-05-31"
    assert "at the end of complete months" in response.content.decode()


def test_managers_read_any_past_day(manager_client: Any, site: Site) -> None:
    response = manager_client.get(url("site_score", site), {"as_of": "2024-05-17"})
    assert response.context["card"].as_of.isoformat() == "2024-05-17"


def test_the_admin_shows_no_narrative_and_changes_no_interaction(client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site, narrative=SECRET_NARRATIVE)
    client.force_login(make_user(Role.ADMIN))
    page = client.get(reverse("admin:agreements_interaction_change", args=[interaction.pk]))
    assert page.status_code == 200
    assert SECRET_NARRATIVE not in page.content.decode()
    add_share = client.post(reverse("admin:agreements_interactionshare_add"),
                            {"interaction": interaction.pk, "summary": "x"})  # fmt: skip
    assert add_share.status_code == 403
    assert not InteractionShare.objects.exists()


def test_site_settings_changes_reach_the_sites_own_audit_log(
    manager_client: Any, site: Site
) -> None:
    from tests.agreements.test_views import site_data

    data = site_data(site)
    data.pop("police_accounts")
    data |= opened(manager_client, url("site_edit", site))
    manager_client.post(url("site_edit", site), data)
    entry = AuditEntry.objects.get(action="update")
    assert (entry.site, entry.fields) == (site.slug, ["police_accounts"])
    # The page names the field as the form does (its verbose name, in the reader's language).
    assert "police accounts" in manager_client.get(url("site_audit", site)).content.decode()


def test_a_failed_sign_in_never_keeps_what_was_typed_for_an_unknown_user(client: Any) -> None:
    client.post("/accounts/login/", {"username": "hunter2-secret", "password": "x"})
    entry = AuditEntry.objects.get(action="login_failed")
    assert "hunter2" not in f"{entry.actor} {entry.detail}"
