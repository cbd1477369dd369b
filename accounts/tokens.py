"""API tokens: created shown once, stored hashed, revocable, each use audited and limited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from agreements import audit
from agreements.audit import Action
from agreements.models import ApiToken
from agreements.secret_tokens import hash_token

TOKEN_PREFIX = "hrp_"


def token_create(*, user: User, name: str, actor: object = None) -> tuple[ApiToken, str]:
    """A new token for `user`; the clear token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, name=name, token_hash=hash_token(token), prefix=token[:8])
    row.full_clean()
    with transaction.atomic():  # no token without its audit entry
        row.save()
        audit.record(Action.CREATE, actor=actor or user, obj=row,
                     detail=f"API token {row.prefix}… for {user.get_username()}")  # fmt: skip
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
        ApiToken.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if row is None or not row.user.is_active:
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


def token_use(request: HttpRequest, row: ApiToken) -> Throttle:
    """Count a request made with a token against its limit; if allowed, note and audit it."""
    verdict = throttle(f"token:{row.pk}")
    if verdict.allowed:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        used = f"API {request.method} {request.path[:120]} ({row.prefix}…)"
        audit.record(Action.VIEW, actor=row.user, detail=used)
    return verdict
