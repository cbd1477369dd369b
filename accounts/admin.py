"""Roles and API tokens in the Django admin: memberships are granted, changed and taken
back through their service; tokens are read-only and revoked through theirs."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import grants
from accounts.models import Invitation
from accounts.tokens import token_revoke
from agreements.admin_base import (
    ReadOnlyAdmin,
    RevokeAction,
    ServiceAdmin,
    SiteTimesAdmin,
    zoned_time,
)
from agreements.models import ApiToken, Membership
from agreements.types import Actor


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    """Roles: granted, changed and taken back here or with `grant`, audited either way."""

    list_display = ["user", "role", "site"]
    list_filter = ["role"]
    list_select_related = ["user", "site"]
    search_fields = ["user__username"]
    # The account is chosen by name (searched), never typed as a number.
    autocomplete_fields = ["user"]

    def save_with_service(self, obj: Membership, actor: Actor) -> None:
        grants.membership_save(membership=obj, actor=actor)

    def delete_with_service(self, obj: Membership, actor: Actor) -> None:
        grants.membership_delete(membership=obj, actor=actor)


@admin.register(ApiToken)
class ApiTokenAdmin(SiteTimesAdmin, ReadOnlyAdmin):
    """Tokens are made with `api_token` or on the user's page (shown once there)."""

    zone_path = None  # a token is the user's, not a site's: UTC, said so
    list_display = [
        "user", "name", "prefix", zoned_time("created_at", _("created at")),
        zoned_time("last_used_at", _("last used at")), zoned_time("revoked_at", _("revoked at")),
    ]  # fmt: skip
    exclude = ["token_hash"]
    actions = [
        RevokeAction(
            lambda token, actor: token_revoke(token=token, actor=actor),
            _("Revoke the selected tokens"),
        )
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return RevokeAction.list_only(request, obj)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations are made, revoked and accepted on the People pages (audited there)."""

    list_display = ["email", "role", "invited_by", "created_at", "expires_at", "used_at",
                    "revoked_at"]  # fmt: skip
    list_filter = ["role"]
    list_select_related = ["invited_by"]
    exclude = ["token_hash"]
