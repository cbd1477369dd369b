"""Scorecards from the database: gather inputs in a fixed number of queries, then apply
the pure rubric of `scoring.rubric`.

`gather_inputs` reads many sites at once (ten queries whatever their number) and only
the rows the days being scored can use: breaches from 90 days and check-ins from 365 days
before the first day.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from agreements.breaches import breach_q
from agreements.models import (
    EngagementEvent,
    Interaction,
    OperatingHours,
    Protocol,
    ProtocolClause,
    RubricWeights,
    Site,
    SupportStatement,
)
from liaisons.models import Acknowledgement, CheckIn, CheckInSchedule, LiaisonAssignment
from scoring import rubric as scoring


def current_weights() -> dict[str, int]:
    latest = RubricWeights.objects.order_by("-changed_at", "-id").first()
    return latest.as_dict() if latest else dict(scoring.DEFAULT_WEIGHTS)


def _utc_bound(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zoneinfo.ZoneInfo("UTC"))


def gather_inputs(sites: Sequence[Site], first: date, last: date) -> dict[int, scoring.SiteInputs]:
    """Inputs for scoring each of `sites` on any day from `first` to `last`."""
    ids = [s.id for s in sites]
    zones = {s.id: s.tz for s in sites}
    rows: dict[str, defaultdict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))

    for h in OperatingHours.objects.filter(site_id__in=ids):
        rows["hours"][h.site_id].append(h.as_span())
    for e in EngagementEvent.objects.filter(site_id__in=ids, date__lte=last).only(
        "id", "site_id", "date", "kind"
    ):
        rows["engagements"][e.site_id].append(scoring.Engagement(e.id, e.date, e.kind))
    for s in SupportStatement.objects.filter(site_id__in=ids, date__lte=last).only(
        "id", "site_id", "date", "rank", "stance", "kind"
    ):
        rows["statements"][s.site_id].append(
            scoring.Statement(s.id, s.date, s.rank, s.stance, s.kind)
        )
    for a in LiaisonAssignment.objects.filter(site_id__in=ids).select_related("officer"):
        rows["assignments"][a.site_id].append(
            scoring.Assignment(
                a.id, a.role, a.start, a.end, a.officer_id, str(a.officer), a.officer.active,
                a.officer.contact_verified_on,
            )
        )  # fmt: skip
    topics: defaultdict[int, set[str]] = defaultdict(set)
    for protocol_id, topic in ProtocolClause.objects.filter(protocol__site_id__in=ids).values_list(
        "protocol_id", "topic"
    ):
        topics[protocol_id].add(topic)
    for p in Protocol.objects.filter(site_id__in=ids):
        rows["protocols"][p.site_id].append(
            scoring.Protocol(
                p.id, p.version, p.status, p.created_on, p.effective_from, p.review_by,
                p.ended_on, frozenset(topics[p.id]),
            )
        )  # fmt: skip
    for officer_id, protocol_id, site_id, at in Acknowledgement.objects.filter(
        protocol__site_id__in=ids
    ).values_list("officer_id", "protocol_id", "protocol__site_id", "acknowledged_at"):
        local = at.astimezone(zones[site_id]).date()
        rows["acknowledgements"][site_id].append(
            scoring.Acknowledgement(officer_id, protocol_id, local)
        )
    for sc in CheckInSchedule.objects.filter(site_id__in=ids).only(
        "id", "site_id", "key", "start", "end"
    ):
        rows["schedules"][sc.site_id].append(scoring.Schedule(sc.id, sc.key, sc.start, sc.end))
    # A day's margin on each side of the UTC bounds covers every timezone.
    checkin_from = _utc_bound(first - timedelta(days=scoring.CHECKIN_WINDOW + 1))
    for c in CheckIn.objects.filter(
        site_id__in=ids,
        scheduled_start__gte=checkin_from,
        scheduled_start__lt=_utc_bound(last + timedelta(days=2)),
        status__in=["held", "missed", "scheduled"],
    ).values_list("id", "site_id", "scheduled_start", "duration_minutes", "format", "status"):
        cid, site_id, start, minutes, fmt, status = c
        local = start.astimezone(zones[site_id]).replace(tzinfo=None)
        rows["checkins"][site_id].append(scoring.CheckIn(cid, local, minutes, fmt, status))
    breach_from = _utc_bound(first - timedelta(days=scoring.BREACH_WINDOW + 1))
    for i in (
        Interaction.objects.filter(
            site_id__in=ids,
            occurred_at__gte=breach_from,
            occurred_at__lt=_utc_bound(last + timedelta(days=2)),
        )
        .filter(breach_q())
        .values_list(
            "id", "site_id", "occurred_at", "category", "site_notified", "distance_band",
            "legal_basis",
        )
    ):  # fmt: skip
        iid, site_id, at, category, notified, band, basis = i
        local_day = at.astimezone(zones[site_id]).date()
        rows["interactions"][site_id].append(
            scoring.Interaction(iid, local_day, category, notified, band, basis)
        )

    return {
        s.id: scoring.SiteInputs(
            slug=s.slug,
            opened_on=s.opened_on,
            **{name: tuple(rows[name][s.id]) for name in _INPUT_FIELDS},
        )
        for s in sites
    }


_INPUT_FIELDS = (
    "hours",
    "engagements",
    "statements",
    "assignments",
    "protocols",
    "acknowledgements",
    "schedules",
    "checkins",
    "interactions",
)


def score_site(site: Site, as_of: date | None = None) -> scoring.Scorecard:
    day = as_of or site.today()
    inputs = gather_inputs([site], day, day)[site.id]
    return scoring.score(inputs, day, current_weights())


def score_sites(
    sites: Iterable[Site],
    as_of: date | None = None,
    weights: dict[str, int] | None = None,
    days: Mapping[int, date] | None = None,
) -> dict[int, scoring.Scorecard]:
    """Each site scored on its day in `days` (site id → day), else on `as_of`, else on its
    own today, with `weights` (the current ones when not given)."""
    sites = list(sites)
    if not sites:
        return {}
    days = {s.id: (days or {}).get(s.id) or as_of or s.today() for s in sites}
    inputs = gather_inputs(sites, min(days.values()), max(days.values()))
    weights = weights if weights is not None else current_weights()
    return {s.id: scoring.score(inputs[s.id], days[s.id], weights) for s in sites}


def trend(
    site: Site, as_of: date, months: int = 24, weights: dict[str, int] | None = None
) -> list[scoring.Scorecard]:
    """Monthly scorecards (month ends) over `months` months up to `as_of`."""
    days = scoring.month_ends(as_of, months)
    inputs = gather_inputs([site], days[0], days[-1])[site.id]
    weights = weights if weights is not None else current_weights()
    return [scoring.score(inputs, day, weights) for day in days]
