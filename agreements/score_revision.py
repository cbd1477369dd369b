"""A site's score revision: raised by every write that changes what its score reads, so
that a scorecard cached under an older revision is never read again (scoring.cache).
It lives with the site's records so that their services can raise it without importing
the scoring app above them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q

from agreements.models import Site


def bump(site_ids: Iterable[int | None]) -> None:
    """Make every cached score of these sites unreachable: call after the write."""
    ids = sorted({i for i in site_ids if i is not None})
    if ids:
        Site.objects.filter(pk__in=ids).update(scores_revision=F("scores_revision") + 1)


def bump_where(condition: Q) -> None:
    """`bump` for the sites matching `condition`, in one UPDATE (no id read first)."""
    Site.objects.filter(condition).update(scores_revision=F("scores_revision") + 1)
