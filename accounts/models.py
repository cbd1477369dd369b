"""Invitations: how a colleague, a researcher or a liaison officer gets an account.

An admin (any site) or a manager (their sites) invites someone by e-mail; the e-mail
holds a one-time link that expires. Only the link's hash is stored (like API tokens and
protocol links: agreements/secret_tokens.py). The rules live in accounts/invitations.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.choices import Role
from agreements.models import Site
from liaisons.models import LiaisonOfficer


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    USED = "used", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """One invitation: the role it grants, at which sites (or for which officer)."""

    email = models.EmailField(verbose_name=_("e-mail"))
    role = models.CharField(verbose_name=_("role"), max_length=12, choices=Role.choices)
    sites = models.ManyToManyField(
        Site, verbose_name=_("sites"), blank=True, related_name="invitations"
    )
    officer = models.ForeignKey(
        LiaisonOfficer,
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    used_at = models.DateTimeField(verbose_name=_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(verbose_name=_("revoked at"), null=True, blank=True)
    accepted_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account made"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation_accepted",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"

    def state(self, now: object = None) -> str:
        if self.used_at is not None:
            return InvitationState.USED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if (now or timezone.now()) >= self.expires_at:  # type: ignore[operator]
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def is_pending(self) -> bool:
        return self.state() == InvitationState.PENDING

    def get_state_display(self) -> str:
        return str(InvitationState(self.state()).label)
