"""Access-matrix rows for the export and report URLs (see tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

# The matrix's roles, in its order; kept here so this module needs nothing from the
# module that imports it.
ROLES = ("anonymous", "manager", "other_manager", "liaison", "researcher", "admin", "community")
LOGIN = 302


def statuses(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


def _site(name: str) -> Any:
    return lambda objects: reverse(name, kwargs={"slug": "riverside"})


# A site's own exports hold narratives: its managers and admins only.
SITE_EXPORT = statuses(LOGIN, 200, 404, 403, 403, 200, 403)
# The research exports are operations of the API (`api:interactions_csv`,
# `api:transparency_csv`): like every API route, their role rows are in tests/api/.

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
}
