"""What the page layout needs to know about the signed-in user, computed only if used."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from agreements.access import GRANTS, Permission, roles_by_site


class Navigation:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def scores(self) -> bool:
        """Whether the user may see scores anywhere (the dashboard link)."""
        roles = roles_by_site(self.request.user)
        return any(held & GRANTS[Permission.VIEW_SCORES] for held in roles.values())


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav": Navigation(request)}
