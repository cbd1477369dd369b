"""Small-cell suppression (SPEC §8): a count from 1 to T−1 is written as "<T"."""

from __future__ import annotations


def suppress(count: int, threshold: int = 10) -> str:
    """The count as a researcher may read it: 0 stays 0, 1…T−1 becomes "<T"."""
    if 0 < count < threshold:
        return f"<{threshold}"
    return str(count)
