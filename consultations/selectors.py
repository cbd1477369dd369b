"""Scoped reads of consultations: who may open them, and what each page and the API read,
each in a constant number of queries.

The site is resolved by `agreements.access.site_access` (out of scope 404). Inside the
site, consultations are read by its managers (and network administrators) and by its
community body; police read the protocol but never a consultation nor a comment (403,
since they can see the site), researchers neither.

The community body reads a draft only through a consultation: a version never opened for
consultation is not reachable here, and the protocol pages it shares with police show
signed versions only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from agreements.access import Permission, SiteAccess, site_access
from agreements.choices import Topic
from agreements.models import Protocol, ProtocolClause, Site
from agreements.protocol_diff import ClauseText, DiffRow, diff_versions
from agreements.selectors import protocol_in_force
from agreements.types import AnyUser
from consultations.models import Answer, Comment, Consultation

READERS_ONLY = "Consultations are read by the site's managers and its community body."


def consultation_site(user: AnyUser, slug: str) -> SiteAccess:
    """The site `slug` for a reader of its consultations: 404 out of scope, 403 for
    police and researchers."""
    access = site_access(user, slug, Permission.VIEW_PROTOCOL)
    if not (access.can(Permission.MANAGE) or access.can(Permission.ACT_AS_COMMUNITY)):
        raise PermissionDenied(READERS_ONLY)
    return access


def consultations_of(site: Site) -> QuerySet[Consultation]:
    """The site's consultations with their version and comment counts (one query)."""
    return (
        Consultation.objects.filter(site=site)
        .select_related("protocol", "opened_by")
        .annotate(
            comment_count=Count("comments", distinct=True),
            unanswered_count=Count(
                "comments", filter=Q(comments__answers__isnull=True), distinct=True
            ),
        )
        .order_by("-opened_at", "-id")
    )


def open_first(rows: list[Consultation], site: Site) -> list[Consultation]:
    """Open consultations first (the soonest to close first), then closed ones, newest
    first; each marked `open_now`, with its site (read once by the caller)."""
    today = site.today()
    for row in rows:
        row.site = site
        row.open_now = row.is_open(today)  # type: ignore[attr-defined]
    opened = sorted((r for r in rows if r.open_now), key=lambda r: (r.closes_on, r.pk))  # type: ignore[attr-defined]
    closed = [r for r in rows if not r.open_now]  # type: ignore[attr-defined]
    return opened + closed


def consultation_get(access: SiteAccess, pk: int) -> Consultation:
    """The consultation `pk` of the site (404 for another site's or none)."""
    found = consultations_of(access.site).filter(pk=pk).first()
    if found is None:
        raise Http404("No such consultation.")
    found.site = access.site
    found.protocol.site = access.site
    return found


def comments_of(consultation: Consultation) -> list[Comment]:
    """The comments in order, each with `answer` (the newest wording, or None) and
    `earlier` (the answer's earlier wordings, oldest first). Two queries."""
    answers = Answer.objects.select_related("answered_by").order_by("id")
    rows = list(
        Comment.objects.filter(consultation=consultation)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("id")
    )
    for comment in rows:
        comment.consultation = consultation
        wordings = list(comment.answers.all())
        comment.answer = wordings[-1] if wordings else None  # type: ignore[attr-defined]
        comment.earlier = wordings[:-1]  # type: ignore[attr-defined]
    return rows


# Versions whose text can no longer change: the community body reads them as it reads
# every signed version.
FIXED = ("signed", "ended")


def clauses_readable(consultation: Consultation, *, is_open: bool, manager: bool) -> bool:
    """Whether the reader sees the version's clauses through this consultation: the
    site's managers always; the community body while it is open, and once the version is
    signed. A draft still being negotiated after its consultation closed may have changed
    since: that wording was never opened to the community body."""
    return manager or is_open or consultation.protocol.status in FIXED


@dataclass(frozen=True)
class VersionReading:
    """What the community reads of the consulted version: its clauses, and each clause
    beside the version in force on the day the consultation opened (`base`; None when
    none was in force, and every clause reads as added)."""

    clauses: list[ProtocolClause]
    base: Protocol | None
    rows: list[DiffRow]

    @property
    def changed_rows(self) -> list[DiffRow]:
        """What the consultation is about: the clauses added, removed or reworded."""
        return [row for row in self.rows if row.change != "same"]

    @property
    def same_rows(self) -> list[DiffRow]:
        """Clauses that read the same in both versions, shown once and folded away."""
        return [row for row in self.rows if row.change == "same"]


def version_reading(consultation: Consultation) -> VersionReading:
    site = consultation.site
    opened_day = site.local(consultation.opened_at).date()
    base = protocol_in_force(site, opened_day)
    if base is not None and base.pk == consultation.protocol_id:
        base = None
    clauses = list(consultation.protocol.clauses.all())
    old = list(base.clauses.all()) if base is not None else []
    return VersionReading(clauses, base, diff_versions(_texts(old), _texts(clauses)))


def _texts(clauses: list[ProtocolClause]) -> list[ClauseText]:
    return [ClauseText(c.topic, Topic(c.topic).label, c.text) for c in clauses]


@dataclass(frozen=True)
class Answered:
    """How many of a version's community comments have an answer."""

    answered: int
    total: int

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


def answered_of(protocol: Protocol) -> Answered:
    """Over every consultation of the version (one query)."""
    counts = Comment.objects.filter(consultation__protocol=protocol).aggregate(
        total=Count("id", distinct=True),
        answered=Count("id", filter=Q(answers__isnull=False), distinct=True),
    )
    return Answered(answered=counts["answered"] or 0, total=counts["total"] or 0)


def for_report(site: Site, as_of: date) -> list[tuple[Consultation, list[Comment]]]:
    """The consultation record of the manager edition: every consultation opened by
    `as_of` on the version in force that day or on a version not yet in force (a draft,
    a version in negotiation, a signed one still to take effect), with its comments and
    answers. Four queries whatever the number of consultations."""
    in_force = protocol_in_force(site, as_of)
    later = Q(protocol__status__in=["draft", "negotiating"]) | Q(
        protocol__status="signed", protocol__effective_from__gt=as_of
    )
    if in_force is not None:
        later |= Q(protocol=in_force)
    rows = [
        c for c in consultations_of(site).filter(later) if site.local(c.opened_at).date() <= as_of
    ]
    answers = Answer.objects.select_related("answered_by").order_by("id")
    comments = (
        Comment.objects.filter(consultation__in=rows)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("id")
    )
    by_consultation: dict[int, list[Comment]] = {}
    for comment in comments:
        wordings = list(comment.answers.all())
        comment.answer = wordings[-1] if wordings else None  # type: ignore[attr-defined]
        comment.earlier = wordings[:-1]  # type: ignore[attr-defined]
        by_consultation.setdefault(comment.consultation_id, []).append(comment)
    for row in rows:
        row.site = site
    return [(row, by_consultation.get(row.pk, [])) for row in rows]


@dataclass(frozen=True)
class VersionPanel:
    """The consultation panel of a manager's version page: the version's consultations
    (newest first, with their counts), the open one, and whether one may be opened."""

    consultations: list[Consultation]
    open: Consultation | None
    may_open: bool
    oversight: bool


def version_panel(protocol: Protocol, today: date) -> VersionPanel:
    """One query (the site is the protocol's, already read)."""
    site = protocol.site
    rows = list(consultations_of(site).filter(protocol=protocol))
    for row in rows:
        row.site, row.protocol = site, protocol
        row.open_now = row.is_open(today)  # type: ignore[attr-defined]
    current = next((r for r in rows if r.open_now), None)  # type: ignore[attr-defined]
    consultable = protocol.status in ("draft", "negotiating")
    return VersionPanel(
        consultations=rows,
        open=current,
        may_open=site.community_oversight and consultable and current is None,
        oversight=site.community_oversight,
    )
