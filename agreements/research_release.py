"""The research release of one site for one calendar year (SPEC §2, §8), read from the
database: every count a researcher product prints is a figure of it.

The finest cells are, per local month: each category, split by breach yes/no where the
breach rule depends on the facts (an entry under an exception, a dispersal order), and
for requests for information by legal basis × disclosed. The published sums:

- stage 1, published once the month is complete at the site: per month, each category
  (research CSV) and the row total; breaches (research PDF);
- stage 2, published once the whole year is complete at the site: per category over the
  year and the grand total; breaches over the year (research PDF); requests for
  information per quarter × legal basis × disclosed, their quarter, column and year
  totals (research PDF, transparency CSV).

The period is fixed: the calendar year, local to the site. Totals over the year are only
published once it has ended, so a reader cannot subtract two totals over overlapping
ranges, nor watch a year's totals grow month by month; months are released as they end
with a suppression that later stages never change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from django.db.models import Count
from django.utils import timezone

from agreements.breaches import is_breach
from agreements.choices import RELEASED_CONSENTS, Category, DistanceBand, LegalBasis
from agreements.models import Interaction, Site
from agreements.periods import Month, Quarter, local_period_key, utc_window
from agreements.research_days import last_complete_month_end
from privacy.release import Plan, Release, suppress

CATEGORIES: tuple[str, ...] = tuple(Category.values)
INFO = str(Category.INFORMATION_REQUEST)
LEGAL_BASES: tuple[str, ...] = tuple(LegalBasis.values)
REQUEST_KINDS: tuple[tuple[str, bool], ...] = tuple(
    (basis, disclosed) for basis in LEGAL_BASES for disclosed in (False, True)
)

# A cell key within a month: (category, breach) or, for requests for information,
# (category, legal basis, disclosed).
CellKind = tuple[str, bool] | tuple[str, str, bool]


@cache
def breach_outcomes(category: str) -> frozenset[bool]:
    """Whether the category's interactions can be breaches, not, or either: from the
    breach rule itself, so the release splits exactly where the rule does."""
    return frozenset(
        is_breach(category=category, notified=notified, distance_band=band, legal_basis=basis)
        for notified in (False, True)
        for band in DistanceBand.values
        for basis in (*LEGAL_BASES, "")
    )


def cell_kinds() -> list[CellKind]:
    kinds: list[CellKind] = []
    for category in CATEGORIES:
        if category == INFO:
            kinds += [(category, basis, disclosed) for basis, disclosed in REQUEST_KINDS]
        else:
            kinds += [(category, breach) for breach in sorted(breach_outcomes(category))]
    return kinds


def _is_breach_kind(kind: CellKind) -> bool:
    if kind[0] == INFO:
        return kind[1] == LegalBasis.NONE
    return bool(kind[1])


@cache
def plan_for(year: int, complete_months: int) -> Plan:
    """The release's structure for a year of which the first `complete_months` months
    have ended (12: the whole year, with its year totals). Depends on no count."""
    months = [Month(year, m) for m in range(1, complete_months + 1)]
    kinds = cell_kinds()
    plan = Plan()
    for month in months:
        mk = month.key
        for kind in kinds:
            plan.cells.append((mk, kind))
            plan.add(("fine", mk, kind), [(mk, kind)], stage=1, published=False)
        for category in CATEGORIES:
            parts = [("fine", mk, k) for k in kinds if k[0] == category]
            plan.add(("cell", mk, category), [(mk, k) for k in kinds if k[0] == category], stage=1)
            plan.relate(("cell", mk, category), parts)
        plan.add(("row", mk), [(mk, k) for k in kinds], stage=1)
        plan.relate(("row", mk), [("cell", mk, c) for c in CATEGORIES])
        # Breaches: whole categories that are always breaches, and the breach cells of the
        # categories the rule splits (for requests, the basis "none", either disclosure).
        plan.add(("breaches", mk), [(mk, k) for k in kinds if _is_breach_kind(k)], stage=1)
        breach_parts: list[object] = []
        for category in CATEGORIES:
            own = [k for k in kinds if k[0] == category]
            breach = [k for k in own if _is_breach_kind(k)]
            if len(breach) == len(own):
                breach_parts.append(("cell", mk, category))
            elif len(breach) == 1:
                breach_parts.append(("fine", mk, breach[0]))
            elif breach:
                name = ("breach_part", mk, category)
                plan.add(name, [(mk, k) for k in breach], stage=1, published=False)
                plan.relate(name, [("fine", mk, k) for k in breach])
                breach_parts.append(name)
        plan.relate(("breaches", mk), breach_parts)
    if complete_months < 12:
        return plan
    keys = [m.key for m in months]
    for category in CATEGORIES:
        plan.add(
            ("category", category),
            [(mk, k) for mk in keys for k in kinds if k[0] == category],
            stage=2,
        )
        plan.relate(("category", category), [("cell", mk, category) for mk in keys])
    plan.add(("grand",), plan.cells, stage=2)
    plan.relate(("grand",), [("category", c) for c in CATEGORIES])
    plan.relate(("grand",), [("row", mk) for mk in keys])
    plan.add(
        ("breaches_year",), [(mk, k) for mk in keys for k in kinds if _is_breach_kind(k)], stage=2
    )
    plan.relate(("breaches_year",), [("breaches", mk) for mk in keys])
    quarters = [Quarter(year, q) for q in range(1, 5)]
    for quarter in quarters:
        qkeys = [m.key for m in months if Quarter.of(m.first_day()) == quarter]
        for basis, disclosed in REQUEST_KINDS:
            kind = (INFO, basis, disclosed)
            plan.add(
                ("request", quarter.key, basis, disclosed), [(mk, kind) for mk in qkeys], stage=2
            )
            plan.relate(
                ("request", quarter.key, basis, disclosed), [("fine", mk, kind) for mk in qkeys]
            )
        cells = [(mk, k) for mk in qkeys for k in kinds if k[0] == INFO]
        plan.add(("requests_quarter", quarter.key), cells, stage=2)
        plan.relate(
            ("requests_quarter", quarter.key),
            [("request", quarter.key, b, d) for b, d in REQUEST_KINDS],
        )
        plan.relate(("requests_quarter", quarter.key), [("cell", mk, INFO) for mk in qkeys])
    for basis, disclosed in REQUEST_KINDS:
        kind = (INFO, basis, disclosed)
        plan.add(("requests_kind", basis, disclosed), [(mk, kind) for mk in keys], stage=2)
        plan.relate(
            ("requests_kind", basis, disclosed),
            [("request", q.key, basis, disclosed) for q in quarters],
        )
    plan.relate(("category", INFO), [("requests_kind", b, d) for b, d in REQUEST_KINDS])
    plan.relate(("category", INFO), [("requests_quarter", q.key) for q in quarters])
    return plan  # fmt: skip


# (site id) → (month key, cell kind) → count
FinestCounts = dict[int, dict[tuple[int, CellKind], int]]


def finest_counts(sites: Sequence[Site], first: Month, last: Month) -> FinestCounts:
    """Interactions per site, local month and finest cell, for local months from `first`
    to `last`. One query, grouped by the database. Only the interactions whose reporter
    consented to anonymous totals (or to mediation) are counted: a `site_only` report
    stays out of every figure that leaves the site (SPEC §2)."""
    if not sites:
        return {}
    start, end = utc_window(first.first_day(), last.shift(1).first_day())
    rows = (
        Interaction.objects.filter(site_id__in=[s.id for s in sites])
        .filter(occurred_at__gte=start, occurred_at__lt=end, consent__in=RELEASED_CONSENTS)
        .annotate(month_key=local_period_key(((s.id, s.timezone) for s in sites), "month"))
        .filter(month_key__gte=first.key, month_key__lte=last.key)
        .values(
            "site_id", "month_key", "category", "site_notified", "distance_band",
            "legal_basis", "disclosed",
        )
        .annotate(n=Count("id"))
        .order_by()
    )  # fmt: skip
    counts: FinestCounts = {}
    for row in rows:
        category = row["category"]
        kind: CellKind
        if category == INFO:
            # As the transparency tables always did: a request written around validation
            # is counted under `other`, not disclosed, so every total still adds up.
            basis = row["legal_basis"] if row["legal_basis"] in LEGAL_BASES else LegalBasis.OTHER
            kind = (category, str(basis), bool(row["disclosed"]))
        else:
            breach = is_breach(
                category=category,
                notified=row["site_notified"],
                distance_band=row["distance_band"],
                legal_basis=row["legal_basis"],
            )
            kind = (category, breach)
        site_counts = counts.setdefault(row["site_id"], {})
        site_counts[(row["month_key"], kind)] = (
            site_counts.get((row["month_key"], kind), 0) + row["n"]
        )
    return counts  # fmt: skip


def complete_months_in(site: Site, year: int) -> int:
    """How many months of `year` have ended at the site (its own time zone): 0 to 12, by
    the one rule every researcher path uses (agreements.research_days)."""
    last = last_complete_month_end(site, timezone.now())
    if last.year > year:
        return 12
    if last.year < year:
        return 0
    return last.month


@dataclass(frozen=True)
class SiteYear:
    site: Site
    year: int
    release: Release

    @property
    def complete(self) -> bool:
        return len(self.release.plan.cells) == 12 * len(cell_kinds())

    @property
    def months(self) -> list[Month]:
        """The months of the year the release holds: those complete at the site."""
        done = len(self.release.plan.cells) // len(cell_kinds())
        return [Month(self.year, m) for m in range(1, done + 1)]


def releases(sites: Sequence[Site], years: Sequence[int], threshold: int) -> list[SiteYear]:
    """The release of each site for each of `years`, over the months complete at the
    site (sorted by site slug, then year). One query for them all."""
    years = sorted(set(years))
    if not sites or not years:
        return []
    counts = finest_counts(sites, Month(years[0], 1), Month(years[-1], 12))
    result = []
    for site in sorted(sites, key=lambda s: s.slug):
        for year in years:
            done = complete_months_in(site, year)
            if done == 0:
                continue
            plan = plan_for(year, done)
            own = counts.get(site.id, {})
            cells = {key: own.get(key, 0) for key in plan.cells}  # type: ignore[call-overload]
            result.append(SiteYear(site, year, suppress(plan, cells, threshold)))
    return result


def release(site: Site, year: int, threshold: int) -> SiteYear | None:
    found = releases([site], [year], threshold)
    return found[0] if found else None


# Any month serves as the pattern of a month's own figures (row, categories, breaches).
_PATTERN = Month(2000, 1)


def month_marks(counts: Mapping[CellKind, int], threshold: int) -> Release:
    """One month's stage-1 figures as every release marks them, from its finest counts.

    A month's marks depend on its own cells alone: its figures share no cell with another
    month's, and later stages never change them (`privacy.release`). So one plan serves
    every month and its decisions are kept per counts, and a figure read here (the breaches
    behind a researcher's score) is the one the research PDF prints for that month
    (`tests/privacy/test_release.py` holds the equality)."""
    plan = plan_for(_PATTERN.year, 1)
    return suppress(plan, {(_PATTERN.key, kind): n for kind, n in counts.items()}, threshold)


def breaches_printed(
    wanted: Mapping[Site, Iterable[Month]], threshold: int
) -> dict[tuple[int, int], str]:
    """The breaches figure of each wanted month as the research release prints it (a
    number, "<T" or "x"), keyed (site id, month key). Months must be complete at their
    site. One query for them all."""
    months = {site: sorted(set(ms), key=lambda m: m.key) for site, ms in wanted.items()}
    months = {site: ms for site, ms in months.items() if ms}
    if not months:
        return {}
    first = min(ms[0] for ms in months.values())
    last = max(ms[-1] for ms in months.values())
    counts = finest_counts(list(months), first, last)
    name = ("breaches", _PATTERN.key)
    printed = {}
    for site, site_months in months.items():
        own = counts.get(site.id, {})
        for month in site_months:
            cells = {kind: own.get((month.key, kind), 0) for kind in cell_kinds()}
            printed[site.id, month.key] = month_marks(cells, threshold).mark(name)
    return printed
