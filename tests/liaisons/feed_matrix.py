"""Access-matrix rows for the calendar feed URLs (see tests/test_access_matrix.py)."""

from typing import Any

FEED_ROWS: dict[str, tuple[Any, dict[str, int]]] = {}
