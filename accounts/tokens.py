"""API tokens: created shown once, stored hashed, revocable, each use audited and limited.

A token expires (`HR_POLICE_API_TOKEN_DAYS`, 90 by default, or what its maker chose from
1 to 365 days), is issued only to a user who has set up the second factor where it is
required (and stops working while they have not), and writes only with the read-write
scope (`api.main.BearerToken` refuses every other write, whatever the route).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.security import has_confirmed_device, needs_two_factor
from agreements import audit
from agreements.audit import Action
from agreements.models import ApiToken, Site, TokenScope
from agreements.secret_tokens import hash_token

TOKEN_PREFIX = "hrp_"
MAX_DAYS = 365
TWO_FACTOR_FIRST = gettext_lazy(
    "Set up two-factor sign-in first (sign in, or open /accounts/2fa/setup/): this "
    "account's roles need it, and a token must not be a way around it."
)


def two_factor_missing(user: User) -> bool:
    """The user's roles need the second factor and they have not set it up."""
    return needs_two_factor(user) and not has_confirmed_device(user)


def token_create(
    *,
    user: User,
    name: str,
    actor: object = None,
    days: int | None = None,
    scope: str = TokenScope.READ,
) -> tuple[ApiToken, str]:
    """A new token for `user`; the clear token is returned once and never stored.
    `days`: how long it works (the setting's default when None)."""
    if two_factor_missing(user):
        raise ValidationError(TWO_FACTOR_FIRST, code="two_factor")
    days = settings.HR_POLICE_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": gettext("A token works from 1 to %(max)d days.") % {"max": MAX_DAYS}}
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user=user,
        name=name,
        token_hash=hash_token(token),
        prefix=token[:8],
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    row.full_clean()
    detail = f"API token {row.prefix}… {row.scope}, {days} days"
    with transaction.atomic():  # no token without its audit entry
        row.save()
        audit.record(Action.CREATE, actor=actor or user, obj=row,
                     detail=f"{detail} for {user.get_username()}")  # fmt: skip
    return row, token


def token_revoke(*, token: ApiToken, actor: object) -> None:
    if token.revoked_at is None:
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
            audit.record(
                Action.DELETE, actor=actor, obj=token, detail=f"API token {token.prefix}… revoked"
            )


def token_user(token: str) -> ApiToken | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.filter(
            token_hash=hash_token(token), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .first()
    )
    if row is None or not row.user.is_active or two_factor_missing(row.user):
        return None
    return row


@dataclass(frozen=True)
class Throttle:
    allowed: bool
    retry_after: int  # seconds until the next window


def throttle(key: str) -> Throttle:
    """A fixed one-minute window per key (token or session user) in Django's cache.

    With several app servers, configure a shared cache (Redis, database) so the limit holds
    across them; the default local-memory cache counts per process.
    """
    now = timezone.now()
    window = int(now.timestamp() // 60)
    cache_key = f"api-rate:{key}:{window}"
    added = cache.add(cache_key, 1, timeout=90)
    count = 1 if added else cache.incr(cache_key)
    limit = settings.HR_POLICE_API_RATE_PER_MINUTE
    return Throttle(allowed=count <= limit, retry_after=60 - int(now.timestamp()) % 60)


# A request about a site's interactions: its entry (and the token's last use) keeps the
# hour at that site, like the interaction it wrote or read (agreements/hour_stamp.py).
_INTERACTIONS_PATH = re.compile(r"/sites/(?P<slug>[^/]+)/interactions(?:/|$)")


def token_use(request: HttpRequest, row: ApiToken) -> Throttle:
    """Count a request made with a token against its limit; if allowed, note and audit it."""
    verdict = throttle(f"token:{row.pk}")
    if verdict.allowed:
        used = f"API {request.method} {request.path[:120]} ({row.prefix}…)"
        about = _INTERACTIONS_PATH.search(request.path)
        # An unknown slug is answered 404 later; its entry keeps the hour in UTC.
        site = Site.objects.filter(slug=about["slug"]).first() if about else None
        entry = audit.record(Action.VIEW, actor=row.user, site=site, detail=used,
                             hourly=about is not None)  # fmt: skip
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=entry.at)
    return verdict
