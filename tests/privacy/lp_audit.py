"""A disclosure audit by linear programming, as statistical offices audit tables.

Everything a researcher can read is a list of `Figure`s: a set of finest cells (the
unknowns) and what was printed for their sum: a number (an equation), "<T" (1..T−1), "x"
(≥ 0, any size). For every suppressed figure, `audit` computes by `scipy.optimize.linprog`
the least and greatest values of its sum consistent with all the figures, and reports
the ones narrower than the protection level (docs/privacy.md, `privacy.release.
protected_range`): every value within p = ⌈(T−1)/2⌉ of the true one (5 for T = 10) must
stay possible, clipped only by the mark itself (1..T−1 for "<T", 0 and up for "x").

`Constraint`s let other products (score intervals, later) add what they reveal: any
linear inequality `lower ≤ Σ coeff·cell ≤ upper` over the same cells.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from privacy.release import protected_range

Key = Hashable


@dataclass(frozen=True)
class Figure:
    cells: frozenset[Key]
    printed: str
    where: str  # which product printed it, for the failure message


@dataclass(frozen=True)
class Constraint:
    coefficients: Mapping[Key, float]
    lower: float | None
    upper: float | None
    where: str = ""


@dataclass(frozen=True)
class Finding:
    figure: Figure
    true_value: int
    low: float
    high: float

    def __str__(self) -> str:
        return (
            f"{self.figure.where}: printed {self.figure.printed!r}, true {self.true_value}, "
            f"a reader can narrow it to {self.low:g}..{self.high:g}"
        )


@dataclass
class Audit:
    threshold: int
    figures: list[Figure] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)

    def add(self, cells: Iterable[Key], printed: str, where: str) -> None:
        self.figures.append(Figure(frozenset(cells), printed, where))

    def run(self, truth: Mapping[Key, int]) -> list[Finding]:
        return audit(self.figures, self.threshold, truth, self.constraints)


def audit(
    figures: Sequence[Figure],
    threshold: int,
    truth: Mapping[Key, int],
    constraints: Sequence[Constraint] = (),
) -> list[Finding]:
    primary, secondary = f"<{threshold}", "x"
    keys = sorted(
        {k for f in figures for k in f.cells} | {k for c in constraints for k in c.coefficients},
        key=repr,
    )
    index = {k: i for i, k in enumerate(keys)}
    # Deduplicate: the same sum printed by several products (or downloads) is one row.
    unique: dict[tuple[frozenset[Key], str], Figure] = {}
    for f in figures:
        unique.setdefault((f.cells, f.printed), f)
    rows = list(unique.values())
    eq_rows, eq_b, ub_rows, ub_b = [], [], [], []
    for f in rows:
        vec = {index[k]: 1.0 for k in f.cells}
        if f.printed == primary:
            ub_rows += [vec, dict.fromkeys(vec, -1.0)]
            ub_b += [threshold - 1, -1]
        elif f.printed == secondary:
            continue  # ≥ 0 like every cell
        else:
            eq_rows.append(vec)
            eq_b.append(int(f.printed))
    for c in constraints:
        vec = {index[k]: float(v) for k, v in c.coefficients.items()}
        if c.upper is not None:
            ub_rows.append(vec)
            ub_b.append(c.upper)
        if c.lower is not None:
            ub_rows.append({i: -v for i, v in vec.items()})
            ub_b.append(-c.lower)

    def matrix(vectors: list[dict[int, float]]) -> lil_matrix | None:
        if not vectors:
            return None
        m = lil_matrix((len(vectors), len(keys)))
        for r, vec in enumerate(vectors):
            for i, v in vec.items():
                m[r, i] = v
        return m

    a_eq, a_ub = matrix(eq_rows), matrix(ub_rows)
    findings = []
    for f in rows:
        if f.printed not in (primary, secondary):
            continue
        objective = np.zeros(len(keys))
        for k in f.cells:
            objective[index[k]] = 1.0
        bounds = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective, A_ub=a_ub, b_ub=ub_b or None, A_eq=a_eq, b_eq=eq_b or None,
                bounds=(0, None), method="highs",
            )  # fmt: skip
            if result.status == 3:  # unbounded: the reader has no limit at all
                bounds.append(float("inf") if sign < 0 else float("-inf"))
                continue
            assert result.status == 0, f"{f.where}: the figures are inconsistent ({result.message})"
            bounds.append(sign * result.fun)
        low, high = bounds[0], bounds[1]
        value = sum(truth.get(k, 0) for k in f.cells)
        need_low, need_high = protected_range(value, f.printed, threshold)
        ok = low <= need_low + 1e-6 and high >= need_high - 1e-6
        if not ok:
            findings.append(Finding(f, value, low, high))
    return findings
