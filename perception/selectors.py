"""Reads of the self-assessment, as plain data, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from agreements.choices import CheckInStatus
from agreements.models import Site
from liaisons.models import CheckIn
from perception.gaps import Ratings
from perception.models import SelfAssessmentRating, SelfAssessmentRound


@dataclass(frozen=True)
class Rated:
    statement: str
    rating: int
    comment: str


@dataclass(frozen=True)
class ResponseData:
    id: int
    side: str
    respondent_id: int | None
    submitted_at: datetime
    ratings: tuple[Rated, ...]

    def as_ratings(self) -> Ratings:
        return Ratings(self.side, {r.statement: r.rating for r in self.ratings})


@dataclass(frozen=True)
class RoundData:
    id: int
    site_id: int
    instrument: str
    opened_on: date
    closes_on: date
    closed_on: date | None
    responses: tuple[ResponseData, ...]

    def is_closed(self, today: date) -> bool:
        return self.closed_on is not None or self.closes_on < today

    def closing_day(self) -> date:
        return min(self.closed_on, self.closes_on) if self.closed_on else self.closes_on

    @property
    def answered_sides(self) -> frozenset[str]:
        return frozenset(r.side for r in self.responses)

    def response_of(self, user_id: int | None) -> ResponseData | None:
        return next((r for r in self.responses if user_id and r.respondent_id == user_id), None)


def _rounds(rounds: Iterable[SelfAssessmentRound], *, comments: bool) -> list[RoundData]:
    """Rounds with their answers: one query for the rounds (given), one for the ratings.
    Without `comments`, the comments' text is not even read from the database."""
    found = list(rounds)
    columns = ["response_id", "response__side", "response__respondent_id",
               "response__submitted_at", "response__round_id", "statement", "rating"]  # fmt: skip
    if comments:
        columns.append("comment")
    rows = (
        SelfAssessmentRating.objects.filter(response__round__in=[r.pk for r in found])
        .order_by("response__submitted_at", "response_id", "id")
        .values_list(*columns)
    )
    by_response: dict[int, list[Rated]] = defaultdict(list)
    heads: dict[int, tuple[str, int | None, datetime, int]] = {}
    for row in rows:
        response_id, side, respondent_id, submitted_at, round_id, statement, rating = row[:7]
        heads[response_id] = (side, respondent_id, submitted_at, round_id)
        by_response[response_id].append(Rated(statement, rating, row[7] if comments else ""))
    by_round: dict[int, list[ResponseData]] = defaultdict(list)
    for response_id, (side, respondent_id, submitted_at, round_id) in heads.items():
        by_round[round_id].append(
            ResponseData(
                response_id, side, respondent_id, submitted_at, tuple(by_response[response_id])
            )
        )
    return [
        RoundData(
            r.pk,
            r.site_id,
            r.instrument,
            r.opened_on,
            r.closes_on,
            r.closed_on,
            tuple(by_round[r.pk]),
        )
        for r in found
    ]


def site_rounds(site: Site) -> list[RoundData]:
    """Every round of the site, newest first, with each answer's ratings and comments."""
    return _rounds(
        SelfAssessmentRound.objects.filter(site=site).order_by("-opened_on", "-id"), comments=True
    )


def closed_rounds(sites: Iterable[Site]) -> list[RoundData]:
    """The closed rounds of these sites (each closed in its own time zone), newest first,
    with ratings but no comments: for the research release."""
    by_id = {site.pk: site for site in sites}
    rounds = SelfAssessmentRound.objects.filter(site_id__in=by_id).order_by("-opened_on", "-id")
    found = _rounds(rounds, comments=False)
    return [r for r in found if r.is_closed(by_id[r.site_id].today())]


def next_checkin_day(site: Site) -> date | None:
    """The day of the site's next scheduled check-in, at the site: where a gap is raised."""
    start = (
        CheckIn.objects.filter(
            site=site, status=CheckInStatus.SCHEDULED, scheduled_start__gte=timezone.now()
        )
        .order_by("scheduled_start")
        .values_list("scheduled_start", flat=True)
        .first()
    )
    return site.local(start).date() if start is not None else None
