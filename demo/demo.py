"""Fictional demo data: three invented sites with years of records of every kind.

Everything here is made up (names say so). Dates are relative to today, so the demo
always shows a live-looking relationship. Generation is deterministic for a given day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.db import transaction
from django.utils import timezone

from agreements import score_revision
from agreements.choices import (
    REQUIRED_TOPICS,
    AssignmentRole,
    Category,
    CheckInFormat,
    CheckInStatus,
    Consent,
    DistanceBand,
    EngagementKind,
    Impact,
    LegalBasis,
    ProtocolStatus,
    SiteStatus,
    Source,
    SpeakerRank,
    Stance,
    StatementKind,
)
from agreements.models import (
    DailyAttendance,
    EngagementEvent,
    Interaction,
    OperatingHours,
    Protocol,
    ProtocolClause,
    Site,
    SupportStatement,
)
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
    PoliceService,
)


@dataclass(frozen=True)
class DemoSite:
    slug: str
    name: str
    organisation: str
    address: str
    city: str
    region: str
    timezone: str
    status: str
    years_open: float | None  # None while planned
    research_consent: bool
    service: str
    hours: tuple[tuple[int, str, str], ...]
    # A peer oversight body (the demo's drug users' union) watches the site (SPEC §1).
    community_oversight: bool = False


DEMO_SITES = (
    DemoSite(
        slug="harbourview",
        name="Harbourview Harm Reduction Hub (fictional)",
        organisation="Harbourview Community Health (fictional)",
        address="1 Imaginary Quay",
        city="Port Aldous",
        region="ON",
        timezone="America/Toronto",
        status=SiteStatus.OPEN,
        years_open=6.5,
        research_consent=True,
        service="Port Aldous Police Service (fictional)",
        hours=(
            *((d, "09:00", "21:00") for d in range(5)),
            (5, "12:00", "02:00"),
            (6, "12:00", "20:00"),
        ),
        community_oversight=True,
    ),
    DemoSite(
        slug="maple-street",
        name="Maple Street Overdose Prevention Site (fictional)",
        organisation="Cedarbrook Outreach Society (fictional)",
        address="200 Invented Street",
        city="Cedarbrook",
        region="BC",
        timezone="America/Vancouver",
        status=SiteStatus.OPEN,
        years_open=3.2,
        research_consent=True,
        service="Cedarbrook Municipal Police (fictional)",
        hours=tuple((d, "08:00", "20:00") for d in range(7)),
    ),
    DemoSite(
        slug="riviere-claire",
        name="Rivière-Claire Supervised Consumption Service (fictional)",
        organisation="Santé communautaire Rivière-Claire (fictional)",
        address="3 rue Imaginaire",
        city="Saint-Fictif",
        region="QC",
        timezone="America/Toronto",
        status=SiteStatus.PLANNED,
        years_open=None,
        research_consent=False,
        service="Service de police de Saint-Fictif (fictional)",
        hours=tuple((d, "10:00", "22:00") for d in range(6)),
    ),
)

CLAUSE_TEXT = {
    "entry_during_hours": "Officers do not enter the site during operating hours except "
    "under an agreed exception.",
    "proximity_buffer": "Police vehicles do not park or idle, and officers do not station "
    "themselves, inside the agreed buffer.",
    "entry_exceptions": "Entry is allowed with a warrant, in fresh pursuit, or when life is "
    "in danger.",
    "notification": "The on-duty supervisor tells the site manager within 24 hours of any "
    "entry or enforcement near the site.",
    "conflict_resolution": "Disputes go first to the liaison officer, then to the division "
    "inspector and the site director.",
    "plainclothes": "No plain-clothes or undercover officers at the site or its outreach.",
    "information_sharing": "Police do not ask for client information; records are released "
    "only under a warrant or production order.",
}

NARRATIVES: dict[str, str] = {
    Category.VEHICLE_IN_BUFFER: "Marked cruiser idled across from the entrance.",
    Category.STATIONED_IN_BUFFER: "Two officers stood by the door for most of an hour.",
    Category.STOP_OR_SEARCH: "Officers stopped people walking toward the site and asked for ID.",
    Category.UNINVITED_ENTRY: "Officer walked into the waiting area without a stated reason.",
    Category.EXCEPTION_ENTRY: "Officers entered in pursuit; supervisor called afterwards.",
    Category.DISPERSAL_ORDER: "Officers told people on the sidewalk to move along.",
    Category.SURVEILLANCE: "Unmarked car parked facing the entrance with an officer filming.",
    Category.CALLED_BY_STAFF: "Staff called police about a threat to staff; officers left after.",
    Category.LIAISON_MEDIATION: "Liaison officer spoke with the platoon after a complaint.",
    Category.REFERRAL_TO_SITE: "Patrol officer pointed someone to the site instead of charging.",
    Category.ALERT_SHARED: "Division passed on a toxic-drug alert for the area.",
    Category.INFORMATION_REQUEST: "Officer asked for the visit log; staff declined.",
}

# Relative frequency of each category in the demo log.
CATEGORY_WEIGHTS: dict[str, int] = {
    Category.VEHICLE_IN_BUFFER: 14,
    Category.STATIONED_IN_BUFFER: 6,
    Category.STOP_OR_SEARCH: 5,
    Category.UNINVITED_ENTRY: 2,
    Category.EXCEPTION_ENTRY: 3,
    Category.ARREST_NEAR_SITE: 2,
    Category.SUPPLIES_CONFISCATED: 2,
    Category.PLAINCLOTHES_PRESENCE: 2,
    Category.DOG_DEPLOYMENT: 1,
    Category.DISPERSAL_ORDER: 5,
    Category.UNREQUESTED_OVERDOSE_ATTENDANCE: 3,
    Category.INFORMATION_REQUEST: 2,
    Category.SURVEILLANCE: 2,
    Category.CALLED_BY_STAFF: 12,
    Category.SUPPLY_ENFORCEMENT: 4,
    Category.LIAISON_MEDIATION: 10,
    Category.REFERRAL_TO_SITE: 8,
    Category.ALERT_SHARED: 9,
    Category.OTHER: 3,
}


# Who told the site, and what the reporter agreed to (SPEC §2), with relative weights: most
# entries are staff observations counted in anonymous totals; clients' own reports vary
# more; peer reports come only where a peer oversight body watches the site.
REPORTS: dict[tuple[str, str], int] = {
    (Source.STAFF, Consent.AGGREGATE): 60,
    (Source.STAFF, Consent.MEDIATION): 10,
    (Source.STAFF, Consent.SITE_ONLY): 2,
    (Source.CLIENT_REPORTED, Consent.SITE_ONLY): 8,
    (Source.CLIENT_REPORTED, Consent.AGGREGATE): 8,
    (Source.CLIENT_REPORTED, Consent.MEDIATION): 5,
}
PEER_REPORTS: dict[tuple[str, str], int] = {
    (Source.PEER_REPORTED, Consent.SITE_ONLY): 2,
    (Source.PEER_REPORTED, Consent.AGGREGATE): 3,
    (Source.PEER_REPORTED, Consent.MEDIATION): 2,
}


def _t(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()


class DemoBuilder:
    """Builds one demo site's records. `interactions_per_year` scales the log."""

    def __init__(self, spec: DemoSite, *, now: datetime, interactions_per_year: int = 150) -> None:
        self.spec = spec
        # Everything is generated in the site's wall-clock time: nothing may lie in its future.
        self.now = now.astimezone(ZoneInfo(spec.timezone)).replace(tzinfo=None)
        self.today = self.now.date()
        self.rng = random.Random(f"{spec.slug}-{self.today.isoformat()}")
        # Its own generator, so that the rest of the demo is what it was before reporters'
        # consent was recorded.
        self.reports_rng = random.Random(f"{spec.slug}-reports-{self.today.isoformat()}")
        self.reports = REPORTS | (PEER_REPORTS if spec.community_oversight else {})
        self.per_year = interactions_per_year

    @transaction.atomic
    def build(self) -> Site:
        spec, today = self.spec, self.today
        opened = today - timedelta(days=int(spec.years_open * 365)) if spec.years_open else None
        site = Site.objects.create(
            slug=spec.slug,
            name=spec.name,
            organisation=spec.organisation,
            address=spec.address,
            city=spec.city,
            region=spec.region,
            country="CA",
            timezone=spec.timezone,
            status=spec.status,
            opened_on=opened,
            buffer_metres=self.rng.choice([50, 100, 150]),
            research_consent=spec.research_consent,
            community_oversight=spec.community_oversight,
        )
        OperatingHours.objects.bulk_create(
            OperatingHours(site=site, weekday=d, opens=_t(o), closes=_t(c))
            for d, o, c in spec.hours
        )
        first_contact = (opened or today) - timedelta(days=self.rng.randint(200, 420))
        officers = self._officers(site, first_contact)
        self._engagements(site, first_contact, opened)
        self._statements(site, first_contact)
        protocols = self._protocols(site, first_contact, opened)
        self._acknowledgements(officers, protocols)
        self._checkins(site, first_contact, officers)
        if opened:
            self._interactions(site, opened)
            self._attendance(site, opened)
        score_revision.bump([site.pk])  # the records were written with bulk_create
        return site

    def _officers(self, site: Site, since: date) -> list[LiaisonOfficer]:
        service, _ = PoliceService.objects.get_or_create(
            name=self.spec.service, defaults={"jurisdiction": self.spec.city}
        )
        base = 4000 + 100 * [s.slug for s in DEMO_SITES].index(self.spec.slug)
        people = [
            ("Alex Example", "Sergeant"),
            ("Robin Sample", "Constable"),
            ("Jordan Placeholder", "Sergeant"),
            ("Casey Fictive", "Staff Sergeant"),
        ]
        officers = [
            LiaisonOfficer.objects.create(
                service=service,
                name=name,
                rank=rank,
                badge_number=str(base + i + 11),
                email=f"liaison{base + i}@police.example",
                phone=f"555-01{i:02d}",
                contact_verified_on=self.today - timedelta(days=self.rng.randint(20, 300)),
                active=i != 0,
                registered_for=site,
            )
            for i, (name, rank) in enumerate(people)
        ]
        span = (self.today - since).days
        handover = since + timedelta(days=span // 2)
        vacancy_end = handover + timedelta(days=45)
        LiaisonAssignment.objects.bulk_create(
            [
                # The first primary left; the post stayed vacant for six weeks.
                LiaisonAssignment(
                    officer=officers[0],
                    site=site,
                    role=AssignmentRole.PRIMARY,
                    start=since,
                    end=handover,
                ),
                LiaisonAssignment(
                    officer=officers[2],
                    site=site,
                    role=AssignmentRole.PRIMARY,
                    start=vacancy_end,
                    end=None,
                ),
                LiaisonAssignment(
                    officer=officers[1],
                    site=site,
                    role=AssignmentRole.BACKUP,
                    start=since + timedelta(days=90),
                    end=None,
                ),
            ]
        )
        return officers

    def _engagements(self, site: Site, first: date, opened: date | None) -> None:
        events = [
            (first, EngagementKind.COMMUNITY_PLANNING, "Inspector, Sergeant"),
            (first + timedelta(days=60), EngagementKind.DIALOGUE, "Superintendent, Inspector"),
            (first + timedelta(days=130), EngagementKind.DIALOGUE, "Inspector"),
        ]
        if opened:
            events.append(
                (
                    opened - timedelta(days=20),
                    EngagementKind.EXEMPTION_BRIEFING,
                    "Platoon sergeants",
                )
            )
            year = opened + timedelta(days=200)
            while year <= self.today:
                events.append((year, EngagementKind.TRAINING, "Constables, Sergeant"))
                year += timedelta(days=365)
        EngagementEvent.objects.bulk_create(
            EngagementEvent(
                site=site,
                date=d,
                kind=k,
                police_ranks_present=ranks,
                summary=f"{k.label} with the division about the site's operation.",
            )
            for d, k, ranks in events
            if d <= self.today
        )

    def _statements(self, site: Site, first: date) -> None:
        rows = [
            (first + timedelta(days=100), SpeakerRank.CHIEF, Stance.NEUTRAL, StatementKind.MEETING),
            (
                self.today - timedelta(days=self.rng.randint(100, 500)),
                SpeakerRank.CHIEF,
                Stance.SUPPORT,
                StatementKind.PUBLIC_STATEMENT,
            ),
            (
                self.today - timedelta(days=self.rng.randint(50, 400)),
                SpeakerRank.SENIOR_ADMINISTRATOR,
                Stance.SUPPORT,
                StatementKind.LETTER,
            ),
        ]
        if self.spec.slug == "harbourview":
            rows.append(
                (
                    self.today - timedelta(days=300),
                    SpeakerRank.DEPUTY_CHIEF,
                    Stance.SUPPORT,
                    StatementKind.DIRECTIVE,
                )
            )
        if self.spec.slug == "maple-street":
            rows.append(
                (
                    self.today - timedelta(days=120),
                    SpeakerRank.DEPUTY_CHIEF,
                    Stance.OPPOSITION,
                    StatementKind.PUBLIC_STATEMENT,
                )
            )
        SupportStatement.objects.bulk_create(
            SupportStatement(
                site=site,
                date=d,
                rank=r,
                stance=s,
                kind=k,
                summary=f"{r.label} — {s.label.lower()} ({k.label.lower()}).",
                source="https://example.org/fictional-record",
            )
            for d, r, s, k in rows
        )

    def _protocols(self, site: Site, first: date, opened: date | None) -> list[Protocol]:
        made: list[Protocol] = []
        if opened is None:
            made.append(
                self._protocol(
                    site,
                    1,
                    ProtocolStatus.NEGOTIATING,
                    created=first + timedelta(days=150),
                    topics=4,
                )
            )
            return made
        v1_from = opened - timedelta(days=10)
        v2_from = opened + timedelta(days=int((self.today - opened).days * 0.6))
        v1 = self._protocol(
            site,
            1,
            ProtocolStatus.ENDED,
            created=first + timedelta(days=120),
            effective_from=v1_from,
            ended_on=v2_from,
            topics=4,
        )
        v2 = self._protocol(
            site,
            2,
            ProtocolStatus.SIGNED,
            created=v2_from - timedelta(days=60),
            effective_from=v2_from,
            topics=7 if self.spec.slug == "harbourview" else 5,
        )
        made += [v1, v2]
        if self.spec.slug == "maple-street":
            made.append(
                self._protocol(
                    site, 3, ProtocolStatus.DRAFT, created=self.today - timedelta(days=30), topics=7
                )
            )
        return made

    def _protocol(
        self,
        site: Site,
        version: int,
        status: str,
        *,
        created: date,
        topics: int,
        effective_from: date | None = None,
        ended_on: date | None = None,
    ) -> Protocol:
        signed = status in (ProtocolStatus.SIGNED, ProtocolStatus.ENDED)
        protocol = Protocol.objects.create(
            site=site,
            version=version,
            status=status,
            created_on=created,
            effective_from=effective_from,
            signed_on=effective_from - timedelta(days=5) if signed and effective_from else None,
            review_by=effective_from + timedelta(days=730) if effective_from else None,
            ended_on=ended_on,
            signatories="Site director\nDivision superintendent" if signed else "",
        )
        ProtocolClause.objects.bulk_create(
            ProtocolClause(protocol=protocol, topic=t, text=CLAUSE_TEXT[t], position=i)
            for i, t in enumerate(REQUIRED_TOPICS[:topics])
        )
        return protocol

    def _acknowledgements(self, officers: list[LiaisonOfficer], protocols: list[Protocol]) -> None:
        in_force = [p for p in protocols if p.status == ProtocolStatus.SIGNED]
        for protocol in in_force:
            assert protocol.effective_from is not None
            moment = datetime.combine(protocol.effective_from + timedelta(days=14), time(10))
            if moment <= self.now:
                Acknowledgement.objects.create(
                    officer=officers[2],
                    protocol=protocol,
                    acknowledged_at=timezone.make_aware(moment, protocol.site.tz),
                )

    def _checkins(self, site: Site, since: date, officers: list[LiaisonOfficer]) -> None:
        monthly = CheckInSchedule.objects.create(
            site=site,
            key="monthly",
            rrule="FREQ=MONTHLY;BYDAY=2TU",
            start=since,
            start_time=time(10, 0),
            duration_minutes=60,
            format=CheckInFormat.MEETING,
            location="Site meeting room",
        )
        tours = CheckInSchedule.objects.create(
            site=site,
            key="quarterly-tour",
            rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH",
            start=since + timedelta(days=100),
            start_time=time(7, 30),
            duration_minutes=60,
            format=CheckInFormat.TOUR,
            location="Site, before opening",
        )
        monthly.expected_officers.set(officers[1:3])
        tours.expected_officers.set(officers[1:3])
        horizon = self.today + timedelta(days=120)
        rows = []
        for schedule in (monthly, tours):
            rule = rrulestr(
                schedule.rrule, dtstart=datetime.combine(schedule.start, schedule.start_time)
            )
            for local in rule.between(
                datetime.combine(schedule.start, time(0)),
                datetime.combine(horizon, time(0)),
                inc=True,
            ):
                rows.append(self._occurrence(site, schedule, local))
        CheckIn.objects.bulk_create(rows)

    def _occurrence(self, site: Site, schedule: CheckInSchedule, local: datetime) -> CheckIn:
        start = timezone.make_aware(local, site.tz)
        days_ago = (self.today - local.date()).days
        if local >= self.now:
            status = CheckInStatus.SCHEDULED
        elif days_ago < 20 and self.rng.random() < 0.7:
            status = CheckInStatus.SCHEDULED  # outcome not yet entered
        else:
            status = self.rng.choices(
                [CheckInStatus.HELD, CheckInStatus.MISSED, CheckInStatus.CANCELLED],
                weights=[80, 12, 8],
            )[0]
        return CheckIn(
            site=site,
            schedule=schedule,
            scheduled_start=start,
            duration_minutes=schedule.duration_minutes,
            format=schedule.format,
            status=status,
            notes="Regular check-in." if status == CheckInStatus.HELD else "",
        )

    def _interactions(self, site: Site, opened: date) -> None:
        categories = list(CATEGORY_WEIGHTS)
        weights = list(CATEGORY_WEIGHTS.values())
        days = (self.today - opened).days
        count = max(1, int(days / 365 * self.per_year))
        rows = []
        for _ in range(count):
            category = self.rng.choices(categories, weights=weights)[0]
            # Up to yesterday, so that no interaction lies later today.
            day = opened + timedelta(days=self.rng.randrange(max(days, 1)))
            local = datetime.combine(day, time(self.rng.randrange(8, 23)))
            rows.append(self._interaction(site, category, local))
        Interaction.objects.bulk_create(rows, batch_size=1000)

    def _interaction(self, site: Site, category: str, local: datetime) -> Interaction:
        rng = self.rng
        near = category in (
            Category.VEHICLE_IN_BUFFER,
            Category.STATIONED_IN_BUFFER,
            Category.STOP_OR_SEARCH,
            Category.DISPERSAL_ORDER,
        )
        band = (
            DistanceBand.BUFFER
            if near
            else DistanceBand.INSIDE
            if category
            in (Category.UNINVITED_ENTRY, Category.EXCEPTION_ENTRY, Category.INFORMATION_REQUEST)
            else rng.choice(list(DistanceBand))
        )
        info = category == Category.INFORMATION_REQUEST
        source, consent = self.reports_rng.choices(
            list(self.reports), weights=list(self.reports.values())
        )[0]
        return Interaction(
            site=site,
            occurred_at=timezone.make_aware(local, site.tz),
            category=category,
            distance_band=band,
            officers_present=rng.randint(1, 4),
            plain_clothes=category == Category.PLAINCLOTHES_PRESENCE,
            vehicle_present=category == Category.VEHICLE_IN_BUFFER or rng.random() < 0.3,
            staff_requested=category == Category.CALLED_BY_STAFF,
            site_notified=rng.random() < 0.6,
            impact=rng.choices(list(Impact), weights=[60, 25, 12, 3])[0],
            liaison_contacted=rng.random() < 0.4,
            resolution="Raised at the next check-in." if rng.random() < 0.3 else "",
            narrative=NARRATIVES.get(category, "Police activity near the site."),
            legal_basis=rng.choice(list(LegalBasis)) if info else "",
            disclosed=False if info else None,
            source=source,
            consent=consent,
        )

    def _attendance(self, site: Site, opened: date) -> None:
        rows = []
        day = opened
        while day <= self.today:
            base = 90 if day.weekday() < 5 else 60
            rows.append(
                DailyAttendance(site=site, date=day, visits=max(0, int(self.rng.gauss(base, 15))))
            )
            day += timedelta(days=1)
        DailyAttendance.objects.bulk_create(rows, batch_size=1000)
