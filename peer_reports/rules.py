"""The follow-up status of a peer report, as plain values (no database).

What the reporter sees with their code is one of four words. The status only moves
forward: a report once raised with police is never "just reviewed" again to whoever
holds the code, and a resolved one stays resolved.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RECEIVED = "received"
REVIEWED = "reviewed"
RAISED_WITH_POLICE = "raised_with_police"
RESOLVED = "resolved"

ORDER: tuple[str, ...] = (RECEIVED, REVIEWED, RAISED_WITH_POLICE, RESOLVED)

# What the site's managers decided on review.
ENTERED = "entered"
DECLINED = "declined"

BACKWARDS = _("A follow-up status only moves forward.")
NOT_REVIEWED = _("Review the report first: enter it into the log or decline it.")
NO_MEDIATION_CONSENT = _(
    "The reporter did not agree to raise this report with police (their consent is not "
    "“mediation”)."
)


def moves_forward(current: str, new: str) -> bool:
    return ORDER.index(new) > ORDER.index(current)


def next_statuses(current: str, *, mediation_consent: bool) -> list[str]:
    """The statuses a manager may set next: after review, forward only; raising with
    police needs the reporter's consent to mediation."""
    if current == RECEIVED:
        return []
    return [
        status
        for status in ORDER
        if moves_forward(current, status) and (status != RAISED_WITH_POLICE or mediation_consent)
    ]


def status_errors(current: str, new: str, *, mediation_consent: bool) -> str | None:
    """Why a manager may not set `new` now, or None."""
    if current == RECEIVED:
        return str(NOT_REVIEWED)
    if new not in ORDER or not moves_forward(current, new):
        return str(BACKWARDS)
    if new == RAISED_WITH_POLICE and not mediation_consent:
        return str(NO_MEDIATION_CONSENT)
    return None
