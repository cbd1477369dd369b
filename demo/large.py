"""Large fictional data for benchmarks: `seed_demo --large N`.

N sites named `bench-001` … with five years of history each: about 2,000 interactions
and 60 check-ins a year, daily attendance, officers, assignments, protocols with their
clauses, engagements, support statements and check-in schedules. Rows are inserted with
`bulk_create` in batches, so fifty sites load in well under a minute.

Everything is invented and carries no personal detail: narratives are generic or empty.
Generation is deterministic: each site draws from a random generator seeded with its
slug and the day it is generated for. Sites that exist already are left as they are, so
running it again with the same N changes nothing and a larger N only adds sites.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models, transaction

from agreements import score_revision
from agreements.choices import (
    REQUIRED_TOPICS,
    AssignmentRole,
    Category,
    CheckInFormat,
    CheckInStatus,
    DistanceBand,
    EngagementKind,
    Impact,
    LegalBasis,
    ProtocolStatus,
    Role,
    SiteStatus,
    SpeakerRank,
    Stance,
    StatementKind,
)
from agreements.models import (
    DailyAttendance,
    EngagementEvent,
    Interaction,
    Membership,
    OperatingHours,
    Protocol,
    ProtocolClause,
    Site,
    SupportStatement,
)
from demo.demo import CLAUSE_TEXT
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
)

M = TypeVar("M", bound=models.Model)
SLUG_PREFIX = "bench-"
YEARS = 5
INTERACTIONS_PER_YEAR = 2000
BATCH = 2000
# The demo manager manages the first large site too, so that the manager's pages can be
# measured on a large site; a manager of fifty sites would not be realistic.
MANAGED_LARGE_SITES = 1

# (region, timezone): sites spread over five regions and four timezones.
REGIONS = (
    ("ON", "America/Toronto"),
    ("BC", "America/Vancouver"),
    ("QC", "America/Toronto"),
    ("AB", "America/Edmonton"),
    ("NS", "America/Halifax"),
)

# Routine interactions, which are not breaches when their facts say so (see `_routine`).
ROUTINE_WEIGHTS: dict[str, int] = {
    Category.CALLED_BY_STAFF: 30,
    Category.LIAISON_MEDIATION: 15,
    Category.REFERRAL_TO_SITE: 15,
    Category.ALERT_SHARED: 15,
    Category.OTHER: 8,
    Category.SUPPLY_ENFORCEMENT: 6,
    Category.EXCEPTION_ENTRY: 4,  # with the site told afterwards
    Category.DISPERSAL_ORDER: 5,  # beyond the buffer
    Category.INFORMATION_REQUEST: 2,  # under a warrant or order
}
BREACH_WEIGHTS: dict[str, int] = {
    Category.VEHICLE_IN_BUFFER: 14,
    Category.STATIONED_IN_BUFFER: 6,
    Category.STOP_OR_SEARCH: 5,
    Category.UNINVITED_ENTRY: 2,
    Category.ARREST_NEAR_SITE: 2,
    Category.SUPPLIES_CONFISCATED: 2,
    Category.PLAINCLOTHES_PRESENCE: 2,
    Category.DOG_DEPLOYMENT: 1,
    Category.UNREQUESTED_OVERDOSE_ATTENDANCE: 3,
    Category.SURVEILLANCE: 2,
    Category.DISPERSAL_ORDER: 4,  # inside the buffer
    Category.EXCEPTION_ENTRY: 2,  # the site not told
    Category.INFORMATION_REQUEST: 1,  # no legal basis
}
# Share of interactions that are breaches, one value per site in turn: about 1, 3, 5
# and 11 breaches in a 90-day window, so compliance (and bands) differ between sites.
BREACH_RATES = (0.002, 0.006, 0.01, 0.022)

# Generic wording only: a log with free text would not be realistic if always empty, and
# free text must never describe a person.
NARRATIVES = (
    "",
    "",
    "Police activity near the site.",
    "Officers attended; staff noted the time and band.",
    "Raised with the liaison officer.",
)
PLACEHOLDER_OFFICERS = (
    ("Bench Officer A (fictional)", "Sergeant"),
    ("Bench Officer B (fictional)", "Constable"),
    ("Bench Officer C (fictional)", "Staff Sergeant"),
)


def large_slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number:03d}"


@dataclass
class LargeResult:
    created: list[str]
    existing: list[str]


def seed_large(
    count: int, *, now: datetime, progress: Callable[[str], None] | None = None
) -> LargeResult:
    """Create the sites `bench-001` to `bench-<count>` that do not exist yet."""
    if count < 0:
        raise ValueError("The number of large sites cannot be negative.")
    slugs = [large_slug(n) for n in range(1, count + 1)]
    existing = set(Site.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    created = []
    for number, slug in enumerate(slugs, start=1):
        if slug in existing:
            continue
        LargeSiteBuilder(number, now=now).build()
        created.append(slug)
        if progress:
            progress(f"Created large site {slug}.")
    _memberships(slugs)
    return LargeResult(created=created, existing=sorted(existing))


def _memberships(slugs: list[str]) -> None:
    """The demo manager manages the first large site(s), when that user exists."""
    manager = get_user_model().objects.filter(username="demo-manager").first()
    if manager is None:
        return
    for site in Site.objects.filter(slug__in=slugs[:MANAGED_LARGE_SITES]):
        Membership.objects.get_or_create(user=manager, role=Role.MANAGER, site=site)


class LargeSiteBuilder:
    """One large site with all its records, written in one transaction."""

    def __init__(self, number: int, *, now: datetime) -> None:
        self.number = number
        self.slug = large_slug(number)
        self.region, zone = REGIONS[(number - 1) % len(REGIONS)]
        self.tz = ZoneInfo(zone)
        # Everything is generated in the site's wall-clock time: nothing lies in its future.
        self.now = now.astimezone(self.tz).replace(tzinfo=None)
        self.today = self.now.date()
        self.rng = random.Random(f"{self.slug}-{self.today.isoformat()}")
        self.opened = self.today - timedelta(days=YEARS * 365)
        self.first_contact = self.opened - timedelta(days=self.rng.randint(200, 420))
        self.breach_rate = BREACH_RATES[(number - 1) % len(BREACH_RATES)]

    @transaction.atomic
    def build(self) -> Site:
        site = Site.objects.create(
            slug=self.slug,
            name=f"Bench Site {self.number:03d} (fictional)",
            organisation=f"Bench Health Society {self.number:03d} (fictional)",
            address=f"{self.number} Benchmark Road",
            city=f"Benchville {(self.number - 1) // len(REGIONS) + 1}",
            region=self.region,
            country="CA",
            timezone=str(self.tz),
            status=SiteStatus.OPEN,
            opened_on=self.opened,
            buffer_metres=self.rng.choice([50, 100, 150]),
            research_consent=True,
        )
        OperatingHours.objects.bulk_create(
            OperatingHours(site=site, weekday=d, opens=time(9), closes=time(21 if d < 5 else 18))
            for d in range(7)
        )
        officers = self._officers(site)
        self._engagements(site)
        self._statements(site)
        self._protocols(site, officers)
        self._checkins(site, officers)
        _bulk(Interaction, self._interactions(site))
        _bulk(DailyAttendance, self._attendance(site))
        score_revision.bump([site.pk])  # the records were written with bulk_create
        return site

    def _officers(self, site: Site) -> list[LiaisonOfficer]:
        # The service outlives a site deleted by hand, and its officers with it: reuse
        # it, and let the site's new officers replace the old ones' badges.
        service, _created = PoliceService.objects.get_or_create(
            name=f"Bench Police Service {self.number:03d} (fictional)",
            defaults={"jurisdiction": site.city},
        )
        LiaisonOfficer.objects.filter(service=service, registered_for__isnull=True).delete()
        officers = LiaisonOfficer.objects.bulk_create(
            LiaisonOfficer(
                service=service,
                name=name,
                rank=rank,
                badge_number=f"B{self.number:03d}{i}",
                email=f"bench{self.number:03d}-{i}@police.example",
                contact_verified_on=self.today - timedelta(days=self.rng.randint(10, 250)),
                active=i != 0,
                registered_for=site,
            )
            for i, (name, rank) in enumerate(PLACEHOLDER_OFFICERS)
        )
        handover = self.first_contact + timedelta(days=(self.today - self.first_contact).days // 2)
        LiaisonAssignment.objects.bulk_create(
            [
                LiaisonAssignment(
                    officer=officers[0],
                    site=site,
                    role=AssignmentRole.PRIMARY,
                    start=self.first_contact,
                    end=handover,
                ),
                LiaisonAssignment(
                    officer=officers[1],
                    site=site,
                    role=AssignmentRole.PRIMARY,
                    start=handover + timedelta(days=self.rng.randint(1, 60)),
                ),
                LiaisonAssignment(
                    officer=officers[2],
                    site=site,
                    role=AssignmentRole.BACKUP,
                    start=self.first_contact + timedelta(days=90),
                ),
            ]
        )
        return officers

    def _engagements(self, site: Site) -> None:
        first = self.first_contact
        events = [
            (first, EngagementKind.COMMUNITY_PLANNING),
            (first + timedelta(days=45), EngagementKind.DIALOGUE),
            (first + timedelta(days=120), EngagementKind.DIALOGUE),
            (self.opened - timedelta(days=20), EngagementKind.EXEMPTION_BRIEFING),
        ]
        day = self.opened + timedelta(days=self.rng.randint(60, 200))
        while day <= self.today:
            events.append(
                (day, self.rng.choice([EngagementKind.TRAINING, EngagementKind.DIALOGUE]))
            )
            day += timedelta(days=self.rng.randint(90, 200))
        EngagementEvent.objects.bulk_create(
            EngagementEvent(
                site=site,
                date=d,
                kind=k,
                police_ranks_present="Inspector, Sergeant",
                summary=f"{k.label} with the division.",
            )
            for d, k in events
        )

    def _statements(self, site: Site) -> None:
        rng = self.rng
        rows = [
            (self.first_contact + timedelta(days=100), SpeakerRank.CHIEF, Stance.NEUTRAL,
             StatementKind.MEETING),
            (self.today - timedelta(days=rng.randint(100, 600)), SpeakerRank.CHIEF,
             rng.choice([Stance.SUPPORT, Stance.SUPPORT, Stance.NEUTRAL]),
             StatementKind.PUBLIC_STATEMENT),
            (self.today - timedelta(days=rng.randint(30, 400)), SpeakerRank.SENIOR_ADMINISTRATOR,
             Stance.SUPPORT, StatementKind.LETTER),
        ]  # fmt: skip
        if self.number % 3 == 0:
            rows.append(
                (self.today - timedelta(days=rng.randint(30, 300)), SpeakerRank.DEPUTY_CHIEF,
                 Stance.OPPOSITION, StatementKind.PUBLIC_STATEMENT)
            )  # fmt: skip
        SupportStatement.objects.bulk_create(
            SupportStatement(site=site, date=d, rank=r, stance=s, kind=k) for d, r, s, k in rows
        )

    def _protocols(self, site: Site, officers: list[LiaisonOfficer]) -> None:
        v1_from = self.opened - timedelta(days=10)
        v2_from = self.opened + timedelta(days=int(YEARS * 365 * 0.6))
        v3_from = self.today - timedelta(days=self.rng.randint(200, 500))
        specs = [
            (1, ProtocolStatus.ENDED, self.first_contact + timedelta(days=120), v1_from,
             v2_from, 4),
            (2, ProtocolStatus.ENDED, v2_from - timedelta(days=60), v2_from, v3_from, 5),
            (3, ProtocolStatus.SIGNED, v3_from - timedelta(days=60), v3_from, None,
             7 if self.number % 2 else 6),
        ]  # fmt: skip
        protocols = Protocol.objects.bulk_create(
            Protocol(
                site=site,
                version=version,
                status=status,
                created_on=created,
                effective_from=effective,
                signed_on=effective - timedelta(days=5),
                review_by=effective + timedelta(days=730),
                ended_on=ended,
                signatories="Site director\nDivision superintendent",
            )
            for version, status, created, effective, ended, _topics in specs
        )
        ProtocolClause.objects.bulk_create(
            ProtocolClause(protocol=p, topic=t, text=CLAUSE_TEXT[t], position=i)
            for p, spec in zip(protocols, specs, strict=True)
            for i, t in enumerate(REQUIRED_TOPICS[: spec[-1]])
        )
        in_force = protocols[-1]
        assert in_force.effective_from is not None
        acknowledged = datetime.combine(in_force.effective_from + timedelta(days=10), time(10))
        if acknowledged <= self.now:
            Acknowledgement.objects.create(
                officer=officers[1],
                protocol=in_force,
                acknowledged_at=acknowledged.replace(tzinfo=self.tz),
            )

    def _checkins(self, site: Site, officers: list[LiaisonOfficer]) -> None:
        # Weekly meetings (52 a year), quarterly tours (4) and a few ad hoc visits: about 60.
        start = self.opened - timedelta(days=30)
        weekly = CheckInSchedule(
            site=site, key="weekly", rrule="FREQ=WEEKLY;BYDAY=WE", start=start,
            start_time=time(10), duration_minutes=60, format=CheckInFormat.MEETING,
            location="Site meeting room",
        )  # fmt: skip
        tours = CheckInSchedule(
            site=site, key="quarterly-tour", rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH",
            start=start, start_time=time(7, 30), duration_minutes=60,
            format=CheckInFormat.TOUR, location="Site, before opening",
        )  # fmt: skip
        CheckInSchedule.objects.bulk_create([weekly, tours])
        through = CheckInSchedule.expected_officers.through
        through.objects.bulk_create(
            through(checkinschedule_id=s.id, liaisonofficer_id=o.id)
            for s in (weekly, tours)
            for o in officers[1:]
        )
        horizon = self.today + timedelta(days=120)
        moments = [(weekly, m) for m in _weekly(start, horizon, weekday=2, at=time(10))]
        moments += [(tours, m) for m in _quarterly_first_thursday(start, horizon, at=time(7, 30))]
        rows = [self._checkin(site, schedule, local) for schedule, local in moments]
        for _ in range(YEARS * 4):
            day = self.opened + timedelta(days=self.rng.randrange(YEARS * 365))
            rows.append(self._checkin(site, None, datetime.combine(day, time(14))))
        _bulk(CheckIn, rows)

    def _checkin(self, site: Site, schedule: CheckInSchedule | None, local: datetime) -> CheckIn:
        days_ago = (self.today - local.date()).days
        if local >= self.now:
            status = CheckInStatus.SCHEDULED
        elif days_ago < 14 and self.rng.random() < 0.5:
            status = CheckInStatus.SCHEDULED  # outcome not yet entered
        else:
            status = self.rng.choices(
                [CheckInStatus.HELD, CheckInStatus.MISSED, CheckInStatus.CANCELLED],
                weights=[78, 12, 10],
            )[0]
        return CheckIn(
            site=site,
            schedule=schedule,
            scheduled_start=local.replace(tzinfo=self.tz),
            duration_minutes=schedule.duration_minutes if schedule else 45,
            format=schedule.format if schedule else CheckInFormat.VISIT,
            status=status,
            notes="Regular check-in." if status == CheckInStatus.HELD else "",
        )

    def _interactions(self, site: Site) -> Iterator[Interaction]:
        rng, tz = self.rng, self.tz
        routine, routine_w = list(ROUTINE_WEIGHTS), list(ROUTINE_WEIGHTS.values())
        breach, breach_w = list(BREACH_WEIGHTS), list(BREACH_WEIGHTS.values())
        days = (self.today - self.opened).days
        impacts, bands = list(Impact), [DistanceBand.ENTRANCE, DistanceBand.BEYOND]
        for _ in range(int(days / 365 * INTERACTIONS_PER_YEAR)):
            is_breach = rng.random() < self.breach_rate
            names, weights = (breach, breach_w) if is_breach else (routine, routine_w)
            category = rng.choices(names, weights)[0]
            # Up to yesterday, so that nothing lies later today.
            day = self.opened + timedelta(days=rng.randrange(days))
            local = datetime(day.year, day.month, day.day, rng.randrange(8, 23), tzinfo=tz)
            info = category == Category.INFORMATION_REQUEST
            yield Interaction(
                site=site,
                occurred_at=local,
                category=category,
                distance_band=_band(category, is_breach, rng.choice(bands)),
                officers_present=rng.randint(1, 4),
                plain_clothes=category == Category.PLAINCLOTHES_PRESENCE,
                vehicle_present=category == Category.VEHICLE_IN_BUFFER or rng.random() < 0.3,
                staff_requested=category == Category.CALLED_BY_STAFF,
                # An exception entry breaches only when the site was not told.
                site_notified=not is_breach if category == Category.EXCEPTION_ENTRY
                else rng.random() < 0.6,
                impact=rng.choices(impacts, weights=[80, 14, 5, 1])[0] if is_breach
                else Impact.NONE,
                liaison_contacted=rng.random() < 0.3,
                resolution="Raised at the next check-in." if rng.random() < 0.1 else "",
                narrative=rng.choice(NARRATIVES),
                legal_basis=(LegalBasis.NONE if is_breach else LegalBasis.WARRANT) if info else "",
                disclosed=False if info else None,
            )  # fmt: skip

    def _attendance(self, site: Site) -> Iterator[DailyAttendance]:
        day = self.opened
        while day <= self.today:
            base = 90 if day.weekday() < 5 else 60
            yield DailyAttendance(site=site, date=day, visits=max(0, int(self.rng.gauss(base, 15))))
            day += timedelta(days=1)


def _band(category: str, is_breach: bool, other: str) -> str:
    if category in (Category.UNINVITED_ENTRY, Category.EXCEPTION_ENTRY):
        return DistanceBand.INSIDE
    if category == Category.INFORMATION_REQUEST:
        return DistanceBand.INSIDE
    if category == Category.DISPERSAL_ORDER:
        return DistanceBand.BUFFER if is_breach else DistanceBand.BEYOND
    if category in (Category.VEHICLE_IN_BUFFER, Category.STATIONED_IN_BUFFER):
        return DistanceBand.BUFFER
    return other


def _weekly(first: date, last: date, *, weekday: int, at: time) -> Iterator[datetime]:
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    while day < last:
        yield datetime.combine(day, at)
        day += timedelta(days=7)


def _quarterly_first_thursday(first: date, last: date, *, at: time) -> Iterator[datetime]:
    """FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH from `first`, computed without rrule."""
    year, month = first.year, first.month
    while True:
        day = date(year, month, 1)
        day += timedelta(days=(3 - day.weekday()) % 7)
        if day >= last:
            return
        if day >= first:
            yield datetime.combine(day, at)
        month += 3
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def _bulk(model: type[M], rows: Iterable[M]) -> None:
    """Insert in batches without holding every instance of the site at once."""
    batch: list[M] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model._default_manager.bulk_create(batch)
            batch = []
    if batch:
        model._default_manager.bulk_create(batch)
