"""Server time and query count of pages, measured in-process with Django's test Client.

A few warm-up requests first (templates, fonts, caches), then `runs` timed requests; the
query count comes from one more request under CaptureQueriesContext, so that capturing
does not slow the timed ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.bench.stats import summarise_ms


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    url: str
    session: str  # the session key of the user who reads it


def client_for(session: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def _get(client: Client, url: str) -> tuple[int, int]:
    # secure=True: with debug off the app redirects plain HTTP, as behind TLS in production.
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}, not 200.")
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return response.status_code, len(body)


def measure_page(page: Page, *, runs: int = 25, warmup: int = 3) -> dict[str, Any]:
    client = client_for(page.session)
    # The first request fills the score cache (scoring.cache); the timed ones read
    # it, as people re-reading a page do. Its time is kept apart as the cold figure.
    started = time.perf_counter()
    _get(client, page.url)
    first = time.perf_counter() - started
    for _ in range(warmup - 1):
        _get(client, page.url)
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        _, size = _get(client, page.url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        _get(client, page.url)
    return {
        "title": page.title,
        "url": page.url,
        **summarise_ms(times),
        "first_ms": round(first * 1000, 1),
        "queries": len(captured),
        "bytes": size,
    }
