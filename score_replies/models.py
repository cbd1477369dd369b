"""The police service's reply to a site's scorecard for a complete month, and every
wording of it (SPEC §3: ScoreReply).

One reply per site and month holds the current text; each write appends a version, and
nothing is ever deleted, so what the police service said and when stays on record even
after it re-words its reply. The author is the liaison officer who wrote it and the
service is that officer's, copied when written (an officer may move to another service
later; the reply stays the words of the service they spoke for).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.dates import plausible_date
from agreements.models import Site
from agreements.pii_guard import GuardedText
from agreements.storable import storable_text
from liaisons.models import LiaisonOfficer, PoliceService
from privacy.pii import check_free_text

MAX_TEXT = 4000
NOT_FIRST_OF_MONTH = _("A reply's month is stored as its first day.")


def _text_field() -> models.TextField:  # type: ignore[type-arg]
    return models.TextField(
        verbose_name=_("reply"),
        validators=[storable_text, MaxLengthValidator(MAX_TEXT), check_free_text],
        help_text=_(
            "Your service's words beside the site's score. Never describe or name clients."
        ),
    )


class ScoreReply(GuardedText):
    guarded_text_fields = ("text",)

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="score_replies"
    )
    month = models.DateField(
        verbose_name=_("month"),
        validators=[plausible_date],
        help_text=_("The first day of the month whose scorecard this answers."),
    )
    text = _text_field()
    # Nullable so that an officer or service record can still be removed by its own rules;
    # the versions keep who wrote what while the records exist.
    service = models.ForeignKey(
        PoliceService,
        verbose_name=_("police service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author = models.ForeignKey(
        LiaisonOfficer,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["site", "month"], name="one_score_reply_per_month"),
        ]
        verbose_name = _("score reply")
        verbose_name_plural = _("score replies")

    def __str__(self) -> str:
        return f"{self.site_id}: {self.month:%Y-%m}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": NOT_FIRST_OF_MONTH})


class ScoreReplyVersion(models.Model):
    """One wording of a reply, in the order written (number 1, 2…)."""

    reply = models.ForeignKey(
        ScoreReply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    text = _text_field()
    author = models.ForeignKey(
        LiaisonOfficer,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(verbose_name=_("written at"), default=timezone.now)

    class Meta:
        ordering = ["reply", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "number"], name="one_score_reply_number"),
        ]
        verbose_name = _("score reply version")
        verbose_name_plural = _("score reply versions")

    def __str__(self) -> str:
        return f"{self.reply_id} v{self.number}"
