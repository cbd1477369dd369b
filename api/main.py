"""The HTTP API v1 (SPEC §7) with django-ninja: OpenAPI at /api/v1/openapi.json, a
documentation page at /api/v1/docs, Bearer tokens or the browser session.

All of `/api/v1` is this one NinjaAPI: the JSON routes, the report PDFs, the research
CSV exports and the calendar feed are each an operation of the OpenAPI document, with
the same authentication, rate limit, error answers and English.

Scoping goes through `agreements.access` like the pages: out of scope 404, a role that
may not 403, anonymous 401, validation errors 422 naming the field.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from accounts.tokens import throttle, token_use, token_user
from api.schemas import BadQuery
from privacy.pii import WARNING_CODE


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after


def _limit(request: HttpRequest, key: str) -> None:
    verdict = throttle(key)
    if not verdict.allowed:
        raise Throttled(verdict.retry_after)


# Methods that read; every other one writes, and needs a read-write token.
READS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_TOKEN = (
    "This token is read-only: make a read-write token (manage.py api_token --scope "
    "read-write, or /accounts/tokens/) for a program that writes."
)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; the scope is checked here, before any route runs,
    so that no write (present or future) can forget it."""

    openapi_description = (
        "A personal API token (`manage.py api_token`, or /accounts/tokens/). It expires "
        "(90 days by default, HR_POLICE_API_TOKEN_DAYS; 1 to 365 chosen when it is made) "
        "and has a scope: `read` tokens are answered 403 on every POST, PUT, PATCH and "
        "DELETE; `read-write` tokens may write what their user may."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = token_user(token)
        if row is None:
            return None
        verdict = token_use(request, row)
        if not verdict.allowed:
            raise Throttled(verdict.retry_after)
        if request.method not in READS and not row.may_write:
            raise PermissionDenied(READ_ONLY_TOKEN)
        request.user = row.user
        return row.user


class SessionUser(APIKeyCookie):
    """The browser session (with Django's CSRF check on writes)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        _limit(request, f"user:{user.pk}")
        return user


def _in_english(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer in English whatever the caller's Accept-Language or language cookie.

    SPEC §7 is a machine interface: its answers (JSON, CSV, iCalendar), the scorecard's
    evidence sentences and the error messages included, stay in English; the pages are
    the translated interface. Applied with ninja's public hooks below (`add_decorator` in
    "view" mode, which wraps authentication, parameter parsing and error answers too, and
    `docs_decorator` for the OpenAPI document and its page), not by rewriting its URLs.
    """

    @functools.wraps(view)
    def english_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with translation.override(settings.LANGUAGE_CODE):
            response = view(request, *args, **kwargs)
        # LocaleMiddleware would otherwise label the answer with the caller's language.
        response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
        return response

    return english_view


api = NinjaAPI(
    title="hr_police API",
    version="1",
    description="Sites, scores, protocols, records, research CSV exports and calendar "
    "feeds of supervised injection sites and their police liaisons. Authenticate with "
    "`Authorization: Bearer <token>` (see `manage.py api_token`) or a signed-in browser "
    "session. Tokens expire (90 days unless chosen otherwise) and are read-only unless "
    "made read-write: a write with a read-only token is answered 403.",
    urls_namespace="api",
    auth=[BearerToken(), SessionUser()],
    # The OpenAPI document and its documentation page describe the API and hold no data;
    # they stay open so that tools and new users can read them before signing in.
    # The paths of the document start with /api/v1: they are served from the root of
    # the host that serves the document (a relative URL, OpenAPI 3.1 §4.8.5), whatever
    # its name in a given deployment.
    servers=[{"url": "/", "description": "This server (the one serving this document)"}],
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=_in_english,
)
api.add_decorator(_in_english, mode="view")


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    # Required with a 401 (RFC 9110): the scheme a program should answer with.
    response["WWW-Authenticate"] = 'Bearer realm="hr_police"'
    return response


@api.exception_handler(BadQuery)
def _bad_query(request: HttpRequest, exc: BadQuery) -> HttpResponse:
    """A query parameter of the right type but a refused value (a month that does not
    exist, a year not yet ended, `from` after `to`), as 422 naming it like ninja does."""
    detail = [{"loc": ["query", exc.name], "msg": exc.message, "type": "value_error"}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = api.create_response(request, {"detail": "Too many requests: slow down."}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "Your role does not allow this."}, status=403
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A model's refusal (dates, choices, the PII guard), as 422 naming each field. A PII
    warning the caller may confirm (`"pii_confirmed": true`) is its own entry, of type
    `pii_unconfirmed`; every other refusal is a `value_error`."""
    if not hasattr(exc, "error_dict"):
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]
        return api.create_response(request, {"detail": detail}, status=422)
    detail = []
    for field, errors in exc.error_dict.items():
        refusals = [e for e in errors if e.code != WARNING_CODE]
        warnings = [e for e in errors if e.code == WARNING_CODE]
        for chosen, kind in ((refusals, "value_error"), (warnings, WARNING_CODE)):
            if chosen:
                message = " ".join(ValidationError(chosen).messages)
                detail.append({"loc": ["body", field], "msg": message, "type": kind})
    return api.create_response(request, {"detail": detail}, status=422)


from api import (  # noqa: E402  (each module holds a router)
    calendar,
    consultations,
    exports,
    mediation,
    peer_reports,
    perception,
    records,
    score_replies,
    sites,
)

api.add_router("/", sites.router)
api.add_router("/", records.router)
api.add_router("/", calendar.router)
api.add_router("/", exports.router)
api.add_router("/", mediation.router)
api.add_router("/", score_replies.router)
api.add_router("/", perception.router)
api.add_router("/", consultations.router)
api.add_router("/", peer_reports.router)
