"""Scoring rubric v1 (SPEC §6): five factors as pure functions over plain data.

Nothing here touches the database. `agreements.score_inputs` gathers a site's records
into `SiteInputs`; `score(inputs, as_of, weights)` returns a `Scorecard` in which every
criterion carries its points, its maximum, an evidence sentence naming the records
behind it, and, when not met in full, what would meet it.

Evidence sentences name interactions only by count and officers only by their role: a
researcher reads the same scorecard, and no single interaction or person may reach them.
The records behind the evidence (`refs`) are for those who may open them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from agreements.breaches import is_breach
from agreements.choices import FACTOR_KEYS, REQUIRED_TOPICS, SENIOR_RANKS
from agreements.hours import OpeningSpan, overlaps_hours
from agreements.protocol_rules import in_force
from agreements.words import word

if TYPE_CHECKING:
    pass

RUBRIC = "v1"
DEFAULT_WEIGHTS: dict[str, int] = dict.fromkeys(FACTOR_KEYS, 1)
BANDS = ((80, "strong"), (60, "developing"), (40, "fragile"))

SUPPORT_WINDOW = 730
CONTACT_WINDOW = 183
BREACH_WINDOW = 90
CHECKIN_WINDOW = 365


# --- inputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A record behind a piece of evidence: its kind (as in the record registry) and id."""

    kind: str
    id: int
    label: str


@dataclass(frozen=True)
class Engagement:
    id: int
    date: date
    kind: str


@dataclass(frozen=True)
class Statement:
    id: int
    date: date
    rank: str
    stance: str
    kind: str


@dataclass(frozen=True)
class Assignment:
    id: int
    role: str
    start: date
    end: date | None
    officer_id: int
    officer: str
    officer_active: bool
    contact_verified_on: date | None

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass(frozen=True)
class Protocol:
    id: int
    version: int
    status: str
    created_on: date
    effective_from: date | None
    review_by: date | None
    ended_on: date | None
    topics: frozenset[str]


@dataclass(frozen=True)
class Acknowledgement:
    officer_id: int
    protocol_id: int
    on: date  # local date at the site


@dataclass(frozen=True)
class Schedule:
    id: int
    key: str
    start: date
    end: date | None


@dataclass(frozen=True)
class CheckIn:
    id: int
    start: datetime  # naive, local wall-clock time at the site
    minutes: int
    format: str
    status: str


@dataclass(frozen=True)
class Interaction:
    id: int
    on: date  # local date at the site
    category: str
    notified: bool
    distance_band: str
    legal_basis: str

    @property
    def is_breach(self) -> bool:
        return is_breach(
            category=self.category,
            notified=self.notified,
            distance_band=self.distance_band,
            legal_basis=self.legal_basis,
        )


@dataclass(frozen=True)
class SiteInputs:
    slug: str
    opened_on: date | None
    hours: tuple[OpeningSpan, ...] = ()
    engagements: tuple[Engagement, ...] = ()
    statements: tuple[Statement, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    protocols: tuple[Protocol, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    interactions: tuple[Interaction, ...] = ()


# --- outputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    points: int
    max: int
    evidence: str
    refs: tuple[Ref, ...] = ()
    to_meet: str = ""  # what would earn the missing points; empty when met in full
    # How many interactions the evidence counts: shown suppressed to researchers (SPEC §8).
    interaction_count: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "points": self.points, "max": self.max, "evidence": self.evidence}


@dataclass(frozen=True)
class Factor:
    key: str
    criteria: tuple[Criterion, ...]

    @property
    def score(self) -> int:
        # Opposition can subtract, but a factor never goes below 0.
        return max(0, min(100, sum(c.points for c in self.criteria)))

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "score": self.score,
            "max": 100,
            "criteria": [c.as_json() for c in self.criteria],
        }


@dataclass(frozen=True)
class Scorecard:
    site: str
    as_of: date
    weights: dict[str, int]
    factors: tuple[Factor, ...]
    total: Decimal = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", weighted_total(self.factors, self.weights))

    @property
    def rubric(self) -> str:
        return rubric_label(self.weights)

    @property
    def band(self) -> str:
        return band_for(self.total)

    def factor(self, key: str) -> Factor:
        return next(f for f in self.factors if f.key == key)

    def as_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "as_of": self.as_of.isoformat(),
            "rubric": self.rubric,
            "weights": {key: self.weights[key] for key in FACTOR_KEYS},
            "total": float(self.total),
            "band": self.band,
            "factors": [f.as_json() for f in self.factors],
        }


def rubric_label(weights: dict[str, int]) -> str:
    return RUBRIC if weights == DEFAULT_WEIGHTS else f"{RUBRIC}-custom"


def weighted_total(factors: Sequence[Factor], weights: dict[str, int]) -> Decimal:
    """Σ wᵢ·Fᵢ ÷ Σ wᵢ, rounded half up to one decimal."""
    weight_sum = sum(weights[f.key] for f in factors)
    if weight_sum <= 0:
        return Decimal("0.0")
    exact = Decimal(sum(weights[f.key] * f.score for f in factors)) / Decimal(weight_sum)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def band_for(total: Decimal) -> str:
    for threshold, band in BANDS:
        if total >= threshold:
            return band
    return "at_risk"


# --- helpers --------------------------------------------------------------------------


def within(day: date, as_of: date, days: int) -> bool:
    """True when `day` falls in the last `days` days: as_of − days < day ≤ as_of."""
    return as_of - timedelta(days=days) < day <= as_of


def _not_yet_open(inputs: SiteInputs, as_of: date) -> bool:
    return inputs.opened_on is None or inputs.opened_on > as_of


def _eng_ref(e: Engagement) -> Ref:
    return Ref(
        "engagements", e.id, _("%(kind)s on %(date)s") % {"kind": word(e.kind), "date": e.date}
    )


def _stmt_ref(s: Statement) -> Ref:
    label = _("%(rank)s %(stance)s on %(date)s") % {
        "rank": word(s.rank),
        "stance": word(s.stance),
        "date": s.date,
    }
    return Ref("support-statements", s.id, label)


# --- F1 early engagement --------------------------------------------------------------


def early_engagement(inputs: SiteInputs, as_of: date) -> Factor:
    events = sorted((e for e in inputs.engagements if e.date <= as_of), key=lambda e: e.date)
    opened = inputs.opened_on
    not_open = _not_yet_open(inputs, as_of)
    return Factor(
        "early_engagement",
        (
            _lead_time(events, opened, not_open),
            _dialogues(events, opened, not_open),
            _exemption_briefing(events, opened, not_open),
        ),
    )


def _lead_time(events: list[Engagement], opened: date | None, not_open: bool) -> Criterion:
    key, top = "lead_time", 50
    if not events:
        return Criterion(
            key, 0, top, _("No engagement event is recorded."),
            to_meet=_("Record the first engagement with police, ideally 180 days or more "
                      "before opening."),
        )  # fmt: skip
    first = events[0]
    refs = (_eng_ref(first),)
    if not_open:
        return Criterion(
            key, top, top,
            _("The site is not yet open; engagement began on %(date)s (%(kind)s).")
            % {"date": first.date, "kind": word(first.kind)},
            refs,
        )  # fmt: skip
    assert opened is not None
    lead = (opened - first.date).days
    if lead >= 180:
        points = 50
    elif lead >= 90:
        points = 35
    elif lead >= 1:
        points = 20
    else:
        points = 10
    if lead > 0:
        when = ngettext("%(count)d day before opening", "%(count)d days before opening", lead) % {
            "count": lead
        }
    elif lead < 0:
        when = ngettext("%(count)d day after opening", "%(count)d days after opening", -lead) % {
            "count": -lead
        }
    else:
        when = _("on the day the site opened")
    return Criterion(
        key, points, top,
        _("First engagement (%(kind)s) on %(date)s, %(when)s (%(opened)s).")
        % {"kind": word(first.kind), "date": first.date, "when": when, "opened": opened},
        refs,
        "" if points == top else _("Full points need engagement that began 180 days or more "
        "before opening; the first event cannot be moved, so this is kept as history."),
    )  # fmt: skip


def _dialogues(events: list[Engagement], opened: date | None, not_open: bool) -> Criterion:
    key, top = "dialogues", 30
    counted = [
        e
        for e in events
        if e.kind in ("dialogue", "community_planning") and (not_open or e.date < opened)  # type: ignore[operator]
    ]
    points = 10 * min(3, len(counted))
    scope = (
        _("so far (not yet open)")
        if not_open
        else _("before opening on %(date)s") % {"date": opened}
    )
    return Criterion(
        key, points, top,
        ngettext(
            "%(count)d dialogue or community planning event %(scope)s.",
            "%(count)d dialogue or community planning events %(scope)s.",
            len(counted),
        ) % {"count": len(counted), "scope": scope},
        tuple(_eng_ref(e) for e in counted),
        "" if points == top else (
            _("Three dialogue or community planning events before opening earn full points.")
            if not_open else
            _("Only events before opening count; this cannot change after opening.")
        ),
    )  # fmt: skip


def _exemption_briefing(events: list[Engagement], opened: date | None, not_open: bool) -> Criterion:
    key, top = "exemption_briefing", 20
    briefings = [e for e in events if e.kind == "exemption_briefing"]
    before = [e for e in briefings if not_open or e.date < opened]  # type: ignore[operator]
    if before:
        e = before[0]
        return Criterion(
            key, top, top,
            _("Exemption briefing on %(date)s (site not yet open).") % {"date": e.date}
            if not_open else
            _("Exemption briefing on %(date)s, before opening on %(opened)s.")
            % {"date": e.date, "opened": opened},
            (_eng_ref(e),),
        )  # fmt: skip
    if briefings:
        e = briefings[0]
        return Criterion(
            key, 10, top,
            _("Exemption briefing on %(date)s, only on or after opening (%(opened)s).")
            % {"date": e.date, "opened": opened},
            (_eng_ref(e),),
            _("A briefing before opening would have earned full points."),
        )  # fmt: skip
    return Criterion(
        key, 0, top, _("No exemption briefing is recorded."),
        to_meet=_("Brief police on the site's exemption (before opening earns 20, after 10)."),
    )  # fmt: skip


# --- F2 senior support ----------------------------------------------------------------


def senior_support(inputs: SiteInputs, as_of: date) -> Factor:
    past = sorted((s for s in inputs.statements if s.date <= as_of), key=lambda s: s.date)
    recent = [s for s in past if within(s.date, as_of, SUPPORT_WINDOW)]
    since = as_of - timedelta(days=SUPPORT_WINDOW - 1)

    def latest(items: Iterable[Statement]) -> Statement | None:
        found = list(items)
        return found[-1] if found else None

    chief = [s for s in past if s.stance == "support" and s.rank in ("chief", "deputy_chief")]
    chief_recent = latest(s for s in chief if s in recent)
    if chief_recent:
        chief_c = Criterion(
            "chief_support", 60, 60,
            _("Support from the %(rank)s on %(date)s (within the last %(days)s days).")
            % {"rank": word(chief_recent.rank), "date": chief_recent.date,
               "days": SUPPORT_WINDOW},
            (_stmt_ref(chief_recent),),
        )  # fmt: skip
    elif chief:
        old = chief[-1]
        chief_c = Criterion(
            "chief_support", 30, 60,
            _("The latest support from the chief or deputy chief is from %(date)s, "
              "older than %(days)s days.") % {"date": old.date, "days": SUPPORT_WINDOW},
            (_stmt_ref(old),),
            _("A supporting statement by the chief or a deputy chief since %(since)s restores "
              "full points.") % {"since": since},
        )  # fmt: skip
    else:
        chief_c = Criterion(
            "chief_support", 0, 60, _("No supporting statement by the chief or a deputy chief."),
            to_meet=_("Seek a public statement, letter, directive or meeting in which the chief "
                      "or a deputy chief supports the site."),
        )  # fmt: skip

    admin = latest(s for s in recent if s.stance == "support" and s.rank == "senior_administrator")
    admin_c = (
        Criterion(
            "senior_admin_support", 20, 20,
            _("Support from a senior administrator on %(date)s.") % {"date": admin.date},
            (_stmt_ref(admin),),
        )
        if admin
        else Criterion(
            "senior_admin_support", 0, 20,
            _("No support from a senior administrator since %(since)s.") % {"since": since},
            to_meet=_("A supporting statement by a senior police administrator."),
        )
    )  # fmt: skip

    directive = latest(
        s for s in recent
        if s.stance == "support" and s.kind == "directive" and s.rank in SENIOR_RANKS
    )  # fmt: skip
    directive_c = (
        Criterion(
            "directive", 20, 20,
            _("Supporting directive by the %(rank)s on %(date)s.")
            % {"rank": word(directive.rank), "date": directive.date},
            (_stmt_ref(directive),),
        )
        if directive
        else Criterion(
            "directive", 0, 20,
            _("No supporting directive by a senior rank since %(since)s.") % {"since": since},
            to_meet=_("A written directive to officers, from a senior rank, supporting the "
                      "site."),
        )
    )  # fmt: skip

    opposed = latest(s for s in recent if s.stance == "opposition" and s.rank in SENIOR_RANKS)
    opposition_c = (
        Criterion(
            "opposition", -30, 0,
            _("Opposition by the %(rank)s on %(date)s (within the last %(days)s days).")
            % {"rank": word(opposed.rank), "date": opposed.date, "days": SUPPORT_WINDOW},
            (_stmt_ref(opposed),),
            _("The deduction lapses %(days)s days after the last senior opposition "
              "(%(date)s).")
            % {"days": SUPPORT_WINDOW,
               "date": opposed.date + timedelta(days=SUPPORT_WINDOW)},
        )
        if opposed
        else Criterion(
            "opposition", 0, 0,
            _("No opposition by a senior rank since %(since)s.") % {"since": since},
        )
    )  # fmt: skip
    return Factor("senior_support", (chief_c, admin_c, directive_c, opposition_c))


# --- F3 dedicated liaison -------------------------------------------------------------


def protocol_in_force(protocols: Iterable[Protocol], as_of: date) -> Protocol | None:
    return in_force(protocols, as_of)


def dedicated_liaison(inputs: SiteInputs, as_of: date) -> Factor:
    active = [a for a in inputs.assignments if a.active_on(as_of) and a.officer_active]
    primary = next((a for a in active if a.role == "primary"), None)
    backup = next((a for a in active if a.role == "backup"), None)

    def aref(a: Assignment) -> Ref:
        label = _("%(officer)s, %(role)s from %(start)s") % {
            "officer": a.officer, "role": word(a.role), "start": a.start,
        }  # fmt: skip
        return Ref("assignments", a.id, label)

    primary_c = (
        Criterion("primary", 50, 50,
                  _("A primary liaison is assigned since %(date)s.") % {"date": primary.start},
                  (aref(primary),))
        if primary
        else Criterion("primary", 0, 50, _("No active primary liaison on this day."),
                       to_meet=_("Assign an active officer as the site's primary liaison."))
    )  # fmt: skip
    backup_c = (
        Criterion("backup", 15, 15,
                  _("A backup liaison is assigned since %(date)s.") % {"date": backup.start},
                  (aref(backup),))
        if backup
        else Criterion("backup", 0, 15, _("No active backup liaison on this day."),
                       to_meet=_("Assign an active officer as backup liaison."))
    )  # fmt: skip
    return Factor(
        "dedicated_liaison",
        (primary_c, backup_c, _contact_verified(primary, as_of),
         _acknowledged(inputs, primary, as_of)),
    )  # fmt: skip


def _contact_verified(primary: Assignment | None, as_of: date) -> Criterion:
    key = "contact_verified"
    if primary is None:
        return Criterion(
            key,
            0,
            15,
            _("No primary liaison whose contact could be verified."),
            to_meet=_("Assign a primary liaison and verify their contact details."),
        )
    verified = primary.contact_verified_on
    if verified is not None and within(verified, as_of, CONTACT_WINDOW):
        return Criterion(
            key,
            15,
            15,
            _("The primary liaison's contact details were verified on %(date)s.")
            % {"date": verified},
            (Ref("officers", primary.officer_id, primary.officer),),
        )
    if verified is None:
        said = _("The primary liaison's contact details were never verified.")
    elif verified > as_of:
        said = _(
            "The primary liaison's contact details were not verified in the %(days)s days "
            "before this day (the record holds only the latest check, %(date)s, after this "
            "day)."
        ) % {"days": CONTACT_WINDOW, "date": verified}
    else:
        said = _("The primary liaison's contact details were last verified on %(date)s.") % {
            "date": verified
        }
    return Criterion(
        key, 0, 15, said,
        (Ref("officers", primary.officer_id, primary.officer),),
        _("Confirm the primary liaison's phone and e-mail (within %(days)s days).")
        % {"days": CONTACT_WINDOW},
    )  # fmt: skip


def _acknowledged(inputs: SiteInputs, primary: Assignment | None, as_of: date) -> Criterion:
    key = "protocol_acknowledged"
    in_force = protocol_in_force(inputs.protocols, as_of)
    if primary is None or in_force is None:
        if primary is None:
            return Criterion(
                key, 0, 20, _("No primary liaison to acknowledge the protocol."),
                to_meet=_("Assign a primary liaison, who then acknowledges the protocol in "
                          "force."),
            )  # fmt: skip
        return Criterion(
            key, 0, 20, _("No protocol is in force to acknowledge."),
            to_meet=_("Sign a protocol with police; the primary liaison then acknowledges it."),
        )  # fmt: skip
    ack = next(
        (a for a in inputs.acknowledgements
         if a.officer_id == primary.officer_id and a.protocol_id == in_force.id
         and a.on <= as_of),
        None,
    )  # fmt: skip
    pref = _pref(in_force)
    if ack:
        return Criterion(
            key,
            20,
            20,
            _("The primary liaison acknowledged version %(version)s on %(date)s.")
            % {"version": in_force.version, "date": ack.on},
            (pref,),
        )
    return Criterion(
        key, 0, 20,
        _("The primary liaison has not acknowledged version %(version)s, the one in force.")
        % {"version": in_force.version},
        (pref,), _("Ask the primary liaison to acknowledge the version in force."),
    )  # fmt: skip


# --- F4 entry and presence agreement --------------------------------------------------


def entry_presence_agreement(inputs: SiteInputs, as_of: date) -> Factor:
    in_force = protocol_in_force(inputs.protocols, as_of)
    drafts = [
        p for p in inputs.protocols
        if p.status in ("draft", "negotiating") and p.created_on <= as_of
    ]  # fmt: skip
    newest_draft = max(drafts, key=lambda p: p.version, default=None)
    basis = in_force or newest_draft

    if in_force and (in_force.review_by is None or in_force.review_by >= as_of):
        facts = {
            "version": in_force.version,
            "date": in_force.effective_from,
            "review": in_force.review_by,
        }
        status = Criterion(
            "status",
            40,
            40,
            _("Version %(version)s is in force since %(date)s, review by %(review)s.") % facts
            if in_force.review_by
            else _("Version %(version)s is in force since %(date)s.") % facts,
            (_pref(in_force),),
        )
    elif in_force:
        status = Criterion(
            "status",
            25,
            40,
            _("Version %(version)s is in force but its review was due on %(date)s.")
            % {"version": in_force.version, "date": in_force.review_by},
            (_pref(in_force),),
            _("Review the agreement with police and sign the reviewed version."),
        )
    elif newest_draft:
        status = Criterion(
            "status",
            10,
            40,
            _("No version in force; version %(version)s is %(status)s.")
            % {"version": newest_draft.version, "status": word(newest_draft.status)},
            (_pref(newest_draft),),
            _("Sign the agreement with police."),
        )
    else:
        status = Criterion(
            "status",
            0,
            40,
            _("No entry and presence agreement is recorded."),
            to_meet=_("Start negotiating an entry and presence agreement."),
        )

    if basis is None:
        coverage = Criterion(
            "coverage",
            0,
            35,
            _("No version to cover the seven topics."),
            to_meet=_("Cover the seven topics of a complete agreement."),
        )
    else:
        covered = [t for t in REQUIRED_TOPICS if t in basis.topics]
        missing = [word(t) for t in REQUIRED_TOPICS if t not in basis.topics]
        which = (
            pgettext("protocol status, in a sentence", "in force")
            if basis is in_force
            else word(basis.status)
        )
        coverage = Criterion(
            "coverage", 5 * len(covered), 35,
            _("Version %(version)s (%(which)s) covers %(covered)s of 7 topics.")
            % {"version": basis.version, "which": which, "covered": len(covered)},
            (_pref(basis),),
            _("Add clauses on: %(topics)s.") % {"topics": ", ".join(missing)} if missing else "",
        )  # fmt: skip

    if basis is None:
        compliance = Criterion(
            "compliance",
            0,
            25,
            _("No agreement to comply with."),
            to_meet=_("An agreement in force or in negotiation."),
        )
    else:
        breaches = [
            i for i in inputs.interactions if within(i.on, as_of, BREACH_WINDOW) and i.is_breach
        ]
        points = compliance_points(len(breaches))
        breaches_label = _("the breaches from %(start)s to %(end)s") % {
            "start": as_of - timedelta(days=BREACH_WINDOW - 1),
            "end": as_of,
        }
        compliance = Criterion(
            "compliance", points, 25,
            ngettext(
                "%(count)d breach in the last %(days)s days.",
                "%(count)d breaches in the last %(days)s days.",
                len(breaches),
            ) % {"count": len(breaches), "days": BREACH_WINDOW},
            (Ref("breaches", 0, breaches_label),) if breaches else (),
            "" if points == 25 else compliance_to_meet(),
            interaction_count=len(breaches),
        )  # fmt: skip
    return Factor("entry_presence_agreement", (status, coverage, compliance))


def compliance_to_meet() -> str:
    """What would earn back compliance points lost to breaches."""
    return _("Each breach costs 5 points for %(days)s days.") % {"days": BREACH_WINDOW}


def compliance_points(breaches: int) -> int:
    """Compliance points for a number of breaches in the last 90 days (never rising with
    the count). `scoring.intervals` applies it to the counts a suppressed one could be."""
    return max(0, 25 - 5 * breaches)


def _pref(p: Protocol) -> Ref:
    return Ref("protocols", p.id, _("version %(version)s") % {"version": p.version})


# --- F5 regular contact ---------------------------------------------------------------


def _checkin_ref(c: CheckIn) -> Ref:
    label = _("%(format)s on %(start)s") % {
        "format": word(c.format),
        "start": formats.date_format(c.start, "SHORT_DATETIME_FORMAT"),  # 2026-11-10 10:00
    }
    return Ref("checkins", c.id, label)


def regular_contact(inputs: SiteInputs, as_of: date) -> Factor:
    schedule = next(
        (s for s in inputs.schedules if s.start <= as_of and (s.end is None or s.end >= as_of)),
        None,
    )
    schedule_c = (
        Criterion("schedule", 20, 20,
                  _("Schedule “%(name)s” is active since %(date)s.")
                  % {"name": schedule.key, "date": schedule.start},
                  (Ref("schedules", schedule.id, schedule.key),))
        if schedule
        else Criterion("schedule", 0, 20, _("No check-in schedule is active on this day."),
                       to_meet=_("Agree a regular check-in schedule with the liaison."))
    )  # fmt: skip

    year = [c for c in inputs.checkins if within(c.start.date(), as_of, CHECKIN_WINDOW)]
    held = [c for c in year if c.status == "held"]
    missed = [c for c in year if c.status == "missed"]
    # Past occurrences still `scheduled` never count, but the reader should know of them.
    waiting = [c for c in year if c.status == "scheduled" and c.start.date() < as_of]
    awaiting = (
        " " + ngettext(
            "%(count)d past check-in awaits an outcome.",
            "%(count)d past check-ins await an outcome.",
            len(waiting),
        ) % {"count": len(waiting)}
        if waiting else ""
    )  # fmt: skip
    record_them = (
        ngettext(
            "Record the outcome of the %(count)d check-in awaiting one.",
            "Record the outcome of the %(count)d check-ins awaiting one.",
            len(waiting),
        ) % {"count": len(waiting)} + " "
        if waiting else ""
    )  # fmt: skip
    waiting_refs = tuple(_checkin_ref(c) for c in waiting)
    counted = len(held) + len(missed)
    if counted:
        points = math.floor(Fraction(50 * len(held), counted) + Fraction(1, 2))
        adherence = Criterion(
            "adherence", points, 50,
            _("%(held)d held and %(missed)d missed in the last %(days)s days "
              "(cancelled and unrecorded check-ins do not count).")
            % {"held": len(held), "missed": len(missed), "days": CHECKIN_WINDOW} + awaiting,
            waiting_refs,
            "" if points == 50 and not waiting else
            record_them + (_("Hold every scheduled check-in, or cancel it in advance.")
                           if points < 50 else ""),
        )  # fmt: skip
    else:
        adherence = Criterion(
            "adherence", 0, 50,
            _("No held or missed check-in in the last %(days)s days.") % {"days": CHECKIN_WINDOW}
            + awaiting,
            waiting_refs,
            to_meet=record_them + _("Hold check-ins and record their outcome."),
        )  # fmt: skip

    outside = [
        c for c in held
        if c.format in ("tour", "visit")
        and not overlaps_hours(c.start, c.start + timedelta(minutes=c.minutes), inputs.hours)
    ]  # fmt: skip
    points = 30 if len(outside) >= 2 else 15 * len(outside)
    non_operational = Criterion(
        "non_operational_contact", points, 30,
        ngettext(
            "%(count)d tour or visit held outside operating hours in the last %(days)s days.",
            "%(count)d tours or visits held outside operating hours in the last %(days)s days.",
            len(outside),
        ) % {"count": len(outside), "days": CHECKIN_WINDOW},
        tuple(_checkin_ref(c) for c in outside),
        "" if points == 30 else _("Two held tours or visits outside operating hours in a year "
        "earn full points."),
    )  # fmt: skip
    return Factor("regular_contact", (schedule_c, adherence, non_operational))


# --- the whole rubric -----------------------------------------------------------------

FACTORS: tuple[Callable[[SiteInputs, date], Factor], ...] = (
    early_engagement,
    senior_support,
    dedicated_liaison,
    entry_presence_agreement,
    regular_contact,
)


def score(inputs: SiteInputs, as_of: date, weights: dict[str, int] | None = None) -> Scorecard:
    return Scorecard(
        site=inputs.slug,
        as_of=as_of,
        weights=dict(weights or DEFAULT_WEIGHTS),
        factors=tuple(rule(inputs, as_of) for rule in FACTORS),
    )


def month_ends(as_of: date, months: int = 24) -> list[date]:
    """The last day of each of the `months` months up to `as_of`, oldest first; the
    final point is `as_of` itself."""
    points = [as_of]
    day = as_of.replace(day=1) - timedelta(days=1)
    while len(points) < months:
        points.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return sorted(points)
