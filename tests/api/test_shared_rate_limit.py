"""With HR_POLICE_CACHE_URL pointing at Redis, the API rate limit holds across app servers.

Two app servers are two processes with their own cache clients; here, two RedisCache
clients on the same Redis stand in for them. Needs a Redis on 127.0.0.1:6379 (CI has one);
without it the test is skipped and says so.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from accounts.tokens import throttle

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, flushed by nobody else


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_answers(), reason="no Redis on 127.0.0.1:6379 (apt-get install redis-server)"
)

REDIS_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}


@pytest.fixture
def redis_cache() -> Iterator[None]:
    with override_settings(CACHES=REDIS_CACHES, HR_POLICE_API_RATE_PER_MINUTE=3):
        yield
        caches["default"].clear()


def test_the_settings_build_a_redis_cache_from_the_url(redis_cache: None) -> None:
    assert isinstance(caches["default"], RedisCache)


@time_machine.travel(datetime(2026, 6, 30, 12, 0, 5, tzinfo=UTC), tick=False)
def test_requests_counted_on_one_server_count_on_the_other(redis_cache: None) -> None:
    key = f"token:{uuid.uuid4()}"
    assert throttle(key).allowed  # 1, on "server A"
    assert throttle(key).allowed  # 2, on "server A"
    server_b = RedisCache(REDIS_URL, {})
    window = int(datetime(2026, 6, 30, 12, 0, 5, tzinfo=UTC).timestamp() // 60)
    assert server_b.get(f"api-rate:{key}:{window}") == 2  # "server B" sees A's count
    assert throttle(key).allowed  # 3: the limit
    assert not throttle(key).allowed  # 4: refused, whichever server it reaches
