"""Invitations: invite (by e-mail, with a one-time link that expires), revoke, accept.

Who may invite whom (`INVITE_RULES`): administrators invite anyone, for any site;
managers invite managers and liaison officers for the sites they manage, and nobody
else. Researchers and administrators reach every site (or every consenting one), so
only an administrator invites them. A liaison invitation names the officer, chosen from
the site's roster; an officer already linked to an account is refused.

The link's token is shown once, in the e-mail, and never stored or logged: the row keeps
its SHA-256 (agreements/secret_tokens.py). Accepting creates the account, grants the
role through accounts.grants and links the officer, all in one transaction with their
audit entries. The rules are checked again on acceptance: an inviter who has lost the
right to invite in the meantime, or an officer linked in the meantime, stops it.
"""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts import grants
from accounts.models import Invitation
from agreements import audit
from agreements.access import (
    TWO_FACTOR_ROLES,
    forget_roles,
    is_network_admin,
    manages_every_site,
)
from agreements.audit import Action
from agreements.choices import Role
from agreements.models import Site
from agreements.secret_tokens import hash_token
from liaisons.models import LiaisonAssignment, LiaisonOfficer


@dataclass(frozen=True)
class RoleRule:
    """What an invitation for a role needs. `sites`: "none" (the role reaches every
    site), "some" (one or more), "optional" (none: every site the role may reach), or
    "one" (the site whose roster holds the officer)."""

    managers_may_invite: bool
    sites: str
    officer: bool = False


# One line per role that can be invited; the forms offer what is here. A site's managers
# invite its community oversight body (a drug users' union), at sites that opt in.
INVITE_RULES: dict[str, RoleRule] = {
    Role.MANAGER: RoleRule(managers_may_invite=True, sites="some"),
    Role.LIAISON: RoleRule(managers_may_invite=True, sites="one", officer=True),
    Role.COMMUNITY: RoleRule(managers_may_invite=True, sites="some"),
    Role.RESEARCHER: RoleRule(managers_may_invite=False, sites="optional"),
    Role.ADMIN: RoleRule(managers_may_invite=False, sites="none"),
}


def invitable_roles(user: User) -> list[str]:
    """The roles `user` may invite someone to, in the rules' order."""
    admin = is_network_admin(user)
    return [role for role, rule in INVITE_RULES.items() if admin or rule.managers_may_invite]


def invitable_officers(site: Site) -> QuerySet[LiaisonOfficer]:
    """Officers of the site's roster who may get an account: active, not yet linked to
    one, assigned here (an assignment that has not ended) or registered by this site."""
    current = LiaisonAssignment.objects.filter(site=site).filter(
        Q(end__isnull=True) | Q(end__gte=site.today())
    )
    return LiaisonOfficer.objects.filter(
        Q(pk__in=current.values("officer_id")) | Q(registered_for=site),
        active=True,
        user__isnull=True,
    ).select_related("service")


def link_candidates(user: User, site: Site) -> QuerySet[User]:
    """Accounts `user` may tie to an officer of `site`'s roster: active liaison accounts
    with no officer. An administrator sees them all; a manager only those invited from
    this site (the network's other liaison accounts are not theirs to know)."""
    candidates = (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__role=Role.LIAISON, liaison_officer__isnull=True
        )
        .order_by("username")
        .distinct()
    )
    if is_network_admin(user):
        return candidates
    return candidates.filter(invitation_accepted__sites=site)


def invitation_days() -> int:
    return int(settings.HR_POLICE_INVITATION_DAYS)


def _scope_errors(
    *,
    inviter: User,
    role: str,
    sites: Sequence[Site],
    officer: LiaisonOfficer | None,
) -> dict[str, str]:
    """Why `inviter` may not (or may no longer) invite someone to `role` at `sites`."""
    rule = INVITE_RULES.get(role)
    if rule is None:
        return {"role": gettext("This role cannot be given by invitation.")}
    if not inviter.is_active:
        return {"role": gettext("The person who invited is no longer active.")}
    forget_roles(inviter)
    if not rule.managers_may_invite and not is_network_admin(inviter):
        return {"role": gettext("Only an administrator may invite someone to this role.")}
    errors: dict[str, str] = {}
    if rule.sites == "none" and sites:
        errors["sites"] = gettext("This role reaches every site: choose no site.")
    elif rule.sites == "some" and not sites:
        errors["sites"] = gettext("Choose at least one site.")
    elif rule.sites == "one" and len(sites) != 1:
        errors["sites"] = gettext("A liaison officer is invited from one site's roster.")
    elif not manages_every_site(inviter, [site.pk for site in sites]):
        errors["sites"] = gettext("You may invite people only to the sites you manage.")
    if role == Role.RESEARCHER and any(not site.research_consent for site in sites):
        errors["sites"] = gettext("This site does not consent to research.")
    if role == Role.COMMUNITY and any(not site.community_oversight for site in sites):
        errors["sites"] = gettext("This site has not opted in to community oversight.")
    if rule.officer:
        if officer is None:
            errors["officer"] = gettext("Choose the officer this account is for.")
        elif len(sites) == 1:
            if not sites[0].police_accounts:
                errors["officer"] = gettext(
                    "This site refuses police accounts: give the liaison the liaison "
                    "edition of the report or a secret protocol link instead."
                )
            elif officer.user_id is not None:
                errors["officer"] = gettext(
                    "Officer with badge %(badge)s is already linked to another account."
                ) % {"badge": officer.badge_number}
            elif not invitable_officers(sites[0]).filter(pk=officer.pk).exists():
                errors["officer"] = gettext("This officer is not on the site's roster.")
    elif officer is not None:
        errors["officer"] = gettext("Only a liaison invitation names an officer.")
    return errors


def _where(invitation: Invitation, sites: Sequence[Site]) -> str:
    """Where the role reaches, in words for the e-mail and the acceptance page."""
    names = ", ".join(site.name for site in sites)
    if invitation.role == Role.ADMIN:
        return gettext("every site")
    if invitation.role == Role.RESEARCHER and not sites:
        return gettext("every site that consents to research")
    if invitation.role == Role.LIAISON and invitation.officer is not None:
        return gettext("%(sites)s, as %(officer)s") % {
            "sites": names,
            "officer": invitation.officer,
        }
    return names


def describe(invitation: Invitation) -> dict[str, str]:
    """Who invited, to what, where and until when: for the e-mail and the pages."""
    sites = list(invitation.sites.all())
    inviter = invitation.invited_by
    return {
        "inviter": inviter.get_username() if inviter is not None else gettext("an administrator"),
        "role": str(Role(invitation.role).label),
        "where": _where(invitation, sites),
        "expires": timezone.localtime(invitation.expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def invitation_email(invitation: Invitation, url: str) -> tuple[str, str]:
    """The e-mail's subject and plain-text body, in the active language."""
    facts = describe(invitation)
    subject = gettext("Your invitation to hr_police")
    body = "\n\n".join(
        [
            gettext("%(inviter)s invited you to hr_police as %(role)s: %(where)s.") % facts,
            gettext(
                "Open this link to choose your user name and password, then set up "
                "two-factor sign-in with an authenticator app on your phone:"
            )
            if invitation.role in TWO_FACTOR_ROLES
            else gettext("Open this link to choose your user name and password:"),
            url,
            gettext(
                "The link works once, until %(expires)s. If you did not expect this "
                "e-mail, ignore it: nothing happens without the link."
            )
            % facts,
        ]
    )
    return subject, body + "\n"


def invitation_create(
    *,
    email: str,
    role: str,
    sites: Sequence[Site] = (),
    officer: LiaisonOfficer | None = None,
    actor: User,
    accept_url: Callable[[str], str],
    language: str | None = None,
) -> Invitation:
    """Invite `email` to `role`; sends the e-mail (in `language`, else the active one)
    with the link `accept_url(token)`. Nothing is kept if the e-mail cannot be sent."""
    email = email.strip()
    errors: dict[str, str] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = gettext("Enter a valid e-mail address.")
    if email and get_user_model().objects.filter(email__iexact=email).exists():
        errors["email"] = gettext(
            "An account with this e-mail already exists: an administrator can give it "
            "the role on the network's People page."
        )
    sites = list(dict.fromkeys(sites))
    errors |= _scope_errors(inviter=actor, role=role, sites=sites, officer=officer)
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation(
        email=email,
        role=role,
        officer=officer,
        invited_by=actor,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=invitation_days()),
    )
    with transaction.atomic():
        invitation.save()
        invitation.sites.set(sites)
        _record(Action.CREATE, invitation, sites, actor=actor,
                detail=f"invitation #{invitation.pk}: {role}")  # fmt: skip
        with translation.override(language or translation.get_language()):
            subject, body = invitation_email(invitation, accept_url(token))
        message = EmailMessage(subject=subject, body=body, to=[email])
        try:
            message.send()
        except (smtplib.SMTPException, OSError):
            raise ValidationError(
                {"email": gettext("The e-mail could not be sent: try again later.")}
            ) from None
    return invitation


def _record(
    action: str, invitation: Invitation, sites: Sequence[Site], *, actor: object, detail: str
) -> None:
    """One entry in each site's log (the network's when the role names no site)."""
    where: Sequence[Site | None] = sites or [None]
    for site in where:
        audit.record(action, actor=actor, obj=invitation, site=site, detail=detail)


def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    """The link stops working. One-way: a revoked invitation is never pending again."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise ValidationError(gettext("This invitation is no longer pending."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _record(Action.DELETE, invitation, list(invitation.sites.all()), actor=actor,
                detail=f"invitation #{invitation.pk} revoked")  # fmt: skip


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link names, whatever its state (None: no such link)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.filter(token_hash=hash_token(token))
        .select_related("invited_by", "officer")
        .first()
    )


def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Create the invited account with its role (and officer), and use up the link."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .filter(token_hash=hash_token(token))
            .select_related("invited_by", "officer")
            .first()
        )
        if invitation is None or not invitation.is_pending:
            raise ValidationError(gettext("This invitation link no longer works."), code="gone")
        sites = list(invitation.sites.all())
        inviter = invitation.invited_by
        if inviter is None or _scope_errors(
            inviter=inviter, role=invitation.role, sites=sites, officer=invitation.officer
        ):
            raise ValidationError(
                gettext(
                    "This invitation can no longer be accepted (the access it offered has "
                    "changed): ask for a new one."
                ),
                code="stale",
            )
        candidate = get_user_model()(username=username, email=invitation.email)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user = grants.user_create(
            username=username, password=password, actor="invitation", email=invitation.email
        )
        rule = INVITE_RULES[invitation.role]
        grants.role_grant(
            user=user,
            role=invitation.role,
            sites=[] if rule.sites == "one" else sites,
            officer=invitation.officer,
            actor=inviter,
        )
        invitation.used_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["used_at", "accepted_by"])
        _record(Action.UPDATE, invitation, sites, actor=user,
                detail=f"invitation #{invitation.pk} accepted: account {username}")  # fmt: skip
    return user
