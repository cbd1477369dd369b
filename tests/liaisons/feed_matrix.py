"""Access-matrix rows for the calendar feed URLs (see tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse

from agreements.models import Site
from agreements.secret_tokens import hash_token
from liaisons.models import CalendarFeed

# The matrix's roles, in its order; kept here so this module needs nothing from the
# module that imports it.
ROLES = ("anonymous", "manager", "other_manager", "liaison", "researcher", "admin", "community")
LOGIN = 302
FEED_TOKEN = "matrix-feed-token"


def statuses(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


def site_feed(token: str = "") -> CalendarFeed:
    """A live feed of the matrix's site, made by its manager (the `world` fixture's)."""
    return CalendarFeed.objects.create(
        site=Site.objects.get(slug="riverside"),
        label="front desk",
        token_hash=hash_token(token or FEED_TOKEN),
        created_by=User.objects.get(username="manager-riverside"),
    )


def feed_url(objects: dict[str, Any]) -> str:
    site_feed()
    return reverse("liaisons:calendar_feed", kwargs={"token": FEED_TOKEN})


def revoke_url(objects: dict[str, Any]) -> str:
    feed = site_feed("another-token")
    return reverse("liaisons:calendar_link_revoke", kwargs={"slug": "riverside", "pk": feed.pk})


FEED_ROWS: dict[str, tuple[Any, dict[str, int]]] = {
    # A secret link opens without signing in, whoever holds it.
    "liaisons:calendar_feed": (feed_url, statuses(200, 200, 200, 200, 200, 200, 200)),
    # Liaisons make and revoke their own link; researchers read no schedules.
    "liaisons:calendar_links": (
        lambda o: reverse("liaisons:calendar_links", kwargs={"slug": "riverside"}),
        statuses(LOGIN, 200, 404, 200, 403, 200, 403),
    ),
    "liaisons:calendar_link_revoke": (revoke_url, statuses(LOGIN, 405, 404, 405, 403, 405, 403)),
    # The API's calendar file (`api:site_calendar`) has its role rows in tests/api/, like
    # every API route.
}
