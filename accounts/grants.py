"""Who may see what: granting and taking back roles, creating accounts, linking a liaison
account to its officer record. Every path that changes a role (the `grant` command, the
Django admin) goes through these functions, which validate the membership's rules
(`Membership.clean`) and write the audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from agreements import audit
from agreements.audit import Action, changed_fields
from agreements.choices import Role
from agreements.models import Membership, Site
from agreements.types import Actor
from agreements.versioning import bump
from liaisons.models import LiaisonOfficer


def membership_save(*, membership: Membership, actor: Actor | str = None) -> Membership:
    """Grant a role (a new membership) or change one, with its audit entry."""
    with transaction.atomic():
        membership.full_clean()
        creating = membership._state.adding
        fields = changed_fields(membership)
        before_site = None
        if not creating:
            before_site = (
                Membership.objects.filter(pk=membership.pk)
                .values_list("site_id", flat=True)
                .first()
            )
        membership.save()
        if creating or fields:
            audit.record(
                Action.CREATE if creating else Action.UPDATE,
                actor=actor,
                obj=membership,
                site=membership.site,
                fields=fields,
                detail=_describe(membership),
            )
            if before_site not in (None, membership.site_id):
                # Moving a membership takes access away from the first site: its log says so.
                audit.record(Action.DELETE, actor=actor, obj=membership,
                             site=Site.objects.get(pk=before_site),
                             detail=_describe(membership))  # fmt: skip
    return membership


def membership_delete(*, membership: Membership, actor: Actor | str = None) -> None:
    """Take a role back, with its audit entry."""
    with transaction.atomic():
        audit.record(Action.DELETE, actor=actor, obj=membership, site=membership.site,
                     detail=_describe(membership))  # fmt: skip
        membership.delete()


def _describe(membership: Membership) -> str:
    # The user name and role, never more: the audit log names, it does not copy records.
    return f"{membership.user.get_username()}: {membership.role}"


def user_create(
    *, username: str, password: str, actor: Actor | str = None, email: str = ""
) -> User:
    """A new account with a password that passes the password rules."""
    user = get_user_model()(username=username, email=email)
    password_validation.validate_password(password, user)
    user.set_password(password)
    with transaction.atomic(), audit.acting_as(actor):
        user.full_clean(exclude=["password"])
        user.save()  # audited by accounts.signals, as every account change is
    return user


def officer_link(*, officer: LiaisonOfficer, user: User, actor: Actor | str = None) -> None:
    """Tie a liaison account to its officer record (the record's assignments scope it)."""
    with transaction.atomic():
        officer = LiaisonOfficer.objects.select_for_update().get(pk=officer.pk)
        if officer.user_id == user.pk:
            return
        if officer.user_id is not None:
            raise ValidationError(
                gettext("Officer with badge %(badge)s is already linked to another account.")
                % {"badge": officer.badge_number}
            )
        if LiaisonOfficer.objects.filter(user=user).exists():
            raise ValidationError(gettext("This account is already linked to another officer."))
        officer.user = user
        bump(officer)  # an officer page opened before this must not write the old account back
        officer.save(update_fields=["user", "edit_version"])
        audit.record(Action.UPDATE, actor=actor, obj=officer, site=officer.registered_for,
                     fields=["user"], detail=f"linked to {user.get_username()}")  # fmt: skip


def role_grant(
    *,
    user: User,
    role: str,
    sites: Sequence[Site] = (),
    officer: LiaisonOfficer | None = None,
    actor: Actor | str = None,
) -> list[Membership]:
    """Give `user` a role: at the named sites, or everywhere the role reaches when none is
    named; an admin also becomes a Django superuser; a liaison is linked to its officer.
    Memberships the user already holds are kept as they are (no second audit entry)."""
    with transaction.atomic():
        if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            with audit.acting_as(actor):  # audited by accounts.signals
                user.save(update_fields=["is_staff", "is_superuser"])
        if officer is not None:
            officer_link(officer=officer, user=user, actor=actor)
        granted = []
        scopes: list[Site | None] = list(sites) or [None]  # None: every site it may reach
        for site in scopes:
            existing = Membership.objects.filter(user=user, role=role, site=site).first()
            granted.append(
                existing
                or membership_save(
                    membership=Membership(user=user, role=role, site=site), actor=actor
                )
            )
    return granted


# --- the People pages ---------------------------------------------------------------------
# Taking access away from a page has guards a command line does not need: nobody removes
# their own role there (a slip of the thumb would lock them out), and a site never loses
# its last manager (someone must be able to invite the next one).


def membership_end(*, membership: Membership, actor: User) -> None:
    """Take back a role from a People page, with the guards above and its audit entry."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user", "site")
            .get(pk=membership.pk)
        )
        if membership.user_id == actor.pk:
            raise ValidationError(
                gettext(
                    "You cannot remove your own access here: ask another manager or an "
                    "administrator."
                )
            )
        if membership.role == Role.MANAGER and membership.site_id is not None:
            managers = Membership.objects.filter(
                role=Role.MANAGER, site_id=membership.site_id, user__is_active=True
            )
            if not managers.exclude(pk=membership.pk).exists():
                raise ValidationError(
                    gettext(
                        "%(user)s is the last manager of this site: invite another manager first."
                    )
                    % {"user": membership.user.get_username()}
                )
        membership_delete(membership=membership, actor=actor)
        user = membership.user
        if membership.role == Role.ADMIN and (user.is_staff or user.is_superuser):
            # An administrator's reach comes from the superuser flag too (role_grant sets it).
            user.is_staff = user.is_superuser = False
            with audit.acting_as(actor):  # audited by accounts.signals
                user.save(update_fields=["is_staff", "is_superuser"])


def officer_unlink(*, officer: LiaisonOfficer, actor: Actor | str = None) -> None:
    """Untie a liaison account from its officer record: the account no longer sees the
    sites the officer is assigned to (the officer record stays, with its history)."""
    with transaction.atomic():
        officer = (
            LiaisonOfficer.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=officer.pk)
        )
        if officer.user is None:
            return
        username = officer.user.get_username()
        officer.user = None
        bump(officer)
        officer.save(update_fields=["user", "edit_version"])
        audit.record(Action.UPDATE, actor=actor, obj=officer, site=officer.registered_for,
                     fields=["user"], detail=f"unlinked from {username}")  # fmt: skip


def user_set_active(*, user: User, active: bool, actor: User) -> None:
    """Deactivate an account (it can no longer sign in, its sessions and API tokens stop
    working; its records and audit entries stay) or reactivate it. Not one's own."""
    if user.pk == actor.pk:
        raise ValidationError(gettext("You cannot deactivate your own account."))
    if user.is_active == active:
        return
    user.is_active = active
    with transaction.atomic(), audit.acting_as(actor):
        user.save(update_fields=["is_active"])  # audited by accounts.signals
