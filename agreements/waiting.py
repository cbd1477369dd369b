"""What waits for a user on their home page: one line per thing to answer, per site.

Each app that asks something of a user (a mediation thread to answer, a month's score to
reply to, a self-assessment round to fill in) offers a `waiting(user, roles)` function
returning these; the home page (workspace) gathers them. Each such function takes a
constant number of queries whatever the number of sites or records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol as TypingProtocol

from agreements.types import AnyUser


@dataclass(frozen=True)
class Waiting:
    site_id: int
    # One short sentence, already translated, saying what waits and what to do.
    text: str
    url: str
    # A stable key for tests and styling, e.g. "thread_reply", "score_reply_window".
    kind: str


class WaitingSource(TypingProtocol):
    def __call__(
        self, user: AnyUser, roles: Mapping[int, frozenset[str]]
    ) -> list[Waiting]: ...  # pragma: no cover - a signature, not code
