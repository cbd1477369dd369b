"""Small-cell suppression (SPEC §8): a count from 1 to T−1 is written as "<T", and a
second count that would let a suppressed one be recomputed is suppressed too.

Pure functions over plain integers: no database, no settings. Callers pass the threshold
(`settings.HR_POLICE_SUPPRESSION_THRESHOLD` in the app) and get strings back, ready for a
CSV, a page or a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def suppress(count: int, threshold: int = 10) -> str:
    """The count as a researcher may read it: 0 stays 0, 1…T−1 becomes "<T"."""
    if 0 < count < threshold:
        return f"<{threshold}"
    return str(count)


@dataclass(frozen=True)
class SuppressedTable:
    """A table as published: every entry a string, either the exact count or "<T"."""

    cells: tuple[tuple[str, ...], ...]
    row_totals: tuple[str, ...]
    column_totals: tuple[str, ...] | None  # None when column totals are not published
    grand_total: str | None


@dataclass(frozen=True)
class _Line:
    """A published additive relation: the entries of `cells` sum to the entry `total`."""

    cells: tuple[int, ...]
    total: int


def suppress_table(
    cells: Sequence[Sequence[int]], threshold: int = 10, *, column_totals: bool = True
) -> SuppressedTable:
    """Suppress a table of counts so that no suppressed value can be recomputed.

    The table is `cells` (rows × columns of non-negative counts); its row totals are
    always published, and its column totals and grand total when `column_totals` is
    true. Totals are computed here from the cells, so they always add up.

    Method:

    1. Primary suppression: every entry (cell or total) with 1 ≤ count < T is written
       "<T". Zero stays "0": an empty cell is not a small cell.
    2. Complementary suppression, repeated until nothing changes: for every published
       line — each row with its row total; with column totals, each column with its
       column total, the row of column totals with the grand total, and the column of
       row totals with the grand total — if exactly one entry of the line is suppressed
       (the total counts as an entry of the line), also suppress the smallest
       unsuppressed non-zero cell of that line (the first one on a tie), or the line's
       total when no such cell remains. Choosing the smallest cell hides as little as
       possible. Each pass only adds suppressions, so the loop ends.

    Afterwards every published line holds either no suppressed entry or at least two,
    so no suppressed value equals a published total minus published cells.

    Limits (what this does not protect against):

    - Several lines solved together: a pattern of suppressions can, in rare shapes,
      be recovered by solving the lines as a system of equations, or narrowed to a
      range (e.g. two suppressed cells whose published sum is 11 are each 1…10). Only
      the one-line differencing the rule names is prevented.
    - Other publications: counts of the same events published elsewhere (another
      export, a different date range, a PDF table with other totals) can be subtracted
      from these. Publish fixed periods, and suppress every product.
    - Zeros are published: a row "0, <10, 0" says the suppressed events all fell in one
      cell. That is the Health Canada practice and tells nothing about a person.
    """
    rows = [list(row) for row in cells]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("Every row of the table must have the same number of cells.")
    if any(count < 0 for row in rows for count in row):
        raise ValueError("Counts cannot be negative.")

    # One flat list of values: cells row by row, then row totals, then column totals
    # and the grand total. Lines refer to positions in it.
    values = [count for row in rows for count in row]
    row_total_at = len(values)
    values += [sum(row) for row in rows]
    lines = [
        _Line(tuple(r * width + c for c in range(width)), row_total_at + r)
        for r in range(len(rows))
    ]
    if column_totals:
        column_total_at = len(values)
        values += [sum(row[c] for row in rows) for c in range(width)]
        grand_at = len(values)
        values.append(sum(values[row_total_at:column_total_at]))
        lines += [
            _Line(tuple(r * width + c for r in range(len(rows))), column_total_at + c)
            for c in range(width)
        ]
        lines.append(_Line(tuple(range(column_total_at, column_total_at + width)), grand_at))
        lines.append(_Line(tuple(range(row_total_at, row_total_at + len(rows))), grand_at))

    hidden = _suppressed(values, lines, threshold)
    shown = [f"<{threshold}" if i in hidden else str(v) for i, v in enumerate(values)]
    table_cells = tuple(tuple(shown[r * width : (r + 1) * width]) for r in range(len(rows)))
    row_totals = tuple(shown[row_total_at : row_total_at + len(rows)])
    if not column_totals:
        return SuppressedTable(table_cells, row_totals, None, None)
    return SuppressedTable(
        table_cells,
        row_totals,
        tuple(shown[column_total_at : column_total_at + width]),
        shown[grand_at],
    )


def suppress_rows(cells: Sequence[Sequence[int]], threshold: int = 10) -> list[list[str]]:
    """Each row suppressed on its own with its total appended: for tables whose rows
    are independent (one row per site and month) and that publish no column totals."""
    table = suppress_table(cells, threshold, column_totals=False)
    return [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]


def _suppressed(values: list[int], lines: list[_Line], threshold: int) -> set[int]:
    """Positions to suppress: primary, then complementary until every line is safe."""
    hidden = {i for i, v in enumerate(values) if 0 < v < threshold}
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = (*line.cells, line.total)
            if sum(1 for i in members if i in hidden) != 1:
                continue
            candidates = [i for i in line.cells if i not in hidden and values[i] > 0]
            if candidates:
                # min() keeps the first of equal values, so the choice is stable.
                hidden.add(min(candidates, key=lambda i: values[i]))
            elif line.total not in hidden:
                hidden.add(line.total)
            else:  # pragma: no cover - impossible: a suppressed total > 0 has a cell > 0
                raise AssertionError("A suppressed total with no non-zero cell.")
            changed = True
    return hidden
