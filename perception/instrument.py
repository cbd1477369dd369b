"""The self-assessment instrument, as code: the statements each side rates, per factor.

A round records the version it was answered with, so that wording changed later (a new
version, "v2") never changes what an old round's ratings meant. Statements are neutral
and worded so that a site manager and a police liaison can each answer them about the
same relationship; keys are stable interfaces (the API's `statement`), texts are
translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from agreements.choices import FACTOR_KEYS

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

CURRENT = "v1"

LOW, HIGH = 1, 5  # strongly disagree … strongly agree

SCALE: tuple[tuple[int, StrPromise], ...] = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
)


@dataclass(frozen=True)
class Statement:
    key: str
    factor: str  # one of agreements.choices.FACTOR_KEYS (SPEC §6)
    text: StrPromise


V1: tuple[Statement, ...] = (
    Statement(
        "f1_planned_together",
        "early_engagement",
        _("Police and the site talked and planned together early, before decisions were made."),
    ),
    Statement(
        "f1_ongoing_dialogue",
        "early_engagement",
        _("Dialogue between the site and police goes on, not only when a problem arises."),
    ),
    Statement(
        "f2_leadership_support",
        "senior_support",
        _("Police leadership (the chief and senior administrators) supports the site's work."),
    ),
    Statement(
        "f2_officers_know",
        "senior_support",
        _("Officers on the street know that their leadership supports the site."),
    ),
    Statement(
        "f3_named_liaison",
        "dedicated_liaison",
        _("The site has a named police liaison, and each side knows how to reach the other."),
    ),
    Statement(
        "f3_liaison_responds",
        "dedicated_liaison",
        _("When a problem arises, the liaison and the site answer each other in good time."),
    ),
    Statement(
        "f4_agreement_clear",
        "entry_presence_agreement",
        _("The agreement on police entry and presence near the site is clear to both sides."),
    ),
    Statement(
        "f4_agreement_kept",
        "entry_presence_agreement",
        _("Officers near the site act as the agreement says."),
    ),
    Statement(
        "f5_meet_often",
        "regular_contact",
        _("We meet face to face often enough, and those meetings are not adversarial."),
    ),
    Statement(
        "f5_concerns_heard",
        "regular_contact",
        _("Between meetings, either side can raise a concern and be heard."),
    ),
)

INSTRUMENTS: dict[str, tuple[Statement, ...]] = {"v1": V1}

UNANSWERED = _("Rate this statement from 1 to 5.")
OUT_OF_SCALE = _("A rating is a whole number from 1 (strongly disagree) to 5 (strongly agree).")
UNKNOWN_STATEMENT = _("This instrument has no statement %(key)s.")
ANSWERED_TWICE = _("Statement %(key)s is answered twice.")


def statements(version: str) -> tuple[Statement, ...]:
    """The statements of an instrument version, in the order F1…F5."""
    return INSTRUMENTS[version]


def by_factor(version: str) -> dict[str, list[Statement]]:
    grouped: dict[str, list[Statement]] = {key: [] for key in FACTOR_KEYS}
    for statement in statements(version):
        grouped[statement.factor].append(statement)
    return grouped


def rating_refusals(version: str, given: Sequence[tuple[str, object]]) -> dict[str, str]:
    """Why a set of (statement key, rating) pairs is not a complete answer, keyed
    `rating_<statement>` (or `answers` for what belongs to no statement); empty when every
    statement is rated once from 1 to 5. A partial answer is refused: a side's figure is a
    mean over its respondents, and a respondent who skipped a statement would weigh less
    on that factor than the others."""
    keys = [s.key for s in statements(version)]
    problems: dict[str, str] = {}
    seen: dict[str, object] = {}
    for key, rating in given:
        if key not in keys:
            problems.setdefault("answers", str(UNKNOWN_STATEMENT % {"key": key}))
        elif key in seen:
            problems.setdefault("answers", str(ANSWERED_TWICE % {"key": key}))
        else:
            seen[key] = rating
    for key in keys:
        rating = seen.get(key)
        if rating is None or rating == "":
            problems[f"rating_{key}"] = str(UNANSWERED)
        elif isinstance(rating, bool) or not isinstance(rating, int) or not LOW <= rating <= HIGH:
            problems[f"rating_{key}"] = str(OUT_OF_SCALE)
    return problems


def factor_of(version: str) -> Mapping[str, str]:
    return {s.key: s.factor for s in statements(version)}
