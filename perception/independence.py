"""Who sees which side's answers of a round (pure).

Each side answers without seeing the other's: until both sides have answered a round (or
the round has closed), a respondent sees their own side's answers only, so that neither
side's ratings can anchor the other's. Afterwards both sides see both sides' ratings and
comments, which is the point of the exercise. Administrators of the network answer for
neither side and see everything, as they do for every record.
"""

from __future__ import annotations

from collections.abc import Collection

from agreements.choices import Role
from perception.gaps import LIAISON, MANAGER, SIDES

BOTH = frozenset(SIDES)


def respondent_side(roles: Collection[str]) -> str | None:
    """The side a user answers for at a site, fixed by their role there: the site's
    managers for the site, its liaison officers for police; anyone else answers for
    neither (administrators, researchers). A manager's role wins over a liaison's, so
    that no one answers twice."""
    if Role.MANAGER in roles:
        return MANAGER
    if Role.LIAISON in roles:
        return LIAISON
    return None


def revealed(*, answered_sides: Collection[str], closed: bool) -> bool:
    """Whether a round's answers are open to both sides."""
    return closed or set(answered_sides) >= BOTH


def shown_sides(
    *, viewer_side: str | None, answered_sides: Collection[str], closed: bool
) -> frozenset[str]:
    """The sides whose answers this viewer may read for a round."""
    if viewer_side is None or revealed(answered_sides=answered_sides, closed=closed):
        return BOTH
    return frozenset({viewer_side})
