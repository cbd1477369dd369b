"""A friendly 503 while the database cannot be reached, instead of a 500 with a trace.

When PostgreSQL restarts, fails over or refuses connections, every query raises
`OperationalError` (or `InterfaceError` on a connection that was already closed). This
middleware answers such a request with 503 and `Retry-After`: a standalone page for
people (templates/503.html, rendered without a request so that no context processor,
session or user lookup touches the database), `{"detail": …}` for `/api/` callers.

It must be first in MIDDLEWARE, and it has two ways in because Django turns an
exception into a 500 response at the layer that raised it:

- an error in a view reaches `process_exception`, which answers the 503 itself;
- an error in another middleware (the session and user lookups, session saving) has
  already become a 500 by the time it gets here: the `got_request_exception` receiver
  marks the request, and the 500 of a marked request is replaced by the 503.

Each such request is logged once, in one line (Django's own "Internal Server Error"
record with its trace is filtered out for these errors). The broken connection is
closed, so the next request opens a new one: the app recovers
on its own when the database is back (CONN_HEALTH_CHECKS catches connections that broke
between requests).
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
TEMPLATE = "503.html"
_MARK = "_hr_police_database_error"
# Written by hand so that a page goes out even if the template itself cannot be rendered.
_FALLBACK_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    "<title>hr_police is briefly unavailable</title></head><body><main>"
    "<h1>hr_police is briefly unavailable</h1>"
    "<p>Nothing was lost. Try again in a minute.</p></main></body></html>"
)


# PostgreSQL error classes that mean the server is unreachable or going away: connection
# exceptions (08…), and administrator / crash shutdown or "starting up" (57P01–57P03).
_OUTAGE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# SQLite's equivalents: a file another process holds locked, or one that cannot be opened.
_SQLITE_OUTAGE_WORDS = ("database is locked", "unable to open database")


def is_database_outage(exception: BaseException | None) -> bool:
    """True for a database that cannot be reached just now, which a retry will cure.

    Other operational errors — a deadlock, a statement timeout, a missing table after a
    forgotten migration — are bugs or load problems: they stay 500s with their traceback
    in the log, instead of hiding behind "briefly unavailable".
    """
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    if cause is None:  # raised by Django itself (or a test), not by the driver
        return True
    if isinstance(cause, sqlite3.Error):
        return any(words in str(cause) for words in _SQLITE_OUTAGE_WORDS)
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_OUTAGE_SQLSTATES)


def discard_broken_connections() -> None:
    """Close connections so the next request reconnects, instead of reusing a dead one.

    A connection inside a transaction is left alone: `atomic` closes it on the way out
    when its rollback fails, and closing it here would break that bookkeeping.
    """
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        with suppress(DatabaseError, InterfaceError):
            connection.close()


def unavailable_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": gettext("The database is unavailable; try again in a minute.")},
            status=503,
        )
    else:
        try:
            # No request: no context processor runs, so nothing asks the database.
            page: str = render_to_string(TEMPLATE, {"retry_after": RETRY_AFTER_SECONDS})
        except Exception:  # the page must go out whatever else is broken
            log.exception("the 503 page could not be rendered")
            page = _FALLBACK_PAGE
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # What SecurityHeadersMiddleware would add, had the answer come through it.
    for header, value in settings.HR_POLICE_SECURITY_HEADERS.items():
        response.setdefault(header, value)
    add_never_cache_headers(response)
    return response


def _mark_request(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Called by Django's exception handling, inside the `except` clause of the layer
    that raised; only a database outage marks the request."""
    exception = sys.exc_info()[1]
    if request is not None and is_database_outage(exception):
        setattr(request, _MARK, exception)


got_request_exception.connect(_mark_request, dispatch_uid="hr_police.db_unavailable")


class _SkipOutageTraces(logging.Filter):
    """Drop django.request's "Internal Server Error" records for a database outage: the
    middleware logs each such request once, in one line, and answers 503, not 500. (The
    session middleware alone would otherwise log the same outage twice per request.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and is_database_outage(record.exc_info[1]))


_skip_outage_traces = _SkipOutageTraces()


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Once per process; adding the same filter object again is a no-op.
        logging.getLogger("django.request").addFilter(_skip_outage_traces)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as exc:  # only with DEBUG_PROPAGATE_EXCEPTIONS
            if not is_database_outage(exc):
                raise
            return self._answer(request, exc)
        marked = getattr(request, _MARK, None)
        if marked is not None and response.status_code >= 500:
            return self._answer(request, marked)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        return self._answer(request, exception)

    def _answer(self, request: HttpRequest, exc: BaseException) -> HttpResponse:
        log.error("Database unavailable, answered 503: %s %s: %s", request.method,
                  request.path, exc)  # fmt: skip
        discard_broken_connections()
        response = unavailable_response(request)
        # Once is enough: Django would log the 503 again on its way out.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
