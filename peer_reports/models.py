"""A peer-reported incident (SPEC §1 community role, §3 PeerReport follow-up).

A community body (a drug users' union) files what police did near the site for someone
who told it. The report waits here, apart from the interaction log, until one of the
site's managers reviews it: entered, it becomes an Interaction (source `peer_reported`,
the reporter's consent); declined, it stays here with the reason. Nothing unreviewed
reaches scores, exports or the research release, which read interactions only.

Every time here is kept to the hour at the site, like an interaction's
(agreements/hour_stamp.py): the report describes one, so its filing time must not date
the incident more finely than the incident itself is dated.

No field describes the reporter: no name, no contact, no account. What links the report
to them is the follow-up code, of which only the SHA-256 hash is kept.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.choices import Category, Consent, DistanceBand, Impact
from agreements.dates import plausible_moment
from agreements.hour_stamp import HourStamp, to_the_hour
from agreements.models import Interaction, Site
from agreements.pii_guard import GuardedText
from peer_reports import rules
from privacy.pii import check_free_text

# A follow-up code opens the status for this long after filing (SPEC §3).
CODE_DAYS = 180

# What police did that a person who uses drugs tells a union: police conduct on the street
# and at the door. Left out are the site's own categories, which a reporter cannot know
# or which describe the site's dealings with police (docs/decisions.md): a request for
# client records is made to the site; staff calling police is the site's act; whether an
# entry fell under an agreed exception (a warrant, a pursuit) is for the site to
# establish — a peer reports it as an entry, and the manager corrects it at review; the
# liaison's mediation and a shared toxic-drug alert happen between police and the site;
# and a referral or escort to the site is one person's arrival at the site at a given
# hour, which the site sees itself and which, told by a peer, could point to the reporter.
NOT_PEER_CATEGORIES = frozenset({
    Category.INFORMATION_REQUEST,
    Category.CALLED_BY_STAFF,
    Category.EXCEPTION_ENTRY,
    Category.LIAISON_MEDIATION,
    Category.REFERRAL_TO_SITE,
    Category.ALERT_SHARED,
})  # fmt: skip
PEER_CATEGORIES = [(value, label) for value, label in Category.choices
                   if value not in NOT_PEER_CATEGORIES]  # fmt: skip


class FollowUpStatus(models.TextChoices):
    RECEIVED = rules.RECEIVED, _("Received")
    REVIEWED = rules.REVIEWED, _("Reviewed")
    RAISED_WITH_POLICE = rules.RAISED_WITH_POLICE, _("Raised with police")
    RESOLVED = rules.RESOLVED, _("Resolved")


class Decision(models.TextChoices):
    ENTERED = rules.ENTERED, _("Entered into the log")
    DECLINED = rules.DECLINED, _("Declined")


class PeerReport(GuardedText):
    guarded_text_fields = ("narrative", "decline_reason")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="peer_reports"
    )
    occurred_at = models.DateTimeField(
        verbose_name=_("when it happened"),
        validators=[plausible_moment],
        help_text=_("The day and hour, at the site; minutes are never kept."),
    )
    category = models.CharField(
        verbose_name=_("what police did"), max_length=40, choices=PEER_CATEGORIES
    )
    distance_band = models.CharField(
        verbose_name=_("where"), max_length=12, choices=DistanceBand.choices
    )
    # Empty: the reporter was not sure how many (the review asks the manager for a number).
    officers_present = models.PositiveSmallIntegerField(
        verbose_name=_("officers present"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(200)],
    )
    plain_clothes = models.BooleanField(verbose_name=_("plain clothes"), default=False)
    vehicle_present = models.BooleanField(verbose_name=_("police vehicle present"), default=False)
    impact = models.CharField(
        verbose_name=_("impact on the site"),
        max_length=16,
        choices=Impact.choices,
        # Empty: the reporter was not sure; the site knows its own service better.
        blank=True,
        default="",
    )
    narrative = models.TextField(
        verbose_name=_("what happened"),
        blank=True,
        validators=[check_free_text],
        help_text=_(
            "What police did. Never name or describe the person who told you, or anyone else."
        ),
    )
    consent = models.CharField(
        verbose_name=_("what the reporter agreed to"),
        max_length=12,
        choices=Consent.choices,
        default=Consent.AGGREGATE,
    )
    status = models.CharField(
        verbose_name=_("follow-up status"),
        max_length=20,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.RECEIVED,
    )
    # SHA-256 of the normalised code (peer_reports/codes.py); the code is never stored.
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_expires_at = models.DateTimeField(verbose_name=_("code expires at"), editable=False)
    # The community account that filed: shown to the site's managers and admins only.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    filed_at = HourStamp(verbose_name=_("filed at"))
    interaction = models.OneToOneField(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_report",
        editable=False,
    )
    decision = models.CharField(
        verbose_name=_("decision"), max_length=10, choices=Decision.choices, blank=True
    )
    decline_reason = models.TextField(
        verbose_name=_("why it was declined"),
        blank=True,
        validators=[check_free_text],
        help_text=_("Kept for the site only, e.g. “duplicate of an entry already logged”."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Kept to the hour by the service (`this_hour`).
    reviewed_at = models.DateTimeField(verbose_name=_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["site", "status"], name="peerreport_site_status")]
        verbose_name = _("peer report")
        verbose_name_plural = _("peer reports")

    def __str__(self) -> str:
        return gettext("peer report %(id)s") % {"id": self.pk}

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The hour rule holds even for writes that skip clean() (as Interaction.save).
        if self.occurred_at and self.site_id:
            self.occurred_at = to_the_hour(self.occurred_at, self.site.tz)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.occurred_at and self.site_id:
            self.occurred_at = to_the_hour(self.occurred_at, self.site.tz)
            if self.occurred_at > timezone.now() + timedelta(hours=1):
                raise ValidationError(
                    {"occurred_at": gettext("An incident cannot be in the future.")}
                )
        if self.decision == Decision.DECLINED and not self.decline_reason.strip():
            raise ValidationError(
                {"decline_reason": gettext("Say why, for the site: e.g. a duplicate.")}
            )

    @property
    def awaiting_review(self) -> bool:
        return self.status == FollowUpStatus.RECEIVED

    @property
    def mediation_consent(self) -> bool:
        return self.consent == Consent.MEDIATION

    def code_expired(self) -> bool:
        return self.code_expires_at <= timezone.now()
