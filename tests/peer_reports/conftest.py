"""Every test here starts with empty rate-limit counters and at a fixed moment: the day
after the report's incident, at 14:37 in Toronto (so that any minute kept would show)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import caches

NOW = datetime(2026, 6, 2, 18, 37, 12, tzinfo=UTC)  # 14:37:12 in Toronto


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def fixed_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
