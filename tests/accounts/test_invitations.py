"""Invitations as services: who may invite whom, the link (one-time, expiring,
revocable, stored hashed), acceptance (account, roles, officer) and the audit entries."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import grants
from accounts.invitations import (
    invitable_officers,
    invitable_roles,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
)
from accounts.models import Invitation, InvitationState
from agreements.access import roles_by_site
from agreements.audit import AuditEntry
from agreements.choices import Role
from agreements.models import Membership, Site
from agreements.secret_tokens import hash_token
from tests.conftest import World, make_user
from tests.factories import AssignmentFactory, OfficerFactory, SiteFactory

PASSWORD = "a long and unusual passphrase 42"
URL = "https://tracker.example.org/accounts/invitation/{}/"


def invite(actor: User, role: str = Role.MANAGER, sites: Any = (), **kwargs: Any) -> Invitation:
    kwargs.setdefault("email", "new.colleague@example.org")
    return invitation_create(
        role=role, sites=list(sites), actor=actor, accept_url=URL.format, **kwargs
    )


def token_of_last_email() -> str:
    found = re.search(r"/accounts/invitation/([A-Za-z0-9_-]+)/", mail.outbox[-1].body)
    assert found is not None
    return found[1]


def errors_of(excinfo: Any) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- who may invite whom -----------------------------------------------------------------


def test_a_manager_invites_a_manager_for_their_own_site(world: World) -> None:
    invitation = invite(world.users["manager"], sites=[world.site])
    assert list(invitation.sites.all()) == [world.site]
    assert invitation.state() == InvitationState.PENDING
    assert len(mail.outbox) == 1


def test_a_manager_may_not_invite_for_another_site(world: World) -> None:
    with pytest.raises(ValidationError) as excinfo:
        invite(world.users["manager"], sites=[world.other_site])
    assert "sites" in errors_of(excinfo)
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_a_manager_may_not_invite_for_a_site_they_share_with_one_they_do_not(
    world: World,
) -> None:
    with pytest.raises(ValidationError):
        invite(world.users["manager"], sites=[world.site, world.other_site])
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.ADMIN])
def test_only_an_admin_invites_network_wide_roles(world: World, role: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        invite(world.users["manager"], role=role)
    assert "role" in errors_of(excinfo)
    assert invite(world.users["admin"], role=role).role == role


@pytest.mark.parametrize("role", ["liaison", "researcher"])
def test_liaisons_and_researchers_invite_nobody(world: World, role: str) -> None:
    with pytest.raises(ValidationError):
        invite(world.users[role], sites=[world.site])
    assert invitable_roles(world.users[role]) in ([Role.MANAGER, Role.LIAISON, Role.COMMUNITY], [])


def test_roles_offered_to_managers_and_admins(world: World) -> None:
    assert invitable_roles(world.users["manager"]) == [Role.MANAGER, Role.LIAISON, Role.COMMUNITY]
    assert set(invitable_roles(world.users["admin"])) == set(Role.values)


def test_a_manager_invitation_names_a_site(world: World) -> None:
    with pytest.raises(ValidationError) as excinfo:
        invite(world.users["admin"], sites=[])
    assert "sites" in errors_of(excinfo)


def test_an_admin_invitation_names_no_site(world: World) -> None:
    with pytest.raises(ValidationError):
        invite(world.users["admin"], role=Role.ADMIN, sites=[world.site])


def test_a_researcher_is_invited_only_to_consenting_sites(world: World) -> None:
    refusing = SiteFactory(research_consent=False)
    with pytest.raises(ValidationError) as excinfo:
        invite(world.users["admin"], role=Role.RESEARCHER, sites=[refusing])
    assert "consent" in errors_of(excinfo)["sites"][0]


def test_an_existing_account_e_mail_is_refused(world: World) -> None:
    world.users["researcher"].email = "taken@example.org"
    world.users["researcher"].save()
    with pytest.raises(ValidationError) as excinfo:
        invite(world.users["admin"], sites=[world.site], email="TAKEN@example.org")
    assert "email" in errors_of(excinfo)


def test_a_bad_e_mail_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as excinfo:
        invite(world.users["admin"], sites=[world.site], email="not an address")
    assert "email" in errors_of(excinfo)


# --- liaison officers ------------------------------------------------------------------


def roster_officer(site: Site, **kwargs: Any) -> Any:
    officer = OfficerFactory(**kwargs)
    AssignmentFactory(officer=officer, site=site, start=site.today() - timedelta(days=30))
    return officer


def test_a_liaison_invitation_names_an_officer_of_the_roster(world: World) -> None:
    officer = roster_officer(world.site)
    stranger = roster_officer(world.other_site)
    assert officer in invitable_officers(world.site)
    assert stranger not in invitable_officers(world.site)
    manager = world.users["manager"]
    with pytest.raises(ValidationError) as excinfo:
        invite(manager, role=Role.LIAISON, sites=[world.site], officer=stranger)
    assert "officer" in errors_of(excinfo)
    with pytest.raises(ValidationError):
        invite(manager, role=Role.LIAISON, sites=[world.site])
    assert (
        invite(manager, role=Role.LIAISON, sites=[world.site], officer=officer).officer == officer
    )


def test_an_officer_already_linked_is_refused(world: World) -> None:
    linked = world.users["liaison"].liaison_officer  # assigned to the world's site
    assert linked not in invitable_officers(world.site)
    with pytest.raises(ValidationError) as excinfo:
        invite(world.users["manager"], role=Role.LIAISON, sites=[world.site], officer=linked)
    assert "already linked" in errors_of(excinfo)["officer"][0]


def test_no_liaison_invitation_where_police_accounts_are_refused(world: World) -> None:
    officer = roster_officer(world.site)
    world.site.police_accounts = False
    world.site.save()
    with pytest.raises(ValidationError):
        invite(world.users["manager"], role=Role.LIAISON, sites=[world.site], officer=officer)


def test_an_accepted_liaison_invitation_links_the_officer(world: World) -> None:
    officer = roster_officer(world.site)
    invite(world.users["manager"], role=Role.LIAISON, sites=[world.site], officer=officer)
    user = invitation_accept(token=token_of_last_email(), username="officer-k", password=PASSWORD)
    officer.refresh_from_db()
    assert officer.user == user
    assert Membership.objects.get(user=user).role == Role.LIAISON
    assert Membership.objects.get(user=user).site is None
    assert roles_by_site(user) == {world.site.pk: frozenset({Role.LIAISON})}


def test_an_officer_linked_after_the_invitation_stops_its_acceptance(world: World) -> None:
    officer = roster_officer(world.site)
    invite(world.users["manager"], role=Role.LIAISON, sites=[world.site], officer=officer)
    token = token_of_last_email()
    grants.officer_link(officer=officer, user=world.users["researcher"])
    with pytest.raises(ValidationError):
        invitation_accept(token=token, username="officer-k", password=PASSWORD)
    assert not User.objects.filter(username="officer-k").exists()


# --- the link ----------------------------------------------------------------------------


def test_the_token_is_stored_hashed_and_never_in_the_audit_log(world: World) -> None:
    invitation = invite(world.users["manager"], sites=[world.site])
    token = token_of_last_email()
    assert len(token) >= 40
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    for entry in AuditEntry.objects.all():
        assert token not in f"{entry.detail} {entry.fields} {entry.object_id}"
    assert invitation_for_token(token) == invitation
    assert invitation_for_token(token + "x") is None


def test_the_e_mail_says_who_invited_what_and_until_when(world: World) -> None:
    invitation = invite(world.users["manager"], sites=[world.site])
    message = mail.outbox[0]
    assert message.to == ["new.colleague@example.org"]
    assert "manager-riverside" in message.body
    assert "Site manager" in message.body
    assert world.site.name in message.body
    assert invitation.expires_at.strftime("%Y-%m-%d") in message.body
    assert message.content_subtype == "plain"


def test_the_e_mail_is_in_french_when_the_inviter_works_in_french(world: World) -> None:
    invite(world.users["manager"], sites=[world.site], language="fr-ca")
    assert "vous a invité" in mail.outbox[0].body
    assert "Gestionnaire" in mail.outbox[0].body or "gestionnaire" in mail.outbox[0].body


def test_an_invitation_expires_after_seven_days(world: World, settings: Any) -> None:
    invitation = invite(world.users["manager"], sites=[world.site])
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    token = token_of_last_email()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    invitation.refresh_from_db()
    assert invitation.state() == InvitationState.EXPIRED
    with pytest.raises(ValidationError):
        invitation_accept(token=token, username="late", password=PASSWORD)
    assert not User.objects.filter(username="late").exists()


def test_the_expiry_follows_the_setting(world: World, settings: Any) -> None:
    settings.HR_POLICE_INVITATION_DAYS = 2
    invitation = invite(world.users["manager"], sites=[world.site])
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


def test_a_link_works_once(world: World) -> None:
    invite(world.users["manager"], sites=[world.site])
    token = token_of_last_email()
    user = invitation_accept(token=token, username="new-colleague", password=PASSWORD)
    assert user.email == "new.colleague@example.org"
    assert user.check_password(PASSWORD)
    with pytest.raises(ValidationError):
        invitation_accept(token=token, username="second-account", password=PASSWORD)
    assert not User.objects.filter(username="second-account").exists()
    assert Invitation.objects.get().state() == InvitationState.USED


def test_a_revoked_link_does_not_work(world: World) -> None:
    invitation = invite(world.users["manager"], sites=[world.site])
    token = token_of_last_email()
    invitation_revoke(invitation=invitation, actor=world.users["manager"])
    with pytest.raises(ValidationError):
        invitation_accept(token=token, username="new-colleague", password=PASSWORD)
    with pytest.raises(ValidationError):  # one-way: not revoked twice, never pending again
        invitation_revoke(invitation=invitation, actor=world.users["manager"])
    assert Invitation.objects.get().state() == InvitationState.REVOKED


def test_an_inviter_who_lost_the_site_can_no_longer_be_accepted(world: World) -> None:
    manager = world.users["manager"]
    invite(manager, sites=[world.site])
    Membership.objects.filter(user=manager).delete()
    with pytest.raises(ValidationError):
        invitation_accept(token=token_of_last_email(), username="new-colleague", password=PASSWORD)
    assert not User.objects.filter(username="new-colleague").exists()


def test_a_weak_password_is_refused_and_nothing_is_made(world: World) -> None:
    invite(world.users["manager"], sites=[world.site])
    token = token_of_last_email()
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(token=token, username="new-colleague", password="password")
    assert "password" in errors_of(excinfo)
    assert not User.objects.filter(username="new-colleague").exists()
    assert Invitation.objects.get().state() == InvitationState.PENDING


def test_a_taken_user_name_is_refused_and_nothing_is_made(world: World) -> None:
    invite(world.users["manager"], sites=[world.site])
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(
            token=token_of_last_email(), username="manager-riverside", password=PASSWORD
        )
    assert "username" in errors_of(excinfo)
    assert Invitation.objects.get().state() == InvitationState.PENDING


def test_acceptance_grants_the_roles_at_the_sites(world: World) -> None:
    admin = world.users["admin"]
    invite(admin, sites=[world.site, world.other_site])
    user = invitation_accept(token=token_of_last_email(), username="two-sites", password=PASSWORD)
    assert set(roles_by_site(user)) == {world.site.pk, world.other_site.pk}
    assert not user.is_staff
    assert not user.is_superuser


def test_an_accepted_admin_invitation_makes_an_admin(world: World) -> None:
    invite(world.users["admin"], role=Role.ADMIN)
    user = invitation_accept(token=token_of_last_email(), username="new-admin", password=PASSWORD)
    assert user.is_superuser
    assert user.is_staff


# --- audit -------------------------------------------------------------------------------


def test_every_step_is_audited(world: World) -> None:
    manager = world.users["manager"]
    invitation = invite(manager, sites=[world.site])
    created = AuditEntry.objects.get(object_type="invitation", action="create")
    assert (created.actor, created.site) == ("manager-riverside", "riverside")
    assert "new.colleague" not in created.detail  # the log names the record, not the address
    user = invitation_accept(
        token=token_of_last_email(), username="new-colleague", password=PASSWORD
    )
    accepted = AuditEntry.objects.get(object_type="invitation", action="update")
    assert (accepted.actor, accepted.site) == ("new-colleague", "riverside")
    account = AuditEntry.objects.get(object_type="user", object_id=str(user.pk), action="create")
    assert account.actor == "invitation"
    role = AuditEntry.objects.get(
        object_type="membership", action="create", detail__startswith="new-"
    )
    assert (role.actor, role.site) == ("manager-riverside", "riverside")

    second = invite(manager, sites=[world.site], email="other@example.org")
    invitation_revoke(invitation=second, actor=manager)
    revoked = AuditEntry.objects.get(object_type="invitation", action="delete")
    assert revoked.object_id == str(second.pk) != str(invitation.pk)


def test_a_network_invitation_is_audited_in_each_site_log(world: World) -> None:
    invite(world.users["admin"], sites=[world.site, world.other_site])
    sites = AuditEntry.objects.filter(object_type="invitation").values_list("site", flat=True)
    assert sorted(sites) == ["eastside", "riverside"]


def test_an_unsent_e_mail_keeps_nothing(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(ValidationError) as excinfo:
        invite(world.users["manager"], sites=[world.site])
    assert "email" in errors_of(excinfo)
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(object_type="invitation").exists()


# --- taking access back --------------------------------------------------------------------


def test_nobody_removes_their_own_role_on_the_people_pages(world: World) -> None:
    manager = world.users["manager"]
    second = make_user(Role.MANAGER, site=world.site, username="second-manager")
    own = Membership.objects.get(user=manager)
    with pytest.raises(ValidationError):
        grants.membership_end(membership=own, actor=manager)
    grants.membership_end(membership=Membership.objects.get(user=second), actor=manager)
    assert not Membership.objects.filter(user=second).exists()
    assert AuditEntry.objects.filter(object_type="membership", action="delete").count() == 1


def test_the_last_manager_of_a_site_stays(world: World) -> None:
    only = Membership.objects.get(user=world.users["manager"])
    with pytest.raises(ValidationError) as excinfo:
        grants.membership_end(membership=only, actor=world.users["admin"])
    assert "last manager" in excinfo.value.messages[0]
    assert Membership.objects.filter(pk=only.pk).exists()


def test_removing_an_admin_role_removes_the_superuser_flag(world: World) -> None:
    other = make_user(Role.ADMIN, username="second-admin")
    grants.membership_end(membership=Membership.objects.get(user=other), actor=world.users["admin"])
    other.refresh_from_db()
    assert not other.is_superuser
    assert not other.is_staff
    assert roles_by_site(User.objects.get(pk=other.pk)) == {}


def test_unlinking_an_officer_ends_the_liaison_access(world: World) -> None:
    liaison = world.users["liaison"]
    grants.officer_unlink(officer=liaison.liaison_officer, actor=world.users["manager"])
    assert roles_by_site(User.objects.get(pk=liaison.pk)) == {}
    entry = AuditEntry.objects.get(object_type="liaisonofficer")
    assert entry.detail == "unlinked from liaison-all"


def test_a_deactivated_account_sees_nothing_and_is_audited(world: World) -> None:
    manager = world.users["manager"]
    with pytest.raises(ValidationError):
        grants.user_set_active(user=manager, active=False, actor=manager)
    grants.user_set_active(user=manager, active=False, actor=world.users["admin"])
    assert roles_by_site(User.objects.get(pk=manager.pk)) == {}
    entry = AuditEntry.objects.get(object_type="user", object_id=str(manager.pk), action="update")
    assert (entry.actor, entry.fields) == ("admin-all", ["is_active"])
