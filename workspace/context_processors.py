"""The record kinds of the site menu, for every page that shows a site."""

from typing import Any

from django.http import HttpRequest

from workspace.records import KINDS


def record_kinds(request: HttpRequest) -> dict[str, Any]:
    return {"record_kinds": KINDS.values()}
