"""The one-page summary that opens the manager edition: the report a site takes to its
meeting with the police chief.

Pure functions over plain data (tested without a database), and one gatherer that reads
what the manager edition has already loaded, plus the site's protocol versions (two
queries, whatever the number of breaches).

"The last report" is the score at the end of the month before the report's day (the
previous point of the 24-month trend, so no extra query and the same answer every time
a report of that day is made): monthly meetings compare month to month. What changed is
read over the days after that month end, up to and including the report's day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from agreements.choices import REQUIRED_TOPICS, CheckInStatus, ProtocolStatus, Topic
from agreements.models import Protocol, Site
from agreements.protocol_rules import in_force
from scoring.rubric import BREACH_WINDOW, FACTOR_KEYS, Scorecard

EXCERPT = 160  # characters of a clause's text printed beside a breach
REVIEW_NOTICE = 180  # days ahead in which a review date is an upcoming change
NO_CLAUSE = ""  # the topic of a breach linked to no clause


# --- plain data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """A protocol version as the summary reads it."""

    version: int
    status: str
    created_on: date
    effective_from: date | None = None
    review_by: date | None = None
    ended_on: date | None = None
    clauses: tuple[tuple[str, str], ...] = ()  # (topic, text), in the version's order


@dataclass(frozen=True)
class Breach:
    """One breach by its structured fields, with the clause it broke."""

    day: date
    when: str  # "2026-11-03 14h", to the hour as stored
    category: str  # the category's label
    where: str
    impact: str
    notified: bool
    liaison_contacted: bool
    topic: str = NO_CLAUSE  # the clause's topic, or "" when none was recorded
    clause: str = ""  # an excerpt of that clause's text in the version then in force

    @property
    def topic_label(self) -> str:
        return str(Topic(self.topic).label) if self.topic else ""


@dataclass(frozen=True)
class FactorChange:
    key: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class AskFacts:
    """What the score and the records say about police's side of the agreement."""

    as_of: date
    breach_topics: Sequence[tuple[str, int]] = ()  # (topic or "", breaches in the window)
    version_in_force: int | None = None
    review_by: date | None = None
    has_primary: bool = True
    contact_verified: bool = True
    acknowledged: bool = True
    schedule_active: bool = True
    missed_checkins: int = 0  # in the window


@dataclass
class Summary:
    previous_day: date
    total_before: Any
    band_before: str
    factor_changes: list[FactorChange]
    news: list[str]
    by_clause: list[tuple[str, int]]
    breaches: list[Breach]
    asks: list[str]
    upcoming: list[str]
    window_start: date

    @property
    def by_clause_columns(self) -> list[tuple[tuple[str, int], tuple[str, int] | None]]:
        """The counts by clause in two columns side by side, to keep the summary to a page."""
        half = (len(self.by_clause) + 1) // 2
        left, right = self.by_clause[:half], self.by_clause[half:]
        return [(row, right[i] if i < len(right) else None) for i, row in enumerate(left)]


# --- rules --------------------------------------------------------------------------------


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of a clause's text on one line, cut at a word with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def clause_text(versions: Iterable[Version], day: date, topic: str) -> str:
    """The excerpt of the clause on `topic` in the version in force on `day` (the first, if
    several share the topic); empty when no version was in force or none has that topic."""
    if not topic:
        return ""
    version = in_force(list(versions), day)
    if version is None:
        return ""
    texts = [text for clause_topic, text in version.clauses if clause_topic == topic]
    return excerpt(texts[0]) if texts else ""


def breaches_by_clause(breaches: Sequence[Breach]) -> list[tuple[str, int]]:
    """Breaches counted by the clause they broke, in the order of the protocol's topics,
    then "other", then a row for breaches with no clause recorded (always there when
    there is any breach, so a reader sees how many are unlinked)."""
    if not breaches:
        return []
    counts = Counter(b.topic for b in breaches)
    rows = [
        (str(Topic(t).label), counts[t]) for t in (*REQUIRED_TOPICS, Topic.OTHER.value) if counts[t]
    ]
    rows.append((_("No clause recorded"), counts[NO_CLAUSE]))
    return rows


def factor_changes(before: Scorecard, after: Scorecard) -> list[FactorChange]:
    return [
        FactorChange(key, before.factor(key).score, after.factor(key).score) for key in FACTOR_KEYS
    ]


def dated_news(events: Iterable[tuple[date, str]], since: date, until: date) -> list[str]:
    """What happened after `since`, up to and including `until`, oldest first."""
    return [text for day, text in sorted(events, key=lambda e: e[0]) if since < day <= until]


def police_asks(facts: AskFacts) -> list[str]:
    """What the site asks of police, read plainly from the facts, most pressing first:
    the clauses breached, then the liaison, the protocol and the check-ins."""
    asks = []
    breached = [(topic, count) for topic, count in facts.breach_topics if topic and count]
    if len(breached) == 1:
        topic, count = breached[0]
        asks.append(
            ngettext(
                "Keep to the clause “%(topic)s”: %(count)d breach in the last %(days)d days.",
                "Keep to the clause “%(topic)s”: %(count)d breaches in the last %(days)d days.",
                count,
            )
            % {"topic": Topic(topic).label, "count": count, "days": BREACH_WINDOW}
        )
    elif breached:
        # One line for every clause breached: the table above gives them one row each.
        clauses = pgettext("between items of a list", "; ").join(
            _("“%(topic)s” (%(count)d)") % {"topic": Topic(topic).label, "count": count}
            for topic, count in breached
        )
        asks.append(
            _("Keep to the clauses breached in the last %(days)d days: %(clauses)s.")
            % {"days": BREACH_WINDOW, "clauses": clauses}
        )
    unlinked = sum(count for topic, count in facts.breach_topics if not topic)
    if unlinked:
        asks.append(
            ngettext(
                "Explain %(count)d breach in the last %(days)d days that no clause names.",
                "Explain %(count)d breaches in the last %(days)d days that no clause names.",
                unlinked,
            )
            % {"count": unlinked, "days": BREACH_WINDOW}
        )
    if not facts.has_primary:
        asks.append(_("Name a primary liaison officer for the site."))
    else:
        if not facts.contact_verified:
            asks.append(_("Confirm the primary liaison's contact details with the site."))
        if facts.version_in_force is not None and not facts.acknowledged:
            asks.append(
                _("Have the primary liaison acknowledge version %(version)s of the protocol.")
                % {"version": facts.version_in_force}
            )
    if facts.version_in_force is None:
        asks.append(_("Sign an entry and presence protocol with the site."))
    elif facts.review_by is not None and facts.review_by < facts.as_of:
        asks.append(
            _(
                "Review the protocol with the site: version %(version)s was due for review on "
                "%(day)s."
            )
            % {"version": facts.version_in_force, "day": _day(facts.review_by)}
        )
    if facts.missed_checkins:
        asks.append(
            ngettext(
                "Attend the scheduled check-ins: %(count)d missed in the last %(days)d days.",
                "Attend the scheduled check-ins: %(count)d missed in the last %(days)d days.",
                facts.missed_checkins,
            )
            % {"count": facts.missed_checkins, "days": BREACH_WINDOW}
        )
    if not facts.schedule_active:
        asks.append(_("Agree a regular check-in schedule with the site."))
    return asks


def upcoming_changes(versions: Sequence[Version], as_of: date) -> list[str]:
    """Protocol changes ahead of the report's day: signed versions not yet in force, the
    end of the version in force, its review date (or that it is overdue), and versions
    being drafted or negotiated."""
    changes: list[tuple[date, str]] = []
    current = in_force(list(versions), as_of)
    for v in versions:
        if v.status == ProtocolStatus.SIGNED and v.effective_from and v.effective_from > as_of:
            changes.append(
                (
                    v.effective_from,
                    _("Version %(version)s, signed, takes effect on %(day)s.")
                    % {"version": v.version, "day": _day(v.effective_from)},
                )
            )
        if v.created_on <= as_of and v.status in (ProtocolStatus.DRAFT, ProtocolStatus.NEGOTIATING):
            words = (
                _("Version %(version)s is being negotiated.")
                if v.status == ProtocolStatus.NEGOTIATING
                else _("Version %(version)s is a draft.")
            )
            changes.append((as_of, words % {"version": v.version}))
    if current is not None:
        if current.ended_on and current.ended_on > as_of:
            changes.append(
                (
                    current.ended_on,
                    _("Version %(version)s ends on %(day)s.")
                    % {"version": current.version, "day": _day(current.ended_on)},
                )
            )
        if current.review_by and current.review_by < as_of:
            changes.append(
                (
                    as_of,
                    _("The review of version %(version)s was due on %(day)s.")
                    % {"version": current.version, "day": _day(current.review_by)},
                )
            )
        elif current.review_by and current.review_by <= as_of + timedelta(days=REVIEW_NOTICE):
            changes.append(
                (
                    current.review_by,
                    _("Version %(version)s is to be reviewed by %(day)s.")
                    % {"version": current.version, "day": _day(current.review_by)},
                )
            )
    return [text for _day_, text in sorted(changes, key=lambda c: c[0])]


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- gathering ----------------------------------------------------------------------------


def versions_of(site: Site) -> list[Version]:
    """Every version of the site's protocol with its clauses (two queries)."""
    return [
        Version(
            version=p.version,
            status=p.status,
            created_on=p.created_on,
            effective_from=p.effective_from,
            review_by=p.review_by,
            ended_on=p.ended_on,
            clauses=tuple((c.topic, c.text) for c in p.clauses.all()),
        )
        for p in Protocol.objects.filter(site=site).prefetch_related("clauses")
    ]


def with_clauses(rows: Iterable[dict[str, Any]], versions: Sequence[Version]) -> list[Breach]:
    """The recent breaches of `reports.data.interaction_summary` with the clause each broke."""
    return [
        Breach(
            day=r["day"],
            when=r["when"],
            category=r["category"],
            where=r["where"],
            impact=r["impact"],
            notified=r["notified"],
            liaison_contacted=r["liaison_contacted"],
            topic=r["topic"],
            clause=clause_text(versions, r["day"], r["topic"]),
        )
        for r in rows
    ]


def summary(
    *,
    trend: Sequence[Scorecard],
    breach_rows: Iterable[dict[str, Any]],
    versions: Sequence[Version],
    past_checkins: Sequence[tuple[date, str]],
    assignments: Sequence[Any],
    schedule_active: bool,
) -> Summary:
    card = trend[-1]
    as_of = card.as_of
    before = trend[-2] if len(trend) > 1 else card
    since = before.as_of if before is not card else as_of
    window_start = as_of - timedelta(days=BREACH_WINDOW - 1)
    breaches = [b for b in with_clauses(breach_rows, versions) if b.day >= window_start]
    liaison = {c.key: c.points for c in card.factor("dedicated_liaison").criteria}
    current = in_force(list(versions), as_of)
    topics = Counter(b.topic for b in breaches)
    missed = sum(
        1 for day, status in past_checkins if status == CheckInStatus.MISSED and day >= window_start
    )
    facts = AskFacts(
        as_of=as_of,
        breach_topics=[(t, topics[t]) for t in (*REQUIRED_TOPICS, Topic.OTHER.value, NO_CLAUSE)],
        version_in_force=current.version if current else None,
        review_by=current.review_by if current else None,
        has_primary=liaison.get("primary", 0) > 0,
        contact_verified=liaison.get("contact_verified", 0) > 0,
        acknowledged=liaison.get("protocol_acknowledged", 0) > 0,
        schedule_active=schedule_active,
        missed_checkins=missed,
    )
    return Summary(
        previous_day=since,
        total_before=before.total,
        band_before=before.band,
        factor_changes=factor_changes(before, card),
        news=_news(since, as_of, breaches, versions, past_checkins, assignments),
        by_clause=breaches_by_clause(breaches),
        breaches=breaches,
        asks=police_asks(facts),
        upcoming=upcoming_changes(versions, as_of),
        window_start=window_start,
    )


def _news(
    since: date,
    as_of: date,
    breaches: Sequence[Breach],
    versions: Sequence[Version],
    past_checkins: Sequence[tuple[date, str]],
    assignments: Sequence[Any],
) -> list[str]:
    events: list[tuple[date, str]] = []
    for v in versions:
        if v.effective_from and v.status in (ProtocolStatus.SIGNED, ProtocolStatus.ENDED):
            events.append(
                (
                    v.effective_from,
                    _("Version %(version)s of the protocol took effect on %(day)s.")
                    % {"version": v.version, "day": _day(v.effective_from)},
                )
            )
        if v.ended_on:
            events.append(
                (
                    v.ended_on,
                    _("Version %(version)s of the protocol ended on %(day)s.")
                    % {"version": v.version, "day": _day(v.ended_on)},
                )
            )
    for a in assignments:
        role = a.get_role_display().lower()
        events.append(
            (
                a.start,
                _("%(officer)s became the %(role)s liaison on %(day)s.")
                % {"officer": a.officer, "role": role, "day": _day(a.start)},
            )
        )
        if a.end:
            events.append(
                (
                    a.end,
                    _("%(officer)s stopped being the %(role)s liaison on %(day)s.")
                    % {"officer": a.officer, "role": role, "day": _day(a.end)},
                )
            )
    news = dated_news(events, since, as_of)
    new_breaches = sum(1 for b in breaches if since < b.day <= as_of)
    held = sum(1 for day, s in past_checkins if s == CheckInStatus.HELD and since < day <= as_of)
    missed = sum(
        1 for day, s in past_checkins if s == CheckInStatus.MISSED and since < day <= as_of
    )
    news.append(
        ngettext("%(count)d new breach.", "%(count)d new breaches.", new_breaches)
        % {"count": new_breaches}
    )
    news.append(
        _("Check-ins: %(held)s, %(missed)s.")
        % {
            "held": ngettext("%(count)d held", "%(count)d held", held) % {"count": held},
            "missed": ngettext("%(count)d missed", "%(count)d missed", missed) % {"count": missed},
        }
    )
    return news
