"""Which protocol version is in force on a day (SPEC §6, F4). A pure rule over anything
with the version's status, number and dates: the rubric applies it to its plain data,
the selector to model instances, so the rule is written once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol as Shape
from typing import TypeVar

from django.utils import formats
from django.utils.translation import gettext, pgettext


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


# --- what a version's status reads as, on a day ----------------------------------------

DRAFT = "draft"
NEGOTIATING = "negotiating"
IN_FORCE = "in_force"
UPCOMING = "upcoming"  # signed, takes effect on a later day
ENDED = "ended"


@dataclass(frozen=True)
class ShownStatus:
    """A version's status as people should read it on `day`: the stored status says
    what was agreed (`signed`, `ended`); this says where the version stands. A version
    ended by a successor that has not taken effect yet is still in force; a signed
    version whose first day is still to come is not in force yet.

    `kind` is one of draft, negotiating, in_force, upcoming, ended; `day` is the day it
    takes effect (upcoming), stops being in force (in_force, when an end is set) or
    stopped (ended)."""

    kind: str
    day: date | None = None

    @property
    def label(self) -> str:
        when = formats.date_format(self.day, "SHORT_DATE_FORMAT") if self.day else ""
        if self.kind == DRAFT:
            return pgettext("protocol status", "Draft")
        if self.kind == NEGOTIATING:
            return pgettext("protocol status", "Negotiating")
        if self.kind == IN_FORCE and self.day:
            return gettext("In force until %(day)s") % {"day": when}
        if self.kind == IN_FORCE:
            return pgettext("protocol status", "In force")
        if self.kind == UPCOMING:
            return gettext("Signed — takes effect on %(day)s") % {"day": when}
        return gettext("Ended on %(day)s") % {"day": when}

    @property
    def english(self) -> str:
        """The label in English, for the API (whose answers are not translated)."""
        day = self.day.isoformat() if self.day else ""
        if self.kind == IN_FORCE and self.day:
            return f"in force until {day}"
        return {
            DRAFT: "draft",
            NEGOTIATING: "negotiating",
            IN_FORCE: "in force",
            UPCOMING: f"signed, takes effect on {day}",
            ENDED: f"ended on {day}",
        }[self.kind]


def shown_status(version: Version, day: date) -> ShownStatus:
    """Where `version` stands on `day` (see `ShownStatus`). A signed or ended version is
    in force exactly when `in_force` would choose it among its site's versions: signing
    keeps one candidate a day (`validate_protocol_order`, `superseded`), so the version
    alone decides, and pages need not load the others."""
    if version.status not in SIGNED_STATUSES:
        return ShownStatus(DRAFT if version.status == DRAFT else NEGOTIATING)
    if version.effective_from is not None and version.effective_from > day:
        return ShownStatus(UPCOMING, version.effective_from)
    if in_force([version], day) is version:
        return ShownStatus(IN_FORCE, version.ended_on)
    return ShownStatus(ENDED, version.ended_on)
