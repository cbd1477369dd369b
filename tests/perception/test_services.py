"""The self-assessment's writes: every rule holds whatever the path (the services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.audit import Action, AuditEntry
from perception.models import SelfAssessmentRating, SelfAssessmentResponse, SelfAssessmentRound
from perception.services import (
    AnswerIn,
    response_submit,
    round_close,
    round_open,
)
from privacy.pii import WARNING_CODE
from tests.conftest import World
from tests.perception.helpers import DESCRIBED, EMAIL, KEYS, answered, answers, liaison_of, opened

pytestmark = pytest.mark.django_db


def test_a_manager_opens_one_round_at_a_time(world: World) -> None:
    manager = world.users["manager"]
    first = opened(world.site, manager)
    assert (first.instrument, first.opened_on) == ("v1", world.site.today())
    with pytest.raises(ValidationError, match="already open"):
        opened(world.site, manager)
    round_close(round_=first, actor=manager)
    assert opened(world.site, manager).pk != first.pk
    entries = AuditEntry.objects.filter(object_type="selfassessmentround")
    assert sorted(e.action for e in entries) == [Action.CREATE, Action.CREATE, Action.UPDATE]


@pytest.mark.parametrize("days", [-1, 367])
def test_a_closing_day_in_the_past_or_beyond_a_year_is_refused(world: World, days: int) -> None:
    site = world.site
    with pytest.raises(ValidationError) as refused:
        round_open(site=site, closes_on=site.today() + timedelta(days=days),
                   actor=world.users["manager"])  # fmt: skip
    assert "closes_on" in refused.value.message_dict
    assert not SelfAssessmentRound.objects.exists()


def test_each_side_is_fixed_by_role_and_each_person_answers_once(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    mine = answered(round_, world.users["manager"], 4)
    theirs = answered(round_, world.users["liaison"], 2)
    assert (mine.side, theirs.side) == ("manager", "liaison")
    assert SelfAssessmentRating.objects.filter(response=mine).count() == len(KEYS)
    with pytest.raises(ValidationError, match="answered this round already"):
        answered(round_, world.users["liaison"], 5)
    assert SelfAssessmentResponse.objects.count() == 2


@pytest.mark.parametrize("role", ["admin", "researcher", "other_manager"])
def test_no_one_else_answers(world: World, role: str) -> None:
    round_ = opened(world.site, world.users["manager"])
    with pytest.raises(PermissionDenied):
        answered(round_, world.users[role])
    assert not SelfAssessmentResponse.objects.exists()


def test_a_liaison_of_another_site_cannot_answer(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    stranger = liaison_of(world.other_site, "liaison-eastside", "5522")
    with pytest.raises(PermissionDenied):
        answered(round_, stranger)


def test_a_closed_round_takes_no_answer(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    round_close(round_=round_, actor=world.users["manager"])
    with pytest.raises(ValidationError, match="closed"):
        answered(round_, world.users["liaison"])
    with pytest.raises(ValidationError, match="closed already"):
        round_close(round_=round_, actor=world.users["manager"])


def test_a_partial_answer_is_refused_and_nothing_is_written(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    partial = answers(4)[1:]
    with pytest.raises(ValidationError) as refused:
        response_submit(round_=round_, actor=world.users["manager"], answers=partial)
    assert list(refused.value.message_dict) == [f"rating_{KEYS[0]}"]
    assert not SelfAssessmentResponse.objects.exists()
    assert not AuditEntry.objects.filter(object_type="selfassessmentresponse").exists()


def test_a_comment_with_an_identifier_is_refused_even_confirmed(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    given = answers(3)
    given[2] = AnswerIn(KEYS[2], 3, EMAIL)
    with pytest.raises(ValidationError) as refused:
        response_submit(round_=round_, actor=world.users["liaison"], answers=given,
                        pii_confirmed=True)  # fmt: skip
    assert list(refused.value.message_dict) == [f"comment_{KEYS[2]}"]
    assert not SelfAssessmentRating.objects.exists()


def test_a_warned_comment_needs_confirmation_and_the_audit_names_fields_only(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    given = answers(3)
    given[0] = AnswerIn(KEYS[0], 3, DESCRIBED)
    with pytest.raises(ValidationError) as refused:
        response_submit(round_=round_, actor=world.users["manager"], answers=given)
    [error] = refused.value.error_dict[f"comment_{KEYS[0]}"]
    assert error.code == WARNING_CODE
    response = response_submit(round_=round_, actor=world.users["manager"], answers=given,
                               pii_confirmed=True)  # fmt: skip
    assert response.ratings.get(statement=KEYS[0]).comment == DESCRIBED
    entry = AuditEntry.objects.get(object_type="selfassessmentresponse")
    assert entry.action == Action.CREATE
    assert entry.fields == ["comment", "rating"]
    assert "PII warnings confirmed" in entry.detail
    assert "tattoo" not in entry.detail
    assert "3" not in entry.detail  # no rating


def test_a_round_past_its_last_day_is_closed_and_a_new_one_may_open(world: World) -> None:
    round_ = opened(world.site, world.users["manager"])
    SelfAssessmentRound.objects.filter(pk=round_.pk).update(
        opened_on=world.site.today() - timedelta(days=40),
        closes_on=world.site.today() - timedelta(days=1),
    )
    round_.refresh_from_db()
    assert round_.is_closed(world.site.today())
    with pytest.raises(ValidationError, match="closed"):
        answered(round_, world.users["liaison"])
    assert opened(world.site, world.users["manager"])
