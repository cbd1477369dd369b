"""A fixed moment for the reply tests: 10 June 2026 at noon in Toronto, so May 2026 is
the newest complete month at the test site (opened 2020-01-01)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

NOW = datetime(2026, 6, 10, 16, 0, tzinfo=UTC)

# Replies the tests write: the words of a police service, nothing the PII guard refuses.
REPLY = "Reply-5e1d: our officers kept out of the buffer all month; we ask for a meeting."
REWORDED = "Reply-5e1d v2: we keep to the buffer and ask for a check-in in July."


@pytest.fixture(autouse=True)
def fixed_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
