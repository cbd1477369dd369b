"""What the PDF reports say, gathered with a fixed number of queries per site.

Plain data for the templates in templates/reports/. No edition holds a narrative: the
reports are taken to meetings, funders and police boards, so the manager edition lists
recent breaches by their structured fields only, and the liaison edition holds no
interaction data at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import ngettext

from agreements import breaches
from agreements.choices import Category, CheckInStatus, DistanceBand, Impact
from agreements.models import DailyAttendance, Interaction, Protocol, Site
from agreements.protocol_rules import SIGNED_STATUSES, shown_status
from agreements.selectors import protocol_in_force
from liaisons.continuity import Continuity, primary_timeline
from liaisons.models import CheckIn, LiaisonAssignment
from liaisons.schedules import describe_rrule
from scoring.cache import trend
from scoring.rubric import FACTOR_KEYS, Scorecard

EDITIONS = ("manager", "liaison", "research")
MONTHS = 12


@dataclass(frozen=True)
class Meta:
    site: Site
    edition: str
    as_of: date
    generated_at: datetime
    generated_by: str
    card: Scorecard
    trend: list[Scorecard]

    @property
    def weights(self) -> list[tuple[str, int]]:
        return [(key, self.card.weights[key]) for key in FACTOR_KEYS]


def month_starts(as_of: date, count: int = MONTHS) -> list[date]:
    first = as_of.replace(day=1)
    months = [first]
    while len(months) < count:
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return sorted(months)


def meta(site: Site, edition: str, as_of: date, by: str) -> Meta:
    cards = trend(site, as_of)
    return Meta(
        site=site,
        edition=edition,
        as_of=as_of,
        generated_at=timezone.localtime(timezone.now(), site.tz),
        generated_by=by,
        card=cards[-1],
        trend=cards,
    )


@dataclass
class InteractionSummary:
    months: list[date]
    by_category: list[tuple[str, list[int], int]]  # label, count per month, total
    breaches_by_month: list[int]
    total: int = 0
    recent_breaches: list[dict[str, Any]] = field(default_factory=list)


def interaction_summary(site: Site, as_of: date) -> InteractionSummary:
    """Counts by category and month over the last 12 months, breaches per month, and the
    structured fields of the breaches of the last 90 days, with the clause topic each broke
    (one query)."""
    months = month_starts(as_of)
    since = datetime.combine(months[0] - timedelta(days=1), datetime.min.time(), tzinfo=site.tz)
    rows = Interaction.objects.filter(site=site, occurred_at__gte=since).values_list(
        "occurred_at", "category", "site_notified", "distance_band", "legal_basis", "impact",
        "liaison_contacted", "clause_topic",
    ).order_by("-occurred_at")  # fmt: skip
    counts: defaultdict[str, Counter[date]] = defaultdict(Counter)
    breach_months: Counter[date] = Counter()
    recent = []
    for at, category, notified, band, basis, impact, contacted, topic in rows:
        local = at.astimezone(site.tz)
        day = local.date()
        if day > as_of or day < months[0]:
            continue
        month = day.replace(day=1)
        counts[category][month] += 1
        is_breach = breaches.is_breach(category=category, notified=notified,
                                       distance_band=band, legal_basis=basis)  # fmt: skip
        if is_breach:
            breach_months[month] += 1
            if (as_of - day).days < 90:
                recent.append({
                    "day": day,
                    "topic": topic,
                    "when": local.strftime("%Y-%m-%d %Hh"),
                    "category": Category(category).label,
                    "where": DistanceBand(band).label,
                    "impact": Impact(impact).label,
                    "notified": notified,
                    "liaison_contacted": contacted,
                })  # fmt: skip
    by_category = [
        (str(Category(c).label), [counts[c][m] for m in months], sum(counts[c].values()))
        for c in Category.values
        if counts[c]
    ]
    return InteractionSummary(
        months=months,
        by_category=by_category,
        breaches_by_month=[breach_months[m] for m in months],
        total=sum(total for _label, _counts, total in by_category),
        recent_breaches=recent,
    )


def attendance_by_month(site: Site, months: list[date], as_of: date) -> list[float | None]:
    """Mean daily visits per month, or None where nothing was recorded (one query)."""
    rows = (
        DailyAttendance.objects.filter(site=site, date__gte=months[0], date__lte=as_of)
        .values_list("date__year", "date__month")
        .annotate(mean=Avg("visits"))
    )
    means = {(year, month): mean for year, month, mean in rows}
    return [means.get((m.year, m.month)) for m in months]


@dataclass
class CheckInRecord:
    schedules: list[tuple[str, str, str]]  # words, format, location
    by_status: dict[str, int]
    upcoming: list[CheckIn]
    awaiting: int
    status_counts: list[str] = field(default_factory=list)  # "13 held", « 13 tenues »
    past: list[tuple[date, str]] = field(default_factory=list)  # (local day, status)


def _status_count(status: str, count: int) -> str:
    """A count of past check-ins in one status; French agrees the participle with it."""
    texts = {
        CheckInStatus.SCHEDULED: ngettext("%(count)d scheduled", "%(count)d scheduled", count),
        CheckInStatus.HELD: ngettext("%(count)d held", "%(count)d held", count),
        CheckInStatus.MISSED: ngettext("%(count)d missed", "%(count)d missed", count),
        CheckInStatus.CANCELLED: ngettext("%(count)d cancelled", "%(count)d cancelled", count),
    }
    return texts[CheckInStatus(status)] % {"count": count}


def checkin_record(site: Site, as_of: date) -> CheckInRecord:
    since = as_of - timedelta(days=365)
    checkins = list(
        CheckIn.objects.filter(site=site, scheduled_start__date__gt=since).only(
            "scheduled_start", "status", "format", "duration_minutes", "site_id"
        )
    )
    now = timezone.now()
    past = [c for c in checkins if c.scheduled_start.astimezone(site.tz).date() <= as_of]
    by_status = Counter(c.status for c in past)
    schedules = [
        (describe_rrule(s.rrule, s.start_time), s.get_format_display(), s.location)
        for s in site.schedules.all()
        if s.is_active_on(as_of)
    ]
    upcoming = sorted(
        (c for c in checkins if c.scheduled_start >= now and c.status == CheckInStatus.SCHEDULED),
        key=lambda c: c.scheduled_start,
    )[:6]
    return CheckInRecord(
        schedules=schedules,
        by_status={str(status.label): by_status.get(status.value, 0) for status in CheckInStatus},
        status_counts=[_status_count(status, by_status.get(status, 0)) for status in CheckInStatus],
        upcoming=upcoming,
        past=[(c.scheduled_start.astimezone(site.tz).date(), c.status) for c in past],
        awaiting=sum(
            1 for c in past if c.status == CheckInStatus.SCHEDULED and c.scheduled_start < now
        ),
    )


@dataclass
class Roster:
    active: list[LiaisonAssignment]
    continuity: Continuity
    all: list[LiaisonAssignment] = field(default_factory=list)


def roster(site: Site, as_of: date) -> Roster:
    assignments = list(LiaisonAssignment.objects.filter(site=site).select_related("officer"))
    primaries = [(a.id, str(a.officer), a.start, a.end) for a in assignments if a.role == "primary"]
    return Roster(
        active=[a for a in assignments if a.is_active_on(as_of)],
        continuity=primary_timeline(primaries, as_of),
        all=assignments,
    )


def protocol_section(site: Site, as_of: date) -> dict[str, Any]:
    protocol = protocol_in_force(site, as_of)
    # A signed version still to come is said as such, never as the one in force.
    upcoming = (
        Protocol.objects.filter(site=site, status__in=SIGNED_STATUSES, effective_from__gt=as_of)
        .order_by("effective_from", "version")
        .first()
    )
    return {
        "protocol": protocol,
        "protocol_shown": shown_status(protocol, as_of) if protocol else None,
        "upcoming_protocol": upcoming,
        "clauses": list(protocol.clauses.all()) if protocol else [],
    }
