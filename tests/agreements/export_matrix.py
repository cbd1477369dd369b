"""Access-matrix rows for the export and report URLs (see tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

# The matrix's roles, in its order; kept here so this module needs nothing from the
# module that imports it.
ROLES = ("anonymous", "manager", "other_manager", "liaison", "researcher", "admin")
LOGIN = 302


def statuses(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


def _site(name: str) -> Any:
    return lambda objects: reverse(name, kwargs={"slug": "riverside"})


def _api(name: str) -> Any:
    return lambda objects: reverse(name)


# A site's own exports hold narratives: its managers and admins only.
SITE_EXPORT = statuses(LOGIN, 200, 404, 403, 403, 200)
# Research exports cover the caller's own sites with scores, so another site's manager
# gets a file too (of their site); an API answers 401 rather than redirecting.
RESEARCH_EXPORT = statuses(401, 200, 200, 403, 200, 200)

EXPORT_ROWS: dict[str, tuple[Any, dict[str, int]]] = {
    "agreements:site_exports": (_site("agreements:site_exports"), SITE_EXPORT),
    "agreements:site_export_interactions": (
        _site("agreements:site_export_interactions"),
        SITE_EXPORT,
    ),
    "agreements:site_export_transparency": (
        _site("agreements:site_export_transparency"),
        SITE_EXPORT,
    ),
    "api_files:interactions_csv": (
        _api("api_files:interactions_csv"),
        RESEARCH_EXPORT,
    ),
    "api_files:transparency_csv": (
        _api("api_files:transparency_csv"),
        RESEARCH_EXPORT,
    ),
}
