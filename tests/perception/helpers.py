"""Shared helpers of the self-assessment tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User

from agreements.choices import Role
from agreements.models import Site
from perception.instrument import V1
from perception.models import SelfAssessmentRound
from perception.services import AnswerIn, response_submit, round_open
from tests.conftest import make_user
from tests.factories import AssignmentFactory, OfficerFactory

KEYS = [s.key for s in V1]
# Text the PII guard warns about (it may describe a client) and text it refuses.
DESCRIBED = "Cruiser stopped the guy with the spiderweb tattoo who sleeps behind the bank."
EMAIL = "Send the minutes to desk@example.org please."


def answers(rating: int = 3, comment: str = "", **ratings: int) -> list[AnswerIn]:
    return [AnswerIn(key, ratings.get(key, rating), comment) for key in KEYS]


def opened(site: Site, manager: User, days: int = 30) -> SelfAssessmentRound:
    return round_open(site=site, closes_on=site.today() + timedelta(days=days), actor=manager)


def answered(round_: SelfAssessmentRound, user: User, rating: int = 3, **kw: Any) -> Any:
    return response_submit(round_=round_, actor=user, answers=answers(rating, **kw))


def liaison_of(site: Site, username: str, badge: str) -> User:
    user = make_user(Role.LIAISON, username=username)
    officer = OfficerFactory(user=user, badge_number=badge)
    AssignmentFactory(officer=officer, site=site, start=site.today() - timedelta(days=30))
    return user


def form_data(rating: int = 3, comment: str = "", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in KEYS:
        data[f"rating_{key}"] = str(rating)
        data[f"comment_{key}"] = comment
    return data | extra
