"""The People pages and the invitation link, through the views."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import grants
from accounts.invitations import invitation_create
from accounts.models import Invitation, InvitationState
from agreements.access import roles_by_site
from agreements.audit import AuditEntry
from agreements.choices import Role
from agreements.models import Membership
from tests.conftest import World, make_user
from tests.factories import AssignmentFactory, OfficerFactory, UserFactory

PASSWORD = "a long and unusual passphrase 42"


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def people_url(slug: str = "riverside") -> str:
    return reverse("site_people", kwargs={"slug": slug})


def link_in_last_email() -> str:
    found = re.search(r"https?://[^/]+(/accounts/invitation/[A-Za-z0-9_-]+/)", mail.outbox[-1].body)
    assert found is not None
    return found[1]


def pending(world: World, email: str = "new.colleague@example.org", **kwargs: Any) -> Invitation:
    kwargs.setdefault("sites", [world.site])
    return invitation_create(
        email=email,
        role=kwargs.pop("role", Role.MANAGER),
        actor=kwargs.pop("actor", world.users["manager"]),
        accept_url=lambda token: f"http://testserver/accounts/invitation/{token}/",
        **kwargs,
    )


@pytest.fixture(autouse=True)
def empty_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


# --- a site's People page -------------------------------------------------------------------


def test_a_manager_invites_a_manager_from_the_site_page(world: World) -> None:
    client = signed_in(world.users["manager"])
    response = client.post(
        people_url(), {"email": "new.colleague@example.org", "role": "manager"}, follow=True
    )
    assert response.status_code == 200
    assert "An invitation was sent to new.colleague@example.org" in response.text
    assert "new.colleague@example.org" in response.text  # listed as pending
    invitation = Invitation.objects.get()
    assert (invitation.role, list(invitation.sites.all())) == ("manager", [world.site])
    assert invitation.invited_by == world.users["manager"]
    assert link_in_last_email()


def test_the_site_page_offers_managers_only_site_roles(world: World) -> None:
    client = signed_in(world.users["manager"])
    page = client.get(people_url()).text
    assert 'value="manager"' in page
    assert 'value="liaison"' in page
    assert 'value="admin"' not in page
    assert 'value="researcher"' not in page
    response = client.post(people_url(), {"email": "x@example.org", "role": "admin"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_the_officer_choice_lists_the_site_roster_without_linked_officers(world: World) -> None:
    free = OfficerFactory(name="Officer Roster", badge_number="5101")
    AssignmentFactory(officer=free, site=world.site, start=world.site.today())
    elsewhere = OfficerFactory(name="Officer Elsewhere", badge_number="5102")
    AssignmentFactory(officer=elsewhere, site=world.other_site, start=world.site.today())
    page = signed_in(world.users["manager"]).get(people_url()).text
    assert "Officer Roster" in page
    assert "Officer Elsewhere" not in page
    linked = world.users["liaison"].liaison_officer
    assert f'<option value="{linked.pk}"' not in page  # listed among accounts, not offered
    response = signed_in(world.users["manager"]).post(
        people_url(), {"email": "officer@example.org", "role": "liaison", "officer": linked.pk}
    )
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_a_liaison_invitation_without_an_officer_says_so(world: World) -> None:
    response = signed_in(world.users["manager"]).post(
        people_url(), {"email": "officer@example.org", "role": "liaison"}
    )
    assert response.status_code == 422
    assert "Choose the officer this account is for." in response.text


def test_the_site_page_lists_roles_and_linked_officers(world: World) -> None:
    page = signed_in(world.users["manager"]).get(people_url()).text
    assert "manager-riverside" in page
    assert "liaison-all" in page  # the roster's officer with an account
    assert "manager-eastside" not in page


def test_revoking_from_the_site_page(world: World) -> None:
    invitation = pending(world)
    url = reverse("site_invitation_revoke", kwargs={"slug": "riverside", "pk": invitation.pk})
    assert signed_in(world.users["manager"]).post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.state() == InvitationState.REVOKED


def test_another_sites_manager_cannot_revoke_through_either_site(world: World) -> None:
    invitation = pending(world)
    other = signed_in(world.users["other_manager"])
    for slug in ("riverside", "eastside"):
        url = reverse("site_invitation_revoke", kwargs={"slug": slug, "pk": invitation.pk})
        assert other.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state() == InvitationState.PENDING


def test_a_manager_cannot_end_a_role_at_another_site_through_their_own(world: World) -> None:
    theirs = Membership.objects.get(user=world.users["other_manager"])
    url = reverse("site_membership_end", kwargs={"slug": "riverside", "pk": theirs.pk})
    assert signed_in(world.users["manager"]).post(url).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_removing_access_from_the_site_page(world: World) -> None:
    second = make_user(Role.MANAGER, site=world.site, username="second-manager")
    role = Membership.objects.get(user=second)
    client = signed_in(world.users["manager"])
    url = reverse("site_membership_end", kwargs={"slug": "riverside", "pk": role.pk})
    response = client.post(url, follow=True)
    assert "second-manager no longer has the role Site manager here." in response.text
    assert not Membership.objects.filter(pk=role.pk).exists()


def test_a_manager_does_not_remove_themselves(world: World) -> None:
    own = Membership.objects.get(user=world.users["manager"])
    client = signed_in(world.users["manager"])
    page = client.get(people_url()).text
    own_url = reverse("site_membership_end", kwargs={"slug": "riverside", "pk": own.pk})
    assert own_url not in page  # no button for one's own role
    response = client.post(own_url, follow=True)
    assert "You cannot remove your own access here" in response.text
    assert Membership.objects.filter(pk=own.pk).exists()


def test_unlinking_an_officer_from_the_site_page(world: World) -> None:
    officer = world.users["liaison"].liaison_officer
    url = reverse("site_officer_unlink", kwargs={"slug": "riverside", "pk": officer.pk})
    assert signed_in(world.users["manager"]).post(url).status_code == 302
    officer.refresh_from_db()
    assert officer.user is None


def test_an_officer_serving_another_site_is_unlinked_only_by_who_manages_both(
    world: World,
) -> None:
    officer = world.users["liaison"].liaison_officer
    AssignmentFactory(officer=officer, site=world.other_site, start=world.site.today())
    url = reverse("site_officer_unlink", kwargs={"slug": "riverside", "pk": officer.pk})
    assert signed_in(world.users["manager"]).post(url).status_code == 403
    officer.refresh_from_db()
    assert officer.user is not None
    assert signed_in(world.users["admin"]).post(url).status_code == 302


def test_the_site_page_does_not_grow_with_people(world: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(people_url()).status_code == 200
        return len(captured)

    client = signed_in(world.users["manager"])
    pending(world, email="first@example.org")
    small = count()
    for n in range(15):
        make_user(Role.MANAGER, site=world.site, username=f"manager-{n}")
        pending(world, email=f"person{n}@example.org")
        officer = OfficerFactory(user=UserFactory(), registered_for=world.site)
        AssignmentFactory(officer=officer, site=world.site, start=world.site.today())
    assert count() == small


# --- the network's People page --------------------------------------------------------------


def test_an_admin_invites_a_researcher_from_the_network_page(world: World) -> None:
    client = signed_in(world.users["admin"])
    response = client.post(
        reverse("network_people"),
        {"action": "invite", "email": "reader@example.org", "role": "researcher"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().role == "researcher"
    assert "reader@example.org" in client.get(reverse("network_people")).text


def test_an_admin_gives_an_existing_account_a_role(world: World) -> None:
    client = signed_in(world.users["admin"])
    researcher = world.users["researcher"]
    response = client.post(
        reverse("network_people"),
        {"action": "grant", "grant-user": researcher.pk, "grant-role": "manager",
         "grant-site": world.other_site.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert Membership.objects.filter(user=researcher, role="manager", site=world.other_site)
    refused = client.post(
        reverse("network_people"),
        {"action": "grant", "grant-user": researcher.pk, "grant-role": "manager"},
    )
    assert refused.status_code == 422
    assert "A manager belongs to named sites." in refused.text


def test_an_admin_deactivates_and_reactivates_an_account(world: World) -> None:
    client = signed_in(world.users["admin"])
    manager = world.users["manager"]
    url = reverse("user_active", kwargs={"pk": manager.pk})
    assert client.post(url, {"active": "0"}).status_code == 302
    manager.refresh_from_db()
    assert not manager.is_active
    # Their session no longer opens anything.
    assert signed_in(world.users["admin"]).get(people_url()).status_code == 200
    assert client.post(url, {"active": "1"}).status_code == 302
    manager.refresh_from_db()
    assert manager.is_active


def test_a_deactivated_account_is_signed_out(world: World) -> None:
    manager = world.users["manager"]
    theirs = signed_in(manager)
    assert theirs.get(people_url()).status_code == 200
    signed_in(world.users["admin"]).post(reverse("user_active", kwargs={"pk": manager.pk}))
    assert theirs.get(people_url()).status_code == 302  # to the sign-in page


def test_the_network_page_lists_roles_per_site(world: World) -> None:
    page = signed_in(world.users["admin"]).get(reverse("network_people")).text
    assert "manager-riverside" in page
    assert "Riverside Health Hub" in page
    assert "manager-eastside" in page
    assert "Eastside Site" in page


def test_the_network_page_does_not_grow_with_people(world: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("network_people")).status_code == 200
        return len(captured)

    client = signed_in(world.users["admin"])
    pending(world, email="first@example.org", actor=world.users["admin"])
    small = count()
    for n in range(15):
        make_user(Role.MANAGER, site=world.site, username=f"manager-{n}")
        pending(world, email=f"person{n}@example.org", actor=world.users["admin"])
        OfficerFactory(user=UserFactory(), registered_for=world.site)
    assert count() == small


# --- the invitation link ---------------------------------------------------------------------


def test_the_link_shows_who_invited_and_for_what(world: World) -> None:
    pending(world)
    page = Client().get(link_in_last_email())
    assert page.status_code == 200
    assert "manager-riverside invited you to hr_police as Site manager" in page.text
    assert "Riverside Health Hub" in page.text
    assert 'value="new.colleague"' in page.text  # the user name suggested from the e-mail
    assert page["Referrer-Policy"] == "same-origin"  # no-referrer would send "Origin: null"


def test_accepting_signs_in_and_sends_to_the_two_factor_setup(world: World, settings: Any) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    pending(world)
    client = Client()
    response = client.post(
        link_in_last_email(),
        {"username": "new-colleague", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/?next=%2Fsites%2Friverside%2F"
    setup = client.get(response["Location"])
    assert setup.status_code == 200
    assert "Set up two-factor sign-in" in setup.text
    user = User.objects.get(username="new-colleague")
    assert roles_by_site(user) == {world.site.pk: frozenset({Role.MANAGER})}
    # Without the second factor, the site stays closed.
    assert client.get("/sites/riverside/").status_code == 302


def test_accepting_without_two_factor_required_opens_the_site(world: World) -> None:
    pending(world)
    client = Client()
    response = client.post(
        link_in_last_email(),
        {"username": "new-colleague", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/sites/riverside/"
    assert "Riverside Health Hub" in response.text


def test_mismatched_or_weak_passwords_keep_the_link_usable(world: World) -> None:
    pending(world)
    link = link_in_last_email()
    client = Client()
    differ = client.post(
        link, {"username": "new-colleague", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert differ.status_code == 422
    assert "The two passwords differ." in differ.text
    weak = client.post(link, {"username": "new-colleague", "password1": "password",
                              "password2": "password"})  # fmt: skip
    assert weak.status_code == 422
    assert "This password is too common." in weak.text
    taken = client.post(link, {"username": "manager-riverside", "password1": PASSWORD,
                               "password2": PASSWORD})  # fmt: skip
    assert taken.status_code == 422
    assert "already exists" in taken.text
    assert not User.objects.filter(username="new-colleague").exists()
    assert Invitation.objects.get().state() == InvitationState.PENDING


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("used", "It has already been used"),
        ("revoked", "It was withdrawn"),
        ("expired", "It has expired"),
    ],
)
def test_an_unusable_link_says_why(world: World, state: str, message: str) -> None:
    invitation = pending(world)
    link = link_in_last_email()
    now = timezone.now()
    changes = {
        "used": {"used_at": now},
        "revoked": {"revoked_at": now},
        "expired": {"expires_at": now - timedelta(seconds=1)},
    }[state]
    Invitation.objects.filter(pk=invitation.pk).update(**changes)
    for client in (Client(), signed_in(world.users["manager"])):
        page = client.get(link)
        assert page.status_code == 410
        assert message in page.text
        posted = client.post(link, {"username": "late", "password1": PASSWORD,
                                    "password2": PASSWORD})  # fmt: skip
        assert posted.status_code == 410
    assert not User.objects.filter(username="late").exists()


def test_an_unknown_link_is_not_found(db: Any) -> None:
    page = Client().get(reverse("invitation_accept", kwargs={"token": "no-such-link"}))
    assert page.status_code == 404
    assert "No invitation has this link." in page.text


def test_wrong_links_are_limited_per_client(world: World, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2  # 8 wrong links
    pending(world)
    good = link_in_last_email()
    client = Client()
    for n in range(8):
        assert client.get(f"/accounts/invitation/wrong-{n}/").status_code == 404
    assert client.get("/accounts/invitation/wrong-9/").status_code == 429
    locked = client.get(good)  # even the right link waits, so guessing gains nothing
    assert locked.status_code == 429
    assert "Too many links that do not work" in locked.text
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert other_address.get(good).status_code == 200


def test_a_signed_in_visitor_is_asked_to_sign_out_first(world: World) -> None:
    pending(world)
    page = signed_in(world.users["researcher"]).get(link_in_last_email())
    assert page.status_code == 200
    assert "You are signed in as researcher-all" in page.text
    assert 'name="password1"' not in page.text


def test_the_link_page_in_french(world: World) -> None:
    pending(world)
    client = Client()
    client.cookies.load({"django_language": "fr-ca"})
    page = client.get(link_in_last_email())
    assert "Acceptez votre invitation" in page.text
    assert "Gestionnaire de site" in page.text


def test_acceptance_and_the_first_sign_in_are_audited(world: World) -> None:
    pending(world)
    Client().post(
        link_in_last_email(),
        {"username": "new-colleague", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert AuditEntry.objects.filter(
        object_type="invitation", action="update", actor="new-colleague"
    ).exists()
    assert AuditEntry.objects.filter(action="login", actor="new-colleague").exists()


# --- linking an existing liaison account to an officer --------------------------------------


def unlinked_liaison(username: str = "former-officer") -> User:
    return make_user(Role.LIAISON, username=username)


def roster_officer(world: World, name: str = "Officer Roster") -> Any:
    officer = OfficerFactory(name=name)
    AssignmentFactory(officer=officer, site=world.site, start=world.site.today())
    return officer


def link_url() -> str:
    return reverse("site_officer_link", kwargs={"slug": "riverside"})


def test_an_admin_links_an_officer_to_an_existing_account_by_choosing(world: World) -> None:
    account = unlinked_liaison()
    officer = roster_officer(world)
    client = signed_in(world.users["admin"])
    page = client.get(people_url()).text
    assert f'<option value="{account.pk}">former-officer</option>' in page
    response = client.post(
        link_url(), {"link-officer": officer.pk, "link-account": account.pk}, follow=True
    )
    assert "former-officer is now linked to" in response.text
    officer.refresh_from_db()
    assert officer.user == account
    assert roles_by_site(User.objects.get(pk=account.pk)) == {
        world.site.pk: frozenset({Role.LIAISON})
    }
    assert AuditEntry.objects.filter(
        object_type="liaisonofficer", detail="linked to former-officer"
    ).exists()


def test_a_manager_links_only_accounts_invited_from_their_site(world: World) -> None:
    stranger = unlinked_liaison("someone-elsewhere")
    officer = roster_officer(world)
    client = signed_in(world.users["manager"])
    assert "someone-elsewhere" not in client.get(people_url()).text
    response = client.post(
        link_url(), {"link-officer": officer.pk, "link-account": stranger.pk}, follow=True
    )
    assert "Select a valid choice" in response.text
    officer.refresh_from_db()
    assert officer.user is None

    # Invited from this site, accepted, then unlinked: the manager may link it again.
    invitation = pending(world, email="officer@example.org", role=Role.LIAISON, officer=officer)
    invited = unlinked_liaison("invited-officer")
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=invited, used_at=timezone.now())
    response = client.post(
        link_url(), {"link-officer": officer.pk, "link-account": invited.pk}, follow=True
    )
    assert "invited-officer is now linked to" in response.text


def test_an_account_linked_to_an_officer_is_not_linked_to_a_second(world: World) -> None:
    liaison = world.users["liaison"]
    with pytest.raises(ValidationError, match="already linked to another officer"):
        grants.officer_link(officer=roster_officer(world), user=liaison)
