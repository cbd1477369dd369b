"""Which protocol version is in force on a day (SPEC §6, F4). A pure rule over anything
with the version's status, number and dates: the rubric applies it to its plain data,
the selector to model instances, so the rule is written once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol as Shape
from typing import TypeVar


class Version(Shape):
    @property
    def status(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def effective_from(self) -> date | None: ...
    @property
    def ended_on(self) -> date | None: ...


V = TypeVar("V", bound=Version)

SIGNED_STATUSES = ("signed", "ended")


def in_force(versions: Iterable[V], day: date) -> V | None:
    """The signed (or later ended) version with the greatest effective_from ≤ day whose
    ended_on is empty or after the day."""
    candidates = [
        v
        for v in versions
        if v.status in SIGNED_STATUSES
        and v.effective_from is not None
        and v.effective_from <= day
        and (v.ended_on is None or v.ended_on > day)
    ]
    return max(candidates, key=lambda v: (v.effective_from, v.version), default=None)
