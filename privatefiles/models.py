from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """One private file: its storage name (what a FileField keeps) and its bytes.

    Written and read only through `privatefiles.storage.DatabaseStorage`; a row is made
    in the same transaction as the record that names it, so a failed save leaves none."""

    name = models.CharField(verbose_name=_("name"), max_length=255, unique=True)
    content = models.BinaryField(verbose_name=_("content"))
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    # Storage.get_modified_time's answer; files are protocols and reports, never tied
    # to one interaction, so the exact time carries nothing about a client.
    modified_at = models.DateTimeField(verbose_name=_("modified at"), default=timezone.now)

    class Meta:
        verbose_name = _("private file")
        verbose_name_plural = _("private files")

    def __str__(self) -> str:
        return self.name
