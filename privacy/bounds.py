"""How far a reader holding every published figure can narrow a hidden sum: the least and
greatest values of the sum over all non-negative counts consistent with the figures, by
linear programming (the bounds statistical offices audit tables with).

Pure: plain indices and numbers in, numbers out. One HiGHS model per table (`highspy`,
the solver scipy itself ships), kept between questions: a new objective or a relaxed
figure re-solves from the last basis, which is what makes an audit-driven suppression
affordable (docs/privacy.md, "Protection level").
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import highspy
import numpy as np

INFINITY = highspy.kHighsInf
_UNBOUNDED = (
    highspy.HighsModelStatus.kUnbounded,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
)


def _silence_banner() -> None:
    """HiGHS prints its banner on standard output once per process, at the first model,
    whatever its options say (ERGO-Code/HiGHS#2749); a command writing a CSV or a bundle
    to standard output must not carry it. So the first model is made once, here, at
    import, with the process's standard output pointed at /dev/null meanwhile."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs().setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_silence_banner()


class Table:
    """Non-negative unknowns `0..size−1` and published figures, each a row
    `low ≤ Σ cells ≤ high` (`high=None`: no upper limit)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._highs = highspy.Highs()
        self._highs.setOptionValue("output_flag", False)
        self._highs.setOptionValue("log_to_console", False)
        for _ in range(size):
            self._highs.addVar(0.0, INFINITY)
        self._rows = 0
        self._all = np.arange(size, dtype=np.int32)

    def add(self, cells: Sequence[int], low: float, high: float | None) -> int:
        """Add a figure; returns its row number (for `relax`)."""
        index = np.array(sorted(cells), dtype=np.int32)
        self._highs.addRow(
            float(low), INFINITY if high is None else float(high), len(index), index,
            np.ones(len(index)),
        )  # fmt: skip
        self._rows += 1
        return self._rows - 1

    def relax(self, row: int, low: float, high: float | None) -> None:
        """What a figure says, once more of it is hidden (never tighter than before)."""
        self._highs.changeRowBounds(row, float(low), INFINITY if high is None else float(high))

    def range_of(self, cells: Sequence[int]) -> tuple[float, float | None]:
        """(least, greatest) value of Σ cells; greatest None when it has no limit."""
        cost = np.zeros(self.size)
        cost[list(cells)] = 1.0
        self._highs.changeColsCost(self.size, self._all, cost)
        ends: list[float | None] = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            self._highs.changeObjectiveSense(sense)
            self._highs.run()
            status = self._highs.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                ends.append(self._highs.getInfo().objective_function_value)
            elif status in _UNBOUNDED and sense == highspy.ObjSense.kMaximize:
                ends.append(None)  # the counts are feasible (they are the truth): unbounded
            else:  # the figures contradict each other: a bug upstream, never a release
                raise ValueError(f"The published figures are inconsistent ({status}).")
        low, high = ends
        assert low is not None
        return low, high
