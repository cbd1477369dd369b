"""URLs whose views fail as views do when the database goes away mid-request."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def lost_connection(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


def closed_connection(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def bug(request: HttpRequest) -> HttpResponse:
    raise ValueError("a programming error, not an outage")


urlpatterns = [
    path("outage/lost/", lost_connection),
    path("outage/closed/", closed_connection),
    path("outage/bug/", bug),
    path("api/v1/outage/", lost_connection),
    path("", include("hr_police.urls")),
]
