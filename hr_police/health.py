"""A liveness check for load balancers and benchmarks: no database, no session, no login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    # "The process answers", nothing more: a database check here would make every app
    # server look down when the database is, and load balancers would drain them all.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
