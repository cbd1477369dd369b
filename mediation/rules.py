"""The mediation thread's rules as plain functions over plain values (no database).

Two sides talk in a thread: the site (its managers, and network administrators acting
for it) and police (the site's liaisons). Who wrote last, and whether the thread is open,
decide who is waited on; the status rules say what a resolution needs.
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

SITE = "site"
POLICE = "police"

OPEN = "open"
RESOLVED = "resolved"

MANAGER = "manager"
ADMIN = "admin"
LIAISON = "liaison"

# Author roles on each side. An administrator replies for the site.
SIDES: dict[str, str] = {MANAGER: SITE, ADMIN: SITE, LIAISON: POLICE}

OUTCOME_REQUIRED = _("Say what was agreed or done: a resolved thread needs its outcome.")
UNKNOWN_STATUS = _("Choose open or resolved.")


def side_of(author_role: str) -> str:
    """The side an author role writes for ("site" or "police")."""
    return SIDES[author_role]


def author_role_for(roles: Collection[str]) -> str | None:
    """The role a user replies as at a site, from the roles they hold there: a manager
    speaks for the site before anything else; None when the user may not reply."""
    for role in (MANAGER, ADMIN, LIAISON):
        if role in roles:
            return role
    return None


def thread_side(roles: Collection[str]) -> str:
    """The side a user holding `roles` at a site reads a thread from."""
    role = author_role_for(roles)
    return side_of(role) if role is not None else POLICE


def status_errors(status: str, outcome: str) -> dict[str, str]:
    """What is wrong with a status change, by field name (empty: nothing)."""
    if status not in (OPEN, RESOLVED):
        return {"status": str(UNKNOWN_STATUS)}
    if status == RESOLVED and not outcome.strip():
        return {"outcome": str(OUTCOME_REQUIRED)}
    return {}


def status_after_reply(status: str) -> str:
    """A reply reopens a resolved thread: the other side must see that someone answered
    the outcome (a liaison contests it by replying; only the site resolves)."""
    return OPEN if status == RESOLVED else status


def waits_for(*, status: str, last_author_role: str | None, side: str) -> bool:
    """Whether an open thread waits for `side`: its last reply came from the other one."""
    if status != OPEN or last_author_role is None:
        return False
    return side_of(last_author_role) != side
