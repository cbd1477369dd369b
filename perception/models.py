"""Rounds of the two-sided self-assessment, each respondent's answer, and its ratings.

A round is opened by a manager for a site and closes on its `closes_on` day (at the end
of that day in the site's time zone), or earlier when a manager closes it. Each manager
and each liaison officer of the site answers once per round, for the side their role
gives them; an answer rates every statement of the round's instrument version from 1 to
5, with an optional comment per statement that passes the PII guard.

Written only through perception/services.py; rows are never edited afterwards.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import Site
from agreements.pii_guard import GuardedText
from agreements.storable import storable_text
from perception.gaps import LIAISON, MANAGER
from perception.instrument import HIGH, INSTRUMENTS, LOW
from privacy.pii import check_free_text


class Side(models.TextChoices):
    MANAGER = MANAGER, _("Site managers")
    LIAISON = LIAISON, _("Police liaisons")


class SelfAssessmentRound(models.Model):
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="self_assessment_rounds",
    )
    instrument = models.CharField(
        verbose_name=_("instrument version"),
        max_length=8,
        choices=[(v, v) for v in INSTRUMENTS],
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_on = models.DateField(verbose_name=_("opened on"))
    closes_on = models.DateField(
        verbose_name=_("closes on"), help_text=_("The last day to answer, at the site.")
    )
    closed_on = models.DateField(
        verbose_name=_("closed on"),
        null=True,
        blank=True,
        help_text=_("Set when a manager closes the round before its last day."),
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("self-assessment round")
        verbose_name_plural = _("self-assessment rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opened_on")),
                name="perception_round_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return gettext("self-assessment of %(day)s") % {"day": self.opened_on}

    def closing_day(self) -> date:
        """The day the round closed, or will close: the manager's, else its last day."""
        return min(self.closed_on, self.closes_on) if self.closed_on else self.closes_on

    def is_closed(self, today: date) -> bool:
        return self.closed_on is not None or self.closes_on < today


class SelfAssessmentResponse(models.Model):
    round = models.ForeignKey(
        SelfAssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    side = models.CharField(verbose_name=_("side"), max_length=8, choices=Side.choices)
    # Kept (SET_NULL) when an account is deleted: the round's figures must not change.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent"], name="perception_one_response_per_user"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(side)s answer to %(round)s") % {
            "side": self.get_side_display(),
            "round": self.round,
        }


class SelfAssessmentRating(GuardedText):
    """One statement rated, with the respondent's optional comment."""

    guarded_text_fields = ("comment",)

    response = models.ForeignKey(
        SelfAssessmentResponse,
        verbose_name=_("answer"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    statement = models.CharField(verbose_name=_("statement"), max_length=40)
    rating = models.PositiveSmallIntegerField(
        verbose_name=_("rating"), validators=[MinValueValidator(LOW), MaxValueValidator(HIGH)]
    )
    comment = models.TextField(
        verbose_name=_("comment"),
        blank=True,
        max_length=1000,
        validators=[storable_text, check_free_text],
        help_text=_("Optional. About the relationship; never about clients."),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("statement rating")
        verbose_name_plural = _("statement ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="perception_one_rating_per_statement"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=LOW, rating__lte=HIGH),
                name="perception_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def guard_site_id(self) -> int | None:
        # Set by the service before validation (the response is not saved yet).
        site_id: int | None = getattr(self, "site_id_for_guard", None)
        return site_id
