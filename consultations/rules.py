"""The consultation's rules as plain functions over plain values (no database).

A consultation is open while nobody closed it, its closing day has not passed at the site
(the day itself is open until midnight there) and its version is still a draft or in
negotiation. Everything else about it follows from these three facts, so the rule is
written once and read by the pages, the API, the home page and the report.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils.translation import gettext_lazy as _

OPEN = "open"
CLOSED = "closed"

# Versions a consultation may be opened on: the text may still change.
CONSULTABLE = ("draft", "negotiating")

# A consultation lasts at most this long from the day it opens (or is extended): long
# enough for a community body that meets monthly to meet twice, short enough that the
# version it reads is still the one being negotiated.
LONGEST_DAYS = 90
DEFAULT_DAYS = 21
# The community's home page is told of an open consultation this many days before it
# closes.
CLOSING_SOON_DAYS = 7

# Why a consultation closed.
BY_MANAGER = "manager"
BY_SIGNING = "signed"

NOT_CONSULTABLE = _(
    "Only a draft or a version in negotiation can be opened for consultation: a signed "
    "version can no longer change."
)
NO_OVERSIGHT = _(
    "This site has not opted in to community oversight: no community body could read the "
    "consultation."
)
ALREADY_OPEN = _(
    "This version is already open for consultation (until %(day)s): extend that "
    "consultation instead."
)
CLOSING_DAY = _("Choose a closing day from today to %(days)s days from today.")
LATER_DAY = _(
    "Choose a day after the present closing day (%(day)s), at most %(days)s days from today."
)
CLOSED_NOW = _("This consultation is closed: it takes no more comments.")
CLOSED_ALREADY = _("This consultation is closed already.")
COMMUNITY_ONLY = _("Only the site's community oversight body comments on a consultation.")
MANAGERS_ONLY = _("Only the site's managers answer the community's comments.")
SAME_ANSWER = _("This is the answer already given: change its text to edit it.")


def is_open(*, closed: bool, closes_on: date, protocol_status: str, today: date) -> bool:
    """Whether a consultation takes comments on `today` (at its site)."""
    return not closed and closes_on >= today and protocol_status in CONSULTABLE


def closing_day_refusal(closes_on: object, today: date) -> str | None:
    """Why `closes_on` cannot close a consultation opened `today` (None: it can)."""
    if not isinstance(closes_on, date) or isinstance(closes_on, datetime):
        return str(CLOSING_DAY % {"days": LONGEST_DAYS})
    if not today <= closes_on <= today + timedelta(days=LONGEST_DAYS):
        return str(CLOSING_DAY % {"days": LONGEST_DAYS})
    return None


def extension_refusal(closes_on: object, current: date, today: date) -> str | None:
    """Why `closes_on` cannot replace the closing day `current` (None: it can): a later
    day, at most LONGEST_DAYS from today."""
    valid = isinstance(closes_on, date) and not isinstance(closes_on, datetime)
    if not valid or not current < closes_on <= today + timedelta(days=LONGEST_DAYS):  # type: ignore[operator]
        return str(LATER_DAY % {"day": current.isoformat(), "days": LONGEST_DAYS})
    return None


def closes_soon(closes_on: date, today: date) -> bool:
    return today <= closes_on < today + timedelta(days=CLOSING_SOON_DAYS)
