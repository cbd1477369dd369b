"""Access-matrix rows for the People pages and the invitation link (see
tests/test_access_matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from agreements.models import Membership, Site
from agreements.secret_tokens import hash_token

# The matrix's roles, in its order; kept here so this module needs nothing from the
# module that imports it.
ROLES = ("anonymous", "manager", "other_manager", "liaison", "researcher", "admin", "community")
LOGIN = 302


def statuses(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


MANAGE = statuses(LOGIN, 200, 404, 403, 403, 200, 403)
MANAGE_POST_ONLY = statuses(LOGIN, 405, 404, 403, 403, 405, 403)
ADMIN_ONLY = statuses(LOGIN, 403, 403, 403, 403, 200, 403)
ADMIN_POST_ONLY = statuses(LOGIN, 403, 403, 403, 403, 405, 403)


def site_invitation(token: str = "matrix-invitation") -> Invitation:
    """A pending invitation of the matrix's site, made by its manager."""
    invitation = Invitation.objects.create(
        email="new.colleague@example.org",
        role="manager",
        invited_by=User.objects.get(username="manager-riverside"),
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=7),
    )
    invitation.sites.set([Site.objects.get(slug="riverside")])
    return invitation


def _site(name: str, make_pk: Any = None) -> Any:
    def url(objects: dict[str, Any]) -> str:
        kwargs: dict[str, Any] = {"slug": "riverside"}
        if make_pk is not None:
            kwargs["pk"] = make_pk(objects)
        return reverse(name, kwargs=kwargs)

    return url


def _manager_role(objects: dict[str, Any]) -> int:
    return Membership.objects.get(user__username="manager-riverside").pk


def _linked_officer(objects: dict[str, Any]) -> int:
    return User.objects.get(username="liaison-all").liaison_officer.pk


PEOPLE_ROWS: dict[str, tuple[Any, dict[str, int]]] = {
    # The link opens without signing in; a link that names no invitation is 404 for all.
    "invitation_accept": (
        lambda o: reverse("invitation_accept", kwargs={"token": "not-a-token"}),
        statuses(404, 404, 404, 404, 404, 404, 404),
    ),
    "site_people": (_site("site_people"), MANAGE),
    "site_invitation_revoke": (
        _site("site_invitation_revoke", lambda o: site_invitation().pk),
        MANAGE_POST_ONLY,
    ),
    "site_membership_end": (_site("site_membership_end", _manager_role), MANAGE_POST_ONLY),
    "site_officer_link": (_site("site_officer_link"), MANAGE_POST_ONLY),
    "site_officer_unlink": (_site("site_officer_unlink", _linked_officer), MANAGE_POST_ONLY),
    "network_people": (lambda o: reverse("network_people"), ADMIN_ONLY),
    "network_invitation_revoke": (
        lambda o: reverse(
            "network_invitation_revoke", kwargs={"pk": site_invitation("another-token").pk}
        ),
        ADMIN_POST_ONLY,
    ),
    "network_membership_end": (
        lambda o: reverse("network_membership_end", kwargs={"pk": _manager_role(o)}),
        ADMIN_POST_ONLY,
    ),
    "user_active": (
        lambda o: reverse(
            "user_active", kwargs={"pk": User.objects.get(username="manager-riverside").pk}
        ),
        ADMIN_POST_ONLY,
    ),
}
