"""Liaison continuity as plain data: who was the primary liaison when, the vacant
periods between them, and how often the post turned over."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None  # None: ongoing
    officer: str  # empty for a vacancy
    assignment_id: int | None = None
    days: int = 0  # length up to its end, or up to today while ongoing

    @property
    def vacant(self) -> bool:
        return not self.officer


@dataclass(frozen=True)
class Continuity:
    periods: list[Period]
    vacant_days: int
    primaries: int  # distinct officers who held the post
    changes: int  # handovers from one primary to another


def primary_timeline(
    assignments: Sequence[tuple[int, str, date, date | None]], today: date
) -> Continuity:
    """From (id, officer, start, end) of primary assignments, oldest first, to periods with
    the vacancies between them (up to today)."""
    periods: list[Period] = []
    cursor: date | None = None
    for assignment_id, officer, start, end in sorted(assignments, key=lambda a: a[2]):
        if start > today:
            continue
        if cursor is not None and start > cursor:
            periods.append(Period(cursor, start - timedelta(days=1), ""))
        periods.append(Period(start, end, officer, assignment_id))
        cursor = None if end is None else end + timedelta(days=1)
    if cursor is not None and cursor <= today:
        periods.append(Period(cursor, None, ""))
    periods = [replace(p, days=((p.end or today) - p.start).days + 1) for p in periods]
    held = [p for p in periods if not p.vacant]
    changes = sum(1 for a, b in pairwise(held) if a.officer != b.officer)
    return Continuity(
        periods=periods,
        vacant_days=sum(p.days for p in periods if p.vacant),
        primaries=len({p.officer for p in held}),
        changes=changes,
    )
