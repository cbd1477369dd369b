"""What the liaison edition of the report says for a month, shown on the reply page
before the liaison writes.

The liaison edition's own figures (the dedicated-liaison factor: assignments, verified
contact, acknowledgement; nothing about interactions) are computed by `scoring` and
printed by `reports`, both layers above this app. `reports` registers the lookup when it
starts (`reports.apps`), as `liaisons` does for the PII guard's roster; without it the
page shows only the link to the liaison edition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from agreements.models import Site


@dataclass(frozen=True)
class CriterionLine:
    key: str
    points: int
    max: int
    evidence: str


@dataclass(frozen=True)
class LiaisonFactor:
    """The dedicated-liaison factor as the liaison edition prints it."""

    score: int
    criteria: tuple[CriterionLine, ...]


LiaisonFactorLookup = Callable[[Site, date], LiaisonFactor]
_lookup: list[LiaisonFactorLookup] = []


def register_liaison_factor(lookup: LiaisonFactorLookup) -> None:
    _lookup[:] = [lookup]


def liaison_factor(site: Site, day: date) -> LiaisonFactor | None:
    """The liaison edition's factor as of `day`, or None when no app registered one."""
    return _lookup[0](site, day) if _lookup else None
