"""The two-sided self-assessment (issue 18, SPEC §7): rounds, answers, and the perception
gap beside the computed scores.

Scoping as everywhere: out of scope 404, a role that may not 403. Managers and admins
open rounds; each manager and each liaison officer of the site answers once per round,
for the side their role gives them. Until both sides have answered a round (or it has
closed), a caller sees only their own side's answers. Researchers read the research form
of the perception only: gaps per closed round where it has at least T respondents, and
the network's mean gap per quarter (docs/privacy.md); never a rating or a comment.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from agreements.access import Permission, SiteAccess, site_access
from api.schemas import MAX_LIMIT, Confirmable, Error, Pages, ValidationErrors, caller
from perception import services
from perception.gaps import FactorGap
from perception.independence import respondent_side, revealed
from perception.instrument import statements
from perception.models import SelfAssessmentRound
from perception.readings import RoundView, round_views
from perception.selectors import site_rounds
from privacy.pii import WARNING_CODE
from scoring.cache import score_site
from scoring.perception_views import perception_context, research_perception_context

router = Router(tags=["self-assessment"])

ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: ValidationErrors, 429: Error}
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 400: Error}


class SelfAssessmentStatementOut(Schema):
    key: str
    factor: str = Field(..., description="The factor key of SPEC §6 the statement is about.")
    text: str


class SelfAssessmentRatingOut(Schema):
    statement: str
    rating: int = Field(..., ge=1, le=5)
    comment: str


class SelfAssessmentAnswerOut(Schema):
    side: Literal["manager", "liaison"]
    mine: bool = Field(..., description="Whether this is the caller's own answer.")
    submitted_at: datetime
    answers: list[SelfAssessmentRatingOut]


class SelfAssessmentSidesOut(Schema):
    manager: bool
    liaison: bool


class SelfAssessmentRoundOut(Schema):
    id: int
    instrument: str = Field(..., description='The instrument version, e.g. "v1".')
    opened_on: date
    closes_on: date = Field(..., description="The last day to answer, at the site.")
    closed_on: date | None = Field(..., description="Set when a manager closed it early.")
    status: Literal["open", "closed"]
    answered: SelfAssessmentSidesOut = Field(
        ..., description="Which sides have answered (not what)."
    )
    revealed: bool = Field(
        ..., description="Both sides answered, or the round closed: both sides' answers show."
    )
    you_answered: bool
    can_answer: bool = Field(..., description="Whether the caller may answer it now.")
    responses: list[SelfAssessmentAnswerOut] = Field(
        ..., description="The answers the caller may read (their own side's until revealed)."
    )
    statements: list[SelfAssessmentStatementOut]


def _round_out(view: RoundView) -> dict[str, Any]:
    data = view.round
    return {
        "id": data.id, "instrument": data.instrument, "opened_on": data.opened_on,
        "closes_on": data.closes_on, "closed_on": data.closed_on,
        "status": "closed" if view.closed else "open",
        "answered": {side: side in data.answered_sides for side in ("manager", "liaison")},
        "revealed": revealed(answered_sides=data.answered_sides, closed=view.closed),
        "you_answered": view.mine is not None, "can_answer": view.can_answer,
        "responses": [
            {"side": r.side, "mine": r is view.mine, "submitted_at": r.submitted_at,
             "answers": [{"statement": a.statement, "rating": a.rating, "comment": a.comment}
                         for a in r.ratings]}
            for r in view.responses
        ],
        "statements": [{"key": s.key, "factor": s.factor, "text": str(s.text)}
                       for s in statements(data.instrument)],
    }  # fmt: skip


def _views(request: HttpRequest, access: SiteAccess) -> list[RoundView]:
    return round_views(
        site_rounds(access.site),
        viewer_id=caller(request).pk,
        viewer_side=respondent_side(access.roles),
        today=access.site.today(),
    )


@router.get(
    "/sites/{slug}/self-assessments",
    response={200: list[SelfAssessmentRoundOut], **ERRORS},
    summary="The site's self-assessment rounds, newest first (managers, admins, liaisons)",
)
@paginate(Pages, max_limit=MAX_LIMIT)
def list_rounds(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Each round with the answers the caller may read: until both sides have answered
    (or the round has closed), only the caller's own side's."""
    access = site_access(caller(request), slug, Permission.VIEW_SHARED)
    return [_round_out(view) for view in _views(request, access)]


class SelfAssessmentRoundIn(Schema):
    closes_on: date = Field(..., description="YYYY-MM-DD: the last day to answer, at the site.")


@router.post(
    "/sites/{slug}/self-assessments",
    response={201: SelfAssessmentRoundOut, **WRITE_ERRORS},
    summary="Open a self-assessment round (managers and admins; one open round at a time)",
)
def open_round(request: HttpRequest, slug: str, payload: SelfAssessmentRoundIn) -> Status[Any]:
    access = site_access(caller(request), slug, Permission.MANAGE)
    created = services.round_open(site=access.site, closes_on=payload.closes_on,
                                  actor=caller(request))  # fmt: skip
    view = next(v for v in _views(request, access) if v.round.id == created.pk)
    return Status(201, _round_out(view))


class SelfAssessmentRatingIn(Schema):
    statement: str = Field(..., max_length=40, description="A statement key of the round.")
    rating: int = Field(..., description="1 (strongly disagree) to 5 (strongly agree).")
    comment: str = Field("", description="Optional; about the relationship, never clients.")


class SelfAssessmentAnswerIn(Confirmable):
    answers: list[SelfAssessmentRatingIn] = Field(..., max_length=100)


def _answer_errors(
    error: ValidationError, answers: list[SelfAssessmentRatingIn]
) -> ValidationError:
    """The service's errors (`rating_<statement>`, `comment_<statement>`, `answers`), each
    placed at the answer it concerns: `["body", "answers", i, "rating"]`."""
    if not hasattr(error, "error_dict"):
        return error
    index = {a.statement: i for i, a in enumerate(answers)}
    placed: dict[str, list[ValidationError]] = {}
    for key, items in error.error_dict.items():
        field, _, statement = key.partition("_")
        if field in ("rating", "comment") and statement in index:
            placed.setdefault(f"answers.{index[statement]}.{field}", []).extend(items)
        elif field == "rating":  # a statement not answered at all
            placed.setdefault("answers", []).extend(
                ValidationError(f"{statement}: {' '.join(e.messages)}", code=e.code) for e in items
            )
        else:
            placed.setdefault("answers", []).extend(items)
    return ValidationError(placed)


def _refusal(error: ValidationError) -> Status[Any]:
    detail = []
    for name, items in error.error_dict.items():
        loc: list[str | int] = ["body", *[int(p) if p.isdigit() else p for p in name.split(".")]]
        for chosen, kind in (
            ([e for e in items if e.code != WARNING_CODE], "value_error"),
            ([e for e in items if e.code == WARNING_CODE], WARNING_CODE),
        ):
            if chosen:
                detail.append({"loc": loc, "msg": " ".join(ValidationError(chosen).messages),
                               "type": kind})  # fmt: skip
    return Status(422, {"detail": detail})


@router.post(
    "/sites/{slug}/self-assessments/{round_id}/responses",
    response={201: SelfAssessmentRoundOut, **WRITE_ERRORS},
    summary="Answer a round (the site's managers and liaisons, once each)",
)
def answer_round(
    request: HttpRequest, slug: str, round_id: int, payload: SelfAssessmentAnswerIn
) -> Status[Any]:
    """Rate every statement of the round's instrument from 1 to 5, with optional comments
    (PII-guarded: a warning needs `"pii_confirmed": true`). Answers the round as the
    caller now sees it."""
    access = site_access(caller(request), slug, Permission.VIEW_SHARED)
    found = SelfAssessmentRound.objects.filter(site=access.site, pk=round_id).first()
    if found is None:
        return Status(404, {"detail": "Not found."})
    found.site = access.site
    answers = [services.AnswerIn(a.statement, a.rating, a.comment) for a in payload.answers]
    try:
        services.response_submit(round_=found, actor=caller(request), answers=answers,
                                 pii_confirmed=payload.pii_confirmed)  # fmt: skip
    except ValidationError as error:
        placed = _answer_errors(error, payload.answers)
        if not hasattr(placed, "error_dict"):
            raise placed from None
        return _refusal(placed)
    view = next(v for v in _views(request, access) if v.round.id == round_id)
    return Status(201, _round_out(view))


# --- the perception gap ----------------------------------------------------------------


class PerceptionFactorOut(Schema):
    key: str
    computed: int | None = Field(
        ..., description="The computed factor score; null where the caller may not read it "
        "(police read the dedicated_liaison factor only)."
    )  # fmt: skip
    manager: float | None = Field(..., description="The site managers' perception, 0–100.")
    liaison: float | None = Field(..., description="The police liaisons' perception, 0–100.")
    gap: float | None
    flagged: bool = Field(..., description="gap ≥ 25: a topic for the next check-in.")


class PerceptionTrendFactorOut(Schema):
    key: str
    manager: float | None
    liaison: float | None
    gap: float | None
    flagged: bool


class PerceptionTrendRoundOut(Schema):
    round: int
    closed_on: date | None = Field(..., description="null while the round is open.")
    factors: list[PerceptionTrendFactorOut]


class PerceptionSiteOut(Schema):
    form: Literal["site"]
    round: int | None = Field(..., description="The round the factors come from.")
    factors: list[PerceptionFactorOut]
    next_checkin: date | None = Field(..., description="Where a flagged gap is raised.")
    trend: list[PerceptionTrendRoundOut] = Field(..., description="Oldest round first.")


class PerceptionResearchCellOut(Schema):
    key: str
    gap: float | None
    suppressed: bool = Field(..., description="Fewer than T respondents: no figure.")


class PerceptionResearchRoundOut(Schema):
    round: int
    closed_on: date | None
    respondents: int | None = Field(..., description="null when fewer than T.")
    factors: list[PerceptionResearchCellOut]


class PerceptionNetworkCellOut(Schema):
    key: str
    mean_gap: float | None
    rounds: int
    suppressed: bool


class PerceptionNetworkQuarterOut(Schema):
    quarter: str = Field(..., examples=["2026-Q2"])
    factors: list[PerceptionNetworkCellOut]


class PerceptionResearchOut(Schema):
    form: Literal["research"]
    threshold: int
    rounds: list[PerceptionResearchRoundOut]
    network: list[PerceptionNetworkQuarterOut]


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def _gap(g: FactorGap) -> dict[str, Any]:
    return {"key": g.factor, "manager": _number(g.manager), "liaison": _number(g.liaison),
            "gap": _number(g.gap), "flagged": g.flagged}  # fmt: skip


@router.get(
    "/sites/{slug}/perception",
    response={200: PerceptionSiteOut | PerceptionResearchOut, **ERRORS},
    summary="Per factor the computed score, each side's perception and the gap, with the "
    "trend over rounds; researchers get the suppressed research form",
)
def perception(request: HttpRequest, slug: str) -> dict[str, Any]:
    access = site_access(caller(request), slug, Permission.VIEW_PERCEPTION)
    if not access.can(Permission.VIEW_SHARED):  # researchers
        found = research_perception_context(access.site)["perception_research"]
        return {
            "form": "research",
            "threshold": found.threshold,
            "rounds": [
                {"round": r.round_id, "closed_on": r.closed_on, "respondents": r.respondents,
                 "factors": [{"key": c.factor, "gap": _number(c.gap), "suppressed": c.suppressed}
                             for c in r.cells]}
                for r in found.rounds
            ],
            "network": [
                {"quarter": str(q.quarter),
                 "factors": [{"key": c.factor, "mean_gap": _number(c.mean_gap),
                              "rounds": c.rounds, "suppressed": c.suppressed} for c in q.cells]}
                for q in found.network
            ],
        }  # fmt: skip
    card = score_site(access.site, access.site.today())
    context = perception_context(request, access, {f.key: f.score for f in card.factors})
    latest = context["perception_latest"]
    return {
        "form": "site",
        "round": latest.round_id if latest else None,
        "factors": [{**_gap(row.gap), "computed": row.computed}
                    for row in context["perception_rows"]],
        "next_checkin": context["perception_next_checkin"],
        "trend": [{"round": r.round_id, "closed_on": r.closed_on,
                   "factors": [_gap(g) for g in r.factors]}
                  for r in context["perception_trend"]],
    }  # fmt: skip
