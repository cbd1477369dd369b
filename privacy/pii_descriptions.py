"""Passages that may single out a client without any identifier (issue 15 item 2).

A tattoo, a tent's colour and place, a dog, a limp, where someone sleeps and when: no
pattern can tell with confidence whether such words describe a client or an officer, so
the guard warns and the writer decides (`privacy.pii.check_text`). Pure: no database.
"""

from __future__ import annotations

from collections.abc import Collection

from privacy.pii import Finding


def find_descriptions(text: str, *, officers: Collection[str] = ()) -> list[Finding]:
    """Passages of `text` that seem to describe a client, as warnings (kind
    `privacy.pii.DESCRIPTION`), in text order. Not yet written: finds nothing."""
    return []
