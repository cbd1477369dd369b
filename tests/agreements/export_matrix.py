"""Access-matrix rows for the export and report URLs (see tests/test_access_matrix.py)."""

from typing import Any

EXPORT_ROWS: dict[str, tuple[Any, dict[str, int]]] = {}
