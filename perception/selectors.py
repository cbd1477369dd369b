"""Reads of the self-assessment, as plain data, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from agreements.choices import CheckInStatus
from agreements.models import Site
from liaisons.models import CheckIn
from perception.gaps import Ratings
from perception.models import SelfAssessmentRound


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


def _rounds(rounds: QuerySet[SelfAssessmentRound], *, comments: bool) -> list[RoundData]:
    """Rounds (in the queryset's order) with their answers, in one query: the rounds
    joined to their answers and ratings (a round nobody answered yet comes once, with
    nulls). Without `comments`, the comments' text is not even read from the database."""
    columns = ["pk", "site_id", "instrument", "opened_on", "closes_on", "closed_on",
               "responses__id", "responses__side", "responses__respondent_id",
               "responses__submitted_at", "responses__ratings__statement",
               "responses__ratings__rating"]  # fmt: skip
    if comments:
        columns.append("responses__ratings__comment")
    order = [*rounds.query.order_by, "responses__submitted_at", "responses__id",
             "responses__ratings__id"]  # fmt: skip
    heads: dict[int, tuple[int, str, date, date, date | None]] = {}
    answers: dict[int, dict[int, tuple[str, int | None, datetime]]] = defaultdict(dict)
    ratings: dict[int, list[Rated]] = defaultdict(list)
    for row in rounds.order_by(*order).values_list(*columns):
        pk, site_id, instrument, opened_on, closes_on, closed_on = row[:6]
        heads.setdefault(pk, (site_id, instrument, opened_on, closes_on, closed_on))
        response_id, side, respondent_id, submitted_at, statement, rating = row[6:12]
        if response_id is None:
            continue
        answers[pk][response_id] = (side, respondent_id, submitted_at)
        if statement is not None:
            ratings[response_id].append(Rated(statement, rating, row[12] if comments else ""))
    return [
        RoundData(pk, site_id, instrument, opened_on, closes_on, closed_on, tuple(
            ResponseData(response_id, side, respondent_id, submitted_at,
                         tuple(ratings[response_id]))
            for response_id, (side, respondent_id, submitted_at) in answers[pk].items()
        ))
        for pk, (site_id, instrument, opened_on, closes_on, closed_on) in heads.items()
    ]  # fmt: skip


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
