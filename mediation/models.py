"""The mediation thread of an interaction shared with police (SPEC §3 SharedThread).

One thread per interaction, not per share: unsharing deletes the share row (police no
longer see anything of it) and re-sharing brings the same thread back, so the site keeps
its history. Every time here is kept to the hour at the site, on the grid of the
interaction's own time (agreements/hour_stamp.py): a reply written at 14:07 about a stop
must not date the stop more finely than the stop itself is dated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.hour_stamp import HourStamp
from agreements.models import Interaction
from agreements.pii_guard import GuardedText
from mediation import rules
from privacy.pii import check_free_text


class ThreadStatus(models.TextChoices):
    OPEN = rules.OPEN, _("Open")
    RESOLVED = rules.RESOLVED, _("Resolved")


class AuthorRole(models.TextChoices):
    MANAGER = rules.MANAGER, _("Site manager")
    ADMIN = rules.ADMIN, _("Administrator")
    LIAISON = rules.LIAISON, _("Police liaison")


class SharedThread(GuardedText):
    guarded_text_fields = ("outcome",)

    interaction = models.OneToOneField(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="mediation_thread",
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=ThreadStatus.choices,
        default=ThreadStatus.OPEN,
    )  # fmt: skip
    outcome = models.TextField(
        verbose_name=_("outcome"),
        blank=True,
        validators=[check_free_text],
        help_text=_("What was agreed or done. Both sides read it; never describe or name clients."),
    )
    opened_at = HourStamp(verbose_name=_("opened at"), site="interaction.site")
    # Kept to the hour by the service (`this_hour`): not an HourStamp, which would fill
    # the empty value of an open thread on every save.
    resolved_at = models.DateTimeField(verbose_name=_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("mediation thread")
        verbose_name_plural = _("mediation threads")

    def __str__(self) -> str:
        return gettext("mediation thread %(id)s") % {"id": self.pk}

    def guard_site_id(self) -> int | None:
        return self.interaction.site_id if self.interaction_id else None


class ThreadReply(GuardedText):
    guarded_text_fields = ("text",)

    thread = models.ForeignKey(
        SharedThread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_role = models.CharField(
        verbose_name=_("author role"), max_length=10, choices=AuthorRole.choices
    )
    text = models.TextField(
        verbose_name=_("reply"),
        validators=[check_free_text],
        help_text=_("Both sides read it. Describe police conduct; never describe or name clients."),
    )
    posted_at = HourStamp(verbose_name=_("posted at"), site="thread.interaction.site")

    class Meta:
        # By id: the times are kept to the hour, so several replies share one.
        ordering = ["id"]
        verbose_name = _("thread reply")
        verbose_name_plural = _("thread replies")

    def __str__(self) -> str:
        return gettext("reply %(id)s") % {"id": self.pk}

    def guard_site_id(self) -> int | None:
        return self.thread.interaction.site_id if self.thread_id else None

    @property
    def side(self) -> str:
        return rules.side_of(self.author_role)
