"""A disclosure audit by linear programming, as statistical offices audit tables.

Everything a researcher can read is a list of `Figure`s: a set of finest cells (the
unknowns) and what was printed for their sum: a number (an equation), "<T" (1..T−1), "x"
(≥ 0, any size). For every suppressed figure, `audit` computes by `scipy.optimize.linprog`
the least and greatest values of its sum consistent with all the figures, and reports
the ones narrower than the protection level (docs/privacy.md; `privacy.protection.
shortfall` states it): a count from 1 to T−1 keeps every value within ⌈(T−1)/2⌉ of the
truth (clipped by its mark), any other hidden count a value besides its own that is 0 or
≥ T and T−1 values in all; both inside what the earlier stages and the marks of a
figure's own stage already tell (three "<T" parts make their total at least 3).

`Constraint`s let other products (score intervals, later) add what they reveal: any
linear inequality `lower ≤ Σ coeff·cell ≤ upper` over the same cells.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from privacy.protection import shortfall

Key = Hashable


@dataclass(frozen=True)
class Figure:
    cells: frozenset[Key]
    printed: str
    where: str  # which product printed it, for the failure message
    # When it is published: 1 for a month's figures, 2 for a year's totals (printed once
    # the year has ended, after its months). A figure is protected within what the
    # figures of earlier stages and the marks of its own already tell.
    stage: int = 1


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

    def add(self, cells: Iterable[Key], printed: str, where: str, stage: int = 1) -> None:
        self.figures.append(Figure(frozenset(cells), printed, where, stage))

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

    def rows_of(
        figures: Iterable[Figure],
    ) -> tuple[list[dict[int, float]], list[float], list[dict[int, float]], list[float]]:
        eq_rows: list[dict[int, float]] = []
        eq_b: list[float] = []
        ub_rows: list[dict[int, float]] = []
        ub_b: list[float] = []
        for f in figures:
            vec = {index[k]: 1.0 for k in f.cells}
            if f.printed == primary:
                ub_rows += [vec, dict.fromkeys(vec, -1.0)]
                ub_b += [threshold - 1, -1]
            elif f.printed != secondary:  # "x" says ≥ 0, like every cell
                eq_rows.append(vec)
                eq_b.append(int(f.printed))
        return eq_rows, eq_b, ub_rows, ub_b

    eq_rows, eq_b, ub_rows, ub_b = rows_of(rows)
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

    everything = (matrix(ub_rows), ub_b, matrix(eq_rows), eq_b)
    fixed: dict[int, tuple[lil_matrix | None, list[float], lil_matrix | None, list[float]]] = {}
    for stage in {f.stage for f in rows}:
        known = [f for f in rows if f.stage < stage or (f.stage == stage and f.printed == primary)]
        e_rows, e_b, u_rows, u_b = rows_of(known)
        fixed[stage] = (matrix(u_rows), u_b, matrix(e_rows), e_b)
    findings = []
    for f in rows:
        if f.printed not in (primary, secondary):
            continue
        objective = np.zeros(len(keys))
        for k in f.cells:
            objective[index[k]] = 1.0
        low, high = _range(objective, *everything, f.where)
        value = sum(truth.get(k, 0) for k in f.cells)
        reader = (low, None if high == float("inf") else high)
        is_primary = f.printed == primary
        if shortfall(value, is_primary, reader, (0, None), threshold) <= 1e-6:
            continue
        floor, ceiling = _range(objective, *fixed[f.stage], f.where)
        clip = (round(floor), None if ceiling == float("inf") else round(ceiling))
        if shortfall(value, is_primary, reader, clip, threshold) > 1e-6:
            findings.append(Finding(f, value, low, high))
    return findings


def _range(
    objective: np.ndarray,
    a_ub: lil_matrix | None,
    b_ub: list[float],
    a_eq: lil_matrix | None,
    b_eq: list[float],
    where: str,
) -> tuple[float, float]:
    """Least and greatest of objective·x over x ≥ 0 with A_ub x ≤ b_ub, A_eq x = b_eq."""
    ends = []
    for sign in (1.0, -1.0):
        result = linprog(
            sign * objective, A_ub=a_ub, b_ub=b_ub or None, A_eq=a_eq, b_eq=b_eq or None,
            bounds=(0, None), method="highs",
        )  # fmt: skip
        if result.status == 3:  # unbounded: the reader has no limit at all
            ends.append(float("inf"))
            continue
        assert result.status == 0, f"{where}: the figures are inconsistent ({result.message})"
        ends.append(sign * result.fun)
    return ends[0], ends[1]
