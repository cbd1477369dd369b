"""Small-cell suppression with complementary suppression (SPEC §8). No database."""

from __future__ import annotations

import random

import pytest

from privacy.suppression import SuppressedTable, suppress, suppress_rows, suppress_table

T = 10
S = "<10"


def lines_of(table: SuppressedTable) -> list[list[str]]:
    """Every published line of the table, each with its total as its last entry."""
    lines = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    if table.column_totals is not None:
        assert table.grand_total is not None
        width = len(table.column_totals)
        lines += [[*(row[c] for row in table.cells), table.column_totals[c]] for c in range(width)]
        lines.append([*table.column_totals, table.grand_total])
        lines.append([*table.row_totals, table.grand_total])
    return lines


def hidden(line: list[str], threshold: int = T) -> int:
    return sum(1 for entry in line if entry == f"<{threshold}")


def test_it_writes_small_counts_as_below_the_threshold() -> None:
    assert [suppress(n) for n in (0, 1, 9, 10, 11)] == ["0", S, S, "10", "11"]
    assert suppress(4, threshold=5) == "<5"
    assert suppress(5, threshold=5) == "5"


def test_a_single_small_cell_in_a_row_forces_a_second() -> None:
    table = suppress_table([[3, 40, 25]], T, column_totals=False)
    # The smallest other non-zero cell goes, so the total (68) can stay.
    assert table.cells == ((S, "40", S),)
    assert table.row_totals == ("68",)


def test_the_second_cell_is_the_smallest_and_the_first_on_a_tie() -> None:
    assert suppress_rows([[12, 5, 30, 12]], T) == [[S, S, "30", "12", "59"]]
    assert suppress_rows([[30, 12, 5, 12]], T) == [["30", S, S, "12", "59"]]


def test_a_row_whose_only_non_zero_cell_is_small_suppresses_its_total() -> None:
    assert suppress_rows([[0, 0, 4, 0]], T) == [["0", "0", S, "0", S]]


def test_a_small_total_is_itself_suppressed() -> None:
    # 6 + 0 + 3 = 9: every count from 1 to T−1 is written "<T", totals included.
    assert suppress_rows([[6, 0, 3]], T) == [[S, "0", S, S]]


def test_a_row_left_with_one_suppressed_cell_and_zeros_hides_its_total() -> None:
    #   a   b  | total
    #   0  12  |  12    12 is hidden for column b's sake; the row has no other non-zero
    #  20   3  |  23    cell, so its total (12, which would give 12 away) is hidden.
    table = suppress_table([[0, 12], [20, 3]], T)
    assert table.cells == (("0", S), (S, S))
    assert table.row_totals[0] == S
    assert all(hidden(line) != 1 for line in lines_of(table))


def test_an_all_zero_or_large_row_is_left_alone() -> None:
    assert suppress_rows([[0, 12, 0]], T) == [["0", "12", "0", "12"]]
    assert suppress_rows([[0, 0, 0]], T) == [["0", "0", "0", "0"]]


def test_two_small_cells_protect_each_other() -> None:
    assert suppress_rows([[3, 4, 40]], T) == [[S, S, "40", "47"]]


def test_zeros_stay_zero_and_are_never_chosen_as_the_second_cell() -> None:
    assert suppress_rows([[0, 3, 0, 50]], T) == [["0", S, "0", S, "53"]]


def test_the_threshold_setting_is_honoured() -> None:
    assert suppress_rows([[3, 40]], 5) == [["<5", "<5", "43"]]
    assert suppress_rows([[6, 40]], 5) == [["6", "40", "46"]]
    assert suppress_rows([[6, 40]], 20) == [["<20", "<20", "46"]]


def test_rows_are_independent_without_column_totals() -> None:
    assert suppress_rows([[3, 40], [20, 30]], T) == [[S, S, "43"], ["20", "30", "50"]]


def test_column_interplay_spreads_the_suppression_across_rows() -> None:
    #        a   b   c  | total
    # row 0  3  20  30  |  53
    # row 1 15  25  40  |  80
    # total 18  45  70  | 133
    table = suppress_table([[3, 20, 30], [15, 25, 40]], T)
    # Row 0: 3 is small, 20 goes with it. Column a: 3 alone, so 15 goes; column b: 20
    # alone, so 25 goes. Row 1 now hides 15 and 25: safe. Every line holds two or none.
    assert table.cells == ((S, S, "30"), (S, S, "40"))
    assert table.row_totals == ("53", "80")
    assert table.column_totals == ("18", "45", "70")
    assert table.grand_total == "133"
    assert all(hidden(line) in (0, 2) for line in lines_of(table))


def test_a_column_with_one_small_cell_and_zeros_hides_its_total() -> None:
    #   a  b  | total
    #   0 50  |  50
    #   4 60  |  64
    table = suppress_table([[0, 50], [4, 60]], T)
    # Row 1 hides 4, then 60. Column a hides 4 and its total (4, small itself). Column b
    # hides 60, then 50; row 0 then holds 50 alone among zeros, so its total goes; and
    # so on along the margins until no line holds a single hidden entry.
    assert all(hidden(line) != 1 for line in lines_of(table))
    assert table.cells[1][0] == S
    assert table.column_totals is not None
    assert table.column_totals[0] == S


def test_the_margins_are_lines_too() -> None:
    # Row totals 5 (small) and 100: without protecting the margin, 105 − 100 = 5.
    table = suppress_table([[5, 0], [50, 50]], T)
    margin = [*table.row_totals, table.grand_total]
    assert hidden(margin) != 1


def test_an_empty_table() -> None:
    table = suppress_table([], T)
    assert table.cells == ()
    assert table.row_totals == ()
    assert table.grand_total == "0"


def test_ragged_or_negative_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]], T)
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[1, -2]], T)


def _random_table(rng: random.Random) -> list[list[int]]:
    rows, columns = rng.randint(1, 6), rng.randint(1, 8)
    # Mostly zeros, small and mid-sized counts, so every rule gets exercised.
    pick = (0, 0, 0, 1, 2, 3, 5, 8, 9, 10, 11, 15, 40, 120)
    return [[rng.choice(pick) for _ in range(columns)] for _ in range(rows)]


@pytest.mark.parametrize("column_totals", [True, False])
def test_no_published_line_ever_holds_exactly_one_suppressed_entry(column_totals: bool) -> None:
    rng = random.Random(20260630)
    for _ in range(1500):
        cells = _random_table(rng)
        threshold = rng.choice((3, 5, 10, 11))
        table = suppress_table(cells, threshold, column_totals=column_totals)
        for line in lines_of(table):
            assert hidden(line, threshold) != 1, (cells, threshold, table)
        # What is shown is exact; every small count is hidden; zeros stay "0".
        for row, shown_row in zip(cells, table.cells, strict=True):
            for count, shown in zip(row, shown_row, strict=True):
                if count == 0:
                    assert shown == "0"
                elif count < threshold:
                    assert shown == f"<{threshold}"
                else:
                    assert shown in (str(count), f"<{threshold}")
        for row, shown in zip(cells, table.row_totals, strict=True):
            assert shown in (str(sum(row)), f"<{threshold}")
            if 0 < sum(row) < threshold:
                assert shown == f"<{threshold}"
