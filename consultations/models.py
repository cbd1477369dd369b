"""A protocol version opened to the site's community body, its comments and the
managers' answers (SPEC §3 Consultation).

Written only through consultations/services.py. Comments and answers are kept to the hour
at the site, like the replies of a mediation thread: a comment may recount what police
did near the site, and its time must not date that more finely than the interaction log
does.

An answer is never changed in place: editing it adds a row, and the newest row is the
answer. The community read the earlier wording and may have relied on it; the audit log
names fields, never text, so only these rows keep what was said (docs/decisions.md).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.hour_stamp import HourStamp
from agreements.models import Protocol, Site
from agreements.pii_guard import GuardedText
from agreements.storable import storable_text
from consultations import rules
from privacy.pii import check_free_text

MAX_TEXT = 4000


class ClosedReason(models.TextChoices):
    MANAGER = rules.BY_MANAGER, _("closed early by a manager")
    SIGNED = rules.BY_SIGNING, _("closed when the version was signed")


class Consultation(models.Model):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="consultations"
    )
    protocol = models.ForeignKey(
        Protocol,
        verbose_name=_("protocol version"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(verbose_name=_("opened at"), default=timezone.now)
    closes_on = models.DateField(
        verbose_name=_("closes on"),
        help_text=_("The last day to comment, at the site (open until the end of that day)."),
    )
    closed_at = models.DateTimeField(verbose_name=_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_reason = models.CharField(
        verbose_name=_("why it closed"), max_length=10, choices=ClosedReason.choices, blank=True
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return gettext("consultation on version %(version)s") % {"version": self.protocol.version}

    def is_open(self, today: date | None = None) -> bool:
        """Whether it takes comments now (`today` at the site, read once by callers
        that ask of many)."""
        return rules.is_open(
            closed=self.closed_at is not None,
            closes_on=self.closes_on,
            protocol_status=self.protocol.status,
            today=today or self.site.today(),
        )

    def closing_day(self) -> date:
        """The day it closed or will close: the day a manager closed it (or the version
        was signed), else its last day."""
        if self.closed_at is not None:
            return min(self.site.local(self.closed_at).date(), self.closes_on)
        return self.closes_on


class Comment(GuardedText):
    guarded_text_fields = ("text",)

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    # The community body's account; kept (SET_NULL) when the account is deleted.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(
        verbose_name=_("comment"),
        validators=[storable_text, MaxLengthValidator(MAX_TEXT), check_free_text],
        help_text=_(
            "About the version's clauses. The site's managers read it and answer; never "
            "describe or name anyone who uses the site."
        ),
    )
    posted_at = HourStamp(verbose_name=_("posted at"), site="consultation.site")

    class Meta:
        # By id: the times are kept to the hour, so several comments share one.
        ordering = ["id"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")

    def __str__(self) -> str:
        return gettext("comment %(id)s") % {"id": self.pk}

    def guard_site_id(self) -> int | None:
        return self.consultation.site_id if self.consultation_id else None


class Answer(GuardedText):
    """One wording of the managers' answer to a comment; the newest is the answer."""

    guarded_text_fields = ("text",)

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="answers"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(
        verbose_name=_("answer"),
        validators=[storable_text, MaxLengthValidator(MAX_TEXT), check_free_text],
        help_text=_(
            "The community body reads it as the site's answer. Never describe or name "
            "anyone who uses the site."
        ),
    )
    answered_at = HourStamp(verbose_name=_("answered at"), site="comment.consultation.site")

    class Meta:
        ordering = ["id"]
        verbose_name = _("answer to a comment")
        verbose_name_plural = _("answers to comments")

    def __str__(self) -> str:
        return gettext("answer %(id)s") % {"id": self.pk}

    def guard_site_id(self) -> int | None:
        return self.comment.consultation.site_id if self.comment_id else None
