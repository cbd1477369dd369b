"""The protection level of a release, checked and enforced by linear programming.

After the heuristic of `privacy.release`, every hidden figure of a stage is bounded by
everything published up to that stage (`privacy.bounds`): the least and greatest values
its sum can take. A figure narrowed beyond the protection level (`shortfall`, inside
what earlier stages and the marks already tell) gets a complement: one
more sum of the stage hidden, found by walking the published relations outward from it
(a part beside it first, the smallest that covers the gap, else the largest; then a
total it is part of; then the same one relation further on). Hiding only relaxes what a
reader holds, so a figure once checked stays protected and is checked again only after a
sum was hidden for its sake.

Last resort, when nothing of the stage is left in reach: every sum of the stage in the
group is withheld (marked "x" even when small, so it says nothing), which leaves the
reader exactly what the earlier stages gave, and those were protected.

Pure: plain data in and out, no settings.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING

from privacy.bounds import Table

if TYPE_CHECKING:
    from privacy.release import Plan, Relation

Name = Hashable
Key = Hashable
_EPSILON = 1e-6


def protection_level(threshold: int) -> int:
    """How far either side of its true value a hidden count must stay uncertain to a
    reader who combines every published figure (docs/privacy.md, "Protection level"):
    ⌈(T − 1) / 2⌉, 5 for T = 10."""
    return threshold // 2


Range = tuple[float, float | None]  # least and greatest; None: no upper limit


def shortfall(value: int, primary: bool, reader: Range, fixed: Range, threshold: int) -> float:
    """How much a reader who can narrow a hidden count of `value` to `reader` knows beyond
    the protection level (0: protected), given what cannot be taken from them (`fixed`:
    its mark, the earlier stages, the marks beside it). `primary`: printed "<T".

    - A count from 1 to T−1 must keep every value within p = ⌈(T−1)/2⌉ of the truth
      (`protection_level`), clipped to 1..T−1 when printed "<T" and to `fixed`.
    - Any other hidden count (0, or T and more: printed "x" to protect a small one)
      must keep a value other than its own that is 0 or T and more, and T−1 values in
      all (as statistical offices ask of complementary cells), where `fixed` allows.
    """
    inf = float("inf")
    low, high = reader[0], inf if reader[1] is None else reader[1]
    floor, ceiling = fixed[0], inf if fixed[1] is None else fixed[1]
    if 0 < value < threshold:
        p = protection_level(threshold)
        need_low = max(value - p, 1 if primary else 0, floor)
        need_high = min(value + p, threshold - 1 if primary else inf, ceiling)
        return max(0.0, low - need_low, need_high - high)
    short = max(0.0, min(threshold - 2, ceiling - floor) - (high - low))
    larger = max(threshold, value + 1)  # the least value above it that is not small
    reachable = (value != 0 and low <= 0) or high >= larger
    possible = (value != 0 and floor <= 0) or ceiling >= larger
    if possible and not reachable:
        short = max(short, larger - high)
    return short


def protect(
    plan: Plan,
    values: Mapping[Name, int],
    hidden: set[Name],
    withheld: set[Name],
    stage: int,
    threshold: int,
) -> None:
    """Hide (or withhold) more sums of `stage` until every hidden figure published up to
    it keeps its protected range. Changes `hidden` and `withheld` in place."""
    published = [n for n in plan.sums if plan.published[n] and plan.stage[n] <= stage]
    if not any(n in hidden for n in published):
        return
    for group in _groups(plan, published):
        _Group(plan, values, hidden, withheld, stage, threshold, group).protect()


def _groups(plan: Plan, names: Sequence[Name]) -> list[list[Name]]:
    """`names` split into groups that share no cell (union–find over cells): a month's
    figures before the year's totals join the months together."""
    parent: dict[Key, Key] = {}

    def root(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for name in names:
        cells = list(plan.sums[name])
        for cell in cells[1:]:
            parent[root(cell)] = root(cells[0])
    groups: dict[Key, list[Name]] = {}
    for name in names:
        if plan.sums[name]:
            groups.setdefault(root(next(iter(plan.sums[name]))), []).append(name)
    return list(groups.values())


def _rounded(bounds: Range) -> Range:
    """Bounds from a solver, to whole counts (a reader knows counts are whole)."""
    low, high = bounds
    return round(low), None if high is None else round(high)


class _Group:
    """One group of figures that share cells, with its linear programs: what a reader
    holds (`table`), and for a figure of stage s what protection cannot take from a
    reader of it (`_fixed(s)`): the figures of stages before s as they were published,
    and the marks of stage s (three "<T" parts make a "<T" total at least 3, whatever
    else is printed; a year's total is at least its months printed in full). The marks
    of later stages are not in it: a "<T" on a year's total that narrows a month is a
    leak to close, by hiding or withholding more of the year's figures."""

    def __init__(
        self,
        plan: Plan,
        values: Mapping[Name, int],
        hidden: set[Name],
        withheld: set[Name],
        stage: int,
        threshold: int,
        names: list[Name],
    ) -> None:
        self.plan, self.values, self.hidden, self.withheld = plan, values, hidden, withheld
        self.stage, self.threshold, self.names = stage, threshold, names
        self.order = {name: i for i, name in enumerate(plan.sums)}
        cells = sorted({k for n in names for k in plan.sums[n]}, key=repr)
        self.index = {k: i for i, k in enumerate(cells)}
        self.table = Table(len(cells))
        self.rows = {n: self.table.add(self._cells(n), *self._held(n)) for n in names}
        self.fixed_tables: dict[int, Table] = {}
        self.mark_rows: dict[Name, int] = {}  # in the table of the current stage
        # The relations to walk for a complement: those among the group's figures and
        # the unpublished sums between them (a category's breach and other cells).
        within = {n for n in plan.sums if plan.sums[n] <= set(self.index)}
        self.relations: list[Relation] = [
            r for r in plan.relations if r.total in within and set(r.parts) <= within
        ]

    def _cells(self, name: Name) -> list[int]:
        return [self.index[k] for k in self.plan.sums[name]]

    def _small(self, name: Name) -> bool:
        return name not in self.withheld and 0 < self.values[name] < self.threshold

    def _held(self, name: Name) -> tuple[float, float | None]:
        """What the reader holds of a figure: its value, 1..T−1, or nothing (≥ 0)."""
        if name not in self.hidden:
            return self.values[name], self.values[name]
        return (1, self.threshold - 1) if self._small(name) else (0, None)

    def _fixed(self, stage: int) -> Table:
        if stage not in self.fixed_tables:
            table = Table(len(self.index))
            for n in self.names:
                if self.plan.stage[n] < stage:
                    table.add(self._cells(n), *self._held(n))
                elif self.plan.stage[n] == stage and n in self.hidden and self._small(n):
                    row = table.add(self._cells(n), 1, self.threshold - 1)
                    if stage == self.stage:
                        self.mark_rows[n] = row
            self.fixed_tables[stage] = table
        return self.fixed_tables[stage]

    def _hide(self, name: Name, *, withhold: bool = False) -> None:
        """Only figures of the current stage are hidden, so only its fixed table moves."""
        self.hidden.add(name)
        if withhold:
            self.withheld.add(name)
        self.table.relax(self.rows[name], *self._held(name))
        current = self.fixed_tables.get(self.stage)
        if current is None:
            return
        if name in self.mark_rows and not self._small(name):
            current.relax(self.mark_rows.pop(name), 0, None)
        elif name not in self.mark_rows and self._small(name):
            self.mark_rows[name] = current.add(self._cells(name), 1, self.threshold - 1)

    def _gap(self, name: Name) -> float:
        """How much the reader narrows `name` beyond the protection level (0: none)."""
        own = self._cells(name)
        reader = self.table.range_of(own)
        value, primary = self.values[name], self._small(name)
        unclipped: Range = (0, None)
        if shortfall(value, primary, reader, unclipped, self.threshold) <= _EPSILON:
            return 0.0
        fixed = _rounded(self._fixed(self.plan.stage[name]).range_of(own))
        gap = shortfall(value, primary, reader, fixed, self.threshold)
        return gap if gap > _EPSILON else 0.0

    def protect(self) -> None:
        queue = sorted((n for n in self.names if n in self.hidden), key=self.order.__getitem__)
        while queue:
            name = queue.pop(0)
            gap = self._gap(name)
            if not gap:
                continue
            extra = self._complement(name, gap)
            if extra is not None:
                self._hide(extra)
                queue[:0] = [name, extra]
                continue
            last = self._last_resort(name)
            if last is None:
                raise AssertionError(f"{name!r} cannot be protected at stage {self.stage}.")
            self._hide(last, withhold=last in self.hidden)
            queue[:0] = [name]

    def _last_resort(self, name: Name) -> Name | None:
        """When no relation leads to a sum to hide: withhold a "<T" of this stage over the
        same cells (its bound is what narrows), else hide one more of its sums, else the
        same anywhere in the group. Withholding the whole stage gives the reader only the
        earlier stages, which were protected, so this ends."""
        cells = self.plan.sums[name]
        for near in (True, False):
            pool = [n for n in self.names if not near or self.plan.sums[n] & cells]
            withholdable = [n for n in pool if self._withholdable(n) and self._small(n)]
            if withholdable:
                return min(withholdable, key=self.order.__getitem__)
            free = [n for n in pool if self._free(n) and self.values[n] > 0] or [
                n for n in pool if self._free(n)
            ]
            if free:
                return max(free, key=lambda n: (self.values[n], -self.order[n]))
        return None

    def _free(self, name: Name) -> bool:
        return (
            self.plan.published[name]
            and name not in self.hidden
            and self.plan.stage[name] == self.stage
        )

    def _withholdable(self, name: Name) -> bool:
        return (
            name in self.hidden
            and name not in self.withheld
            and self.plan.stage[name] == self.stage
            and self.plan.published[name]
        )

    def _complement(self, name: Name, gap: float) -> Name | None:
        """The next sum of this stage to hide for `name`'s sake, nearest first."""
        seen, level = {name}, [name]
        while level:
            relations = [
                r for r in self.relations if r.total in level or any(p in level for p in r.parts)
            ]
            parts = {p for r in relations for p in r.parts if self._free(p)}
            # A zero hidden beside figures printed in full adds nothing: last choice.
            parts = {p for p in parts if self.values[p] > 0} or parts
            if parts:
                covering = [n for n in parts if self.values[n] >= gap]
                if covering:
                    return min(covering, key=lambda n: (self.values[n], self.order[n]))
                return max(parts, key=lambda n: (self.values[n], -self.order[n]))
            totals = [r.total for r in relations if self._free(r.total)]
            if totals:
                return min(totals, key=self.order.__getitem__)
            level = [
                n
                for r in relations
                for n in (r.total, *r.parts)
                if n in self.hidden and n not in seen
            ]
            seen.update(level)
        return None
