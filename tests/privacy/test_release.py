"""The research release (privacy/release.py, agreements/research_release.py): marks,
stages, and the differencing attack of issue 14 §2 checked by the linear-programming
audit."""

from __future__ import annotations

import dataclasses
import random
from unittest import mock

import pytest

from agreements.research_release import CATEGORIES, month_marks, plan_for
from privacy.release import SECONDARY_MARK, Plan, Release, suppress
from privacy.suppression import suppress_rows
from tests.privacy.lp_audit import Audit

T = 10


def _row_plan(n: int) -> Plan:
    plan = Plan()
    for i in range(n):
        plan.cells.append(i)
        plan.add(("cell", i), [i], stage=1)
    plan.add("total", range(n), stage=1)
    plan.relate("total", [("cell", i) for i in range(n)])
    return plan


def test_a_complementary_cell_is_marked_x_never_as_a_small_count() -> None:
    release = suppress(_row_plan(3), {0: 3, 1: 25, 2: 15}, T)
    assert release.mark(("cell", 0)) == "<10"
    # 15 is hidden only so that 43 − 25 − 15 cannot give 3 back: "<10" would be false.
    assert release.mark(("cell", 2)) == SECONDARY_MARK == "x"
    assert (release.mark(("cell", 1)), release.mark("total")) == ("25", "43")


def test_two_small_cells_that_would_pin_each_other_take_a_third() -> None:
    # 1 and 1 hidden beside a published total 32 − 30 = 2 would each be exactly 1.
    release = suppress(_row_plan(3), {0: 1, 1: 1, 2: 30}, T)
    assert [release.mark(("cell", i)) for i in range(3)] == ["<10", "<10", "x"]


def test_a_relation_must_add_up() -> None:
    plan = _row_plan(2)
    plan.add("wrong", [0], stage=1)
    with pytest.raises(ValueError, match="do not make up"):
        plan.relate("wrong", [("cell", 0), ("cell", 1)])
    with pytest.raises(ValueError, match="overlap"):
        plan.relate("total", [("cell", 0), ("cell", 0), ("cell", 1)])


def _issue_counts(plan: Plan) -> dict[object, int]:
    """The consenting site of issue 14: two uninvited entries in November, one stop near
    the site in December, and a busy year otherwise."""
    counts = dict.fromkeys(plan.cells, 0)
    for mk, kind in plan.cells:
        if kind == ("called_by_staff", False) and mk < 24310:
            counts[(mk, kind)] = 14
    counts[(24310, ("uninvited_entry", True))] = 2  # 2025-11
    counts[(24310, ("referral_to_site", False))] = 12
    counts[(24311, ("stop_or_search", True))] = 1  # 2025-12
    counts[(24311, ("alert_shared", False))] = 20
    return counts


def _hidden_as_x(printed: str) -> str:
    return SECONDARY_MARK if printed.startswith("<") else printed


def test_months_keep_their_marks_when_the_year_totals_are_published() -> None:
    """Stage 1 is decided for good: a download in December and one in January show
    November alike, so nothing can be subtracted between them."""
    partial, whole = plan_for(2025, 11), plan_for(2025, 12)
    counts = _issue_counts(whole)
    before = suppress(partial, {k: counts[k] for k in partial.cells}, T)
    after = suppress(whole, counts, T)
    for name in partial.sums:
        if partial.published[name]:
            assert before.mark(name) == after.mark(name), name


@pytest.mark.parametrize("seed", range(3))
def test_a_month_alone_is_marked_as_in_its_year(seed: int) -> None:
    """What scores read (`month_marks`, one month's plan) is what the research PDF and CSV
    print for that month (the year's release), on random years: a month's marks depend
    on its own cells alone."""
    counts = _random_year(seed)
    whole = plan_for(2025, 12)
    year = suppress(whole, counts, T)
    for mk in sorted({mk for mk, _ in whole.cells}):
        alone = month_marks({kind: n for (m, kind), n in counts.items() if m == mk}, T)
        pattern = next(iter({m for m, _ in alone.plan.cells}))
        for figure in ("row", "breaches"):
            assert alone.mark((figure, pattern)) == year.mark((figure, mk)), (figure, mk)
        for category in CATEGORIES:
            assert alone.mark(("cell", pattern, category)) == year.mark(("cell", mk, category))


def test_the_csv_plus_pdf_total_attack_of_issue_14_now_fails() -> None:
    plan = plan_for(2025, 12)
    counts = _issue_counts(plan)
    stop = ("cell", 24311, "stop_or_search")

    # Before: rows suppressed on their own (the CSV) and the year's category totals
    # suppressed as one more line (the PDF). The audit finds the December stop exactly.
    months = sorted({mk for mk, _ in plan.cells})
    old = Audit(T)
    table = [
        [sum(counts[k] for k in plan.sums[("cell", mk, c)]) for c in CATEGORIES] for mk in months
    ]
    for mk, row in zip(months, suppress_rows(table, T), strict=True):
        old.add(plan.sums[("row", mk)], _hidden_as_x(row[-1]), f"CSV {mk} total")
        for c, printed in zip(CATEGORIES, row, strict=False):
            # The old files printed hidden cells "<10" even when they held 20: a reader
            # takes the mark for "hidden" (x), no more.
            old.add(plan.sums[("cell", mk, c)], _hidden_as_x(printed), f"CSV {mk} {c}")
    totals = [sum(col) for col in zip(*table, strict=True)]
    *printed_totals, _ = suppress_rows([totals], T)[0]
    for c, printed in zip(CATEGORIES, printed_totals, strict=True):
        old.add(plan.sums[("category", c)], _hidden_as_x(printed), f"PDF {c}")
    found = {f.figure.where: (f.low, f.high) for f in old.run(counts)}
    assert found["CSV 24311 stop_or_search"] == (1, 1)

    # Now: one release, every product a figure of it.
    release = suppress(plan, counts, T)
    new = Audit(T)
    for name, keys in plan.sums.items():
        if plan.published[name]:
            new.add(keys, release.mark(name), repr(name), plan.stage[name])
    assert release.mark(stop) == "<10"
    # Every hidden figure keeps its protected range (docs/privacy.md, "Protection level").
    assert [str(f) for f in new.run(counts)] == []


def _random_year(seed: int) -> dict[object, int]:
    """A year of a site with small counts common: most cells 0, the rest 1..20."""
    rng = random.Random(seed)
    return {
        key: rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 12, 20]) if rng.random() < 0.5 else 0
        for key in plan_for(2025, 12).cells
    }


def _audit(plan: Plan, release: Release, counts: dict[object, int]) -> list[str]:
    audit = Audit(T)
    for name, keys in plan.sums.items():
        if plan.published[name]:
            audit.add(keys, release.mark(name), repr(name), plan.stage[name])
    return [str(f) for f in audit.run(counts)]


@pytest.mark.parametrize("seed", range(4))
def test_no_hidden_figure_can_be_narrowed_on_random_years(seed: int) -> None:
    """The audit (scipy, outside the release) agrees with the release's own bounds
    (HiGHS through highspy) on whole years and on a year's first months."""
    counts = _random_year(seed)
    whole = plan_for(2025, 12)
    assert _audit(whole, suppress(whole, counts, T), counts) == []
    partial = plan_for(2025, 5)
    part = {k: counts[k] for k in partial.cells}
    assert _audit(partial, suppress(partial, part, T), part) == []


def test_the_heuristic_alone_would_leave_figures_narrowed() -> None:
    """Why the linear programming is there: on the same years, suppression by
    relations one at a time leaves some "<10" that a reader narrows (the audit finds
    them), which the protection step closes."""
    found = 0
    for seed in range(2):
        counts = _random_year(seed)
        plan = plan_for(2025, 12)
        values = {n: sum(counts[k] for k in keys) for n, keys in plan.sums.items()}
        with mock.patch("privacy.release.protect"):
            # A copy of the plan: its own memory of decisions, not the shared one.
            heuristic = suppress(dataclasses.replace(plan, decided={}), counts, T)
        assert heuristic.hidden <= suppress(plan, counts, T).hidden | {
            n for n in plan.sums if not plan.published[n]
        }
        found += len(_audit(plan, heuristic, counts))
        assert values  # the plan has figures at all
    assert found > 0


def test_a_withheld_figure_is_marked_x_even_when_small() -> None:
    plan = _row_plan(2)
    release = Release(T, {"total": 4, ("cell", 0): 3, ("cell", 1): 1}, frozenset(
        {"total", ("cell", 0), ("cell", 1)}), plan, withheld=frozenset({"total"}))  # fmt: skip
    assert release.mark("total") == SECONDARY_MARK
    assert release.mark(("cell", 0)) == "<10"
    assert not release.is_primary("total")
