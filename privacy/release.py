"""One research release (SPEC §2, §8): the finest counts, every sum of them that a
researcher product prints, and one suppression decided over all those sums jointly.

Pure: no database, no settings. `agreements.research_release` says which counts and sums
exist (months, categories, breaches, requests for information); this module only knows
sets of cells.

Marks: a count from 1 to T−1 is written "<T" (primary suppression); a count hidden only
so that a small one cannot be worked out (complementary, or secondary, suppression) is
written "x", as Statistics Canada does. "x" may hold any number, 25 as well as 0; it is
never written "<T", which would be false.

Stages. Sums are published at different times: a month's row as soon as the month is
complete, the year's totals once the year is. Suppression is decided stage by stage, and
a later stage never changes what an earlier one decided (it may only hide its own new
sums). So every download of the same month shows the same figures, whatever the day it
was made: nothing to subtract from one download to another.

Method: a quick heuristic (below), then the protection level checked and enforced by
linear programming over every figure of the stage (`privacy.protection`);
`tests/privacy/test_disclosure_audit.py` audits the products a researcher downloads:

1. Unpublished sums (the finest cells, and parts like "breaches among exception
   entries") are always hidden; a published sum from 1 to T−1 is hidden (primary).
2. Repeated until no relation is unsafe, for the relations `total = Σ parts` published by
   the current stage:
   - derivation: a hidden sum that the published figures determine exactly (through a
     chain of relations, each with one unknown left) and that needs protection (a hidden
     published sum, or an unpublished one from 1 to T−1) is unsafe;
   - width: in a relation whose total is known, the hidden parts add up to a known
     amount S; each of them can move by S − L at most (L: the lower bounds the marks
     give: 1 for "<T", 0 otherwise). Unless S − L ≥ T − 2, a "<T" could be narrowed below
     the T − 1 values it claims, so the relation is unsafe.
   An unsafe relation gets one more hidden sum of the current stage: its smallest
   non-zero published part (hiding as little as possible), else its total.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from privacy.protection import protect

SECONDARY_MARK = "x"
_DECIDED_PER_PLAN = 2048

Name = Hashable
Key = Hashable


def primary_mark(threshold: int) -> str:
    return f"<{threshold}"


@dataclass(frozen=True)
class Relation:
    """A published additive relation: the sums `parts` add up to the sum `total`."""

    total: Name
    parts: tuple[Name, ...]


@dataclass
class Plan:
    """What a release publishes: named sums of cells, when, and how they relate.

    Cells are the unknowns a reader faces (keys); a sum is a set of cells. Register the
    sums with `add`, then each relation with `relate` (checked: the parts' cells are
    disjoint and make up the total's)."""

    cells: list[Key] = field(default_factory=list)
    sums: dict[Name, frozenset[Key]] = field(default_factory=dict)
    stage: dict[Name, int] = field(default_factory=dict)
    published: dict[Name, bool] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    # Suppression is a pure function of the plan, the counts and T, and a year's takes
    # about a second and a half (privacy.protection): decided once per process for the
    # same counts. Bounded, for a long-running server.
    decided: dict[tuple[int, tuple[int, ...]], tuple[frozenset[Name], frozenset[Name]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def add(self, name: Name, keys: Iterable[Key], *, stage: int, published: bool = True) -> None:
        if name in self.sums:
            raise ValueError(f"{name!r} is already a sum of this release.")
        self.sums[name] = frozenset(keys)
        self.stage[name] = stage
        self.published[name] = published

    def relate(self, total: Name, parts: Sequence[Name]) -> None:
        union: set[Key] = set()
        for part in parts:
            if union & self.sums[part]:
                raise ValueError(f"The parts of {total!r} overlap.")
            union |= self.sums[part]
        if union != self.sums[total]:
            raise ValueError(f"The parts of {total!r} do not make up its cells.")
        self.relations.append(Relation(total, tuple(parts)))


@dataclass(frozen=True)
class Release:
    """A plan with its counts, suppressed. `mark(name)` is what a researcher reads."""

    threshold: int
    values: Mapping[Name, int]
    hidden: frozenset[Name]
    plan: Plan
    # Hidden without saying whether small: "x" even for 1..T−1 (privacy.protection's
    # last resort, when a "<T" on a total would itself narrow an earlier stage's figure).
    withheld: frozenset[Name] = frozenset()

    def is_primary(self, name: Name) -> bool:
        return (
            name in self.hidden
            and name not in self.withheld
            and 0 < self.values[name] < self.threshold
        )

    def mark(self, name: Name) -> str:
        if not self.plan.published[name]:
            raise KeyError(f"{name!r} is not published.")
        if name not in self.hidden:
            return str(self.values[name])
        return primary_mark(self.threshold) if self.is_primary(name) else SECONDARY_MARK

    def shown(self, name: Name) -> int | None:
        """The exact value when it is published unsuppressed, else None."""
        return None if name in self.hidden else self.values[name]


def suppress(plan: Plan, counts: Mapping[Key, int], threshold: int) -> Release:
    """The release of `plan` for these cell counts (missing cells count 0)."""
    if any(n < 0 for n in counts.values()):
        raise ValueError("Counts cannot be negative.")
    values = {name: sum(counts.get(k, 0) for k in keys) for name, keys in plan.sums.items()}
    key = (threshold, tuple(counts.get(k, 0) for k in plan.cells))
    if key not in plan.decided:
        hidden, withheld = _suppressed(plan, values, threshold)
        if len(plan.decided) >= _DECIDED_PER_PLAN:
            plan.decided.clear()
        plan.decided[key] = (frozenset(hidden), frozenset(withheld))
    hidden_names, withheld_names = plan.decided[key]
    return Release(threshold, values, hidden_names, plan, withheld_names)


def _suppressed(
    plan: Plan, values: Mapping[Name, int], threshold: int
) -> tuple[set[Name], set[Name]]:
    order = {name: i for i, name in enumerate(plan.sums)}  # stable choices on ties
    published = plan.published
    hidden: set[Name] = {name for name, shown in published.items() if not shown}
    withheld: set[Name] = set()

    def small(name: Name) -> bool:
        return 0 < values[name] < threshold

    def needs_protection(name: Name) -> bool:
        return (published[name] and name in hidden) or (not published[name] and small(name))

    def lower_bound(name: Name) -> int:
        return 1 if published[name] and small(name) else 0

    for stage in sorted(set(plan.stage.values())):
        hidden |= {n for n in plan.sums if published[n] and plan.stage[n] == stage and small(n)}
        active = [
            r for r in plan.relations if max(plan.stage[n] for n in (r.total, *r.parts)) <= stage
        ]
        given_up: set[int] = set()
        while True:
            unsafe = _first_unsafe(
                active, given_up, hidden, values, threshold, needs_protection, lower_bound
            )
            if unsafe is None:
                break
            relation = active[unsafe]
            candidates = [
                p
                for p in relation.parts
                if published[p] and p not in hidden and plan.stage[p] == stage and values[p] > 0
            ]
            total = relation.total
            if candidates:
                hidden.add(min(candidates, key=lambda n: (values[n], order[n])))
            elif published[total] and total not in hidden and plan.stage[total] == stage:
                hidden.add(total)
            else:
                # Nothing of this stage left to hide here; the bounds below decide.
                given_up.add(unsafe)
        protect(plan, values, hidden, withheld, stage, threshold)
    return hidden, withheld


def _first_unsafe(
    relations: Sequence[Relation],
    given_up: set[int],
    hidden: set[Name],
    values: Mapping[Name, int],
    threshold: int,
    needs_protection: Callable[[Name], bool],
    lower_bound: Callable[[Name], int],
) -> int | None:
    known, derived_by = _derivable(relations, hidden)
    for name, index in derived_by.items():
        if needs_protection(name) and index not in given_up:
            return index
    for index, relation in enumerate(relations):
        if index in given_up or relation.total not in known:
            continue
        unknown = [p for p in relation.parts if p not in known]
        if not any(needs_protection(p) for p in unknown):
            continue
        room = sum(values[p] for p in unknown) - sum(lower_bound(p) for p in unknown)
        if room < threshold - 2:
            return index
    return None


def _derivable(
    relations: Sequence[Relation], hidden: set[Name]
) -> tuple[set[Name], dict[Name, int]]:
    """What a reader knows exactly: the published sums, and every hidden one that a
    chain of relations with a single unknown left determines (with the relation that
    gave it away)."""
    members = [(r.total, *r.parts) for r in relations]
    known = {n for names in members for n in names if n not in hidden}
    derived_by: dict[Name, int] = {}
    changed = True
    while changed:
        changed = False
        for index, names in enumerate(members):
            unknown = [n for n in names if n not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                derived_by[unknown[0]] = index
                changed = True
    return known, derived_by
