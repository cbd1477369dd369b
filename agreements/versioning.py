"""Optimistic concurrency: a version column that every audited change moves on.

A page carries the version (`edit_version`) of the record it loaded, in a hidden field.
The service that saves, deletes or copies the record locks its row in its own
transaction and compares
(`check_version`): if the version moved, someone else saved meanwhile and nothing is
written (`EditConflict`). A save that changes something moves the version on by one
(`bump`) in the same place that writes its audit entry, so the entries written since a
page loaded version v are the newest (now - v) of them: that is how a refused page says
who changed what and when (agreements/conflicts.py).

Rows created in bulk (bundle import, demo data) start at version 1 and need nothing.
"""

from __future__ import annotations

from django.db import models


class Versioned(models.Model):
    """Adds the version column to a model whose pages edit, delete or record outcomes.
    Named `edit_version` because a protocol's `version` is its number (v1, v2…)."""

    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """The record moved on (or was deleted) since the page loaded it; nothing was written."""


def check_version(instance: models.Model) -> None:
    """Lock the stored row and refuse unless it is still at the instance's version. Call
    it inside the service's transaction before writing: the lock holds until it commits,
    so a second save waits for the first and then sees the version it moved to."""
    if not isinstance(instance, Versioned) or instance._state.adding or instance.pk is None:
        return
    stored = (
        type(instance)
        ._default_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("edit_version", flat=True)
        .first()
    )
    if stored != instance.edit_version:
        raise EditConflict


def bump(instance: models.Model) -> None:
    """Move an existing record's version on, before the save that writes it (and its
    audit entry); a record being created keeps version 1."""
    if isinstance(instance, Versioned) and not instance._state.adding:
        instance.edit_version += 1
