"""The benchmark's arithmetic and its report: percentiles, verdicts, wrk parsing, markdown."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from demo.bench.load import parse_wrk
from demo.bench.report import (
    TARGETS,
    query_counts_equal,
    render_markdown,
    verdict,
)
from demo.bench.stats import percentile, summarise_ms


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]  # 1..20
    assert percentile(values, 0.5) == 10
    assert percentile(values, 0.95) == 19
    assert percentile(values, 1) == 20
    assert percentile([3.0], 0.95) == 3


def test_a_percentile_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="No values"):
        percentile([], 0.5)


def test_summaries_are_in_milliseconds() -> None:
    figures = summarise_ms([0.010, 0.020, 0.030, 0.040])
    assert figures == {"p50_ms": 20.0, "p95_ms": 40.0, "max_ms": 40.0, "runs": 4}


def target(key: str) -> Any:
    return next(t for t in TARGETS if t.key == key)


def test_a_time_target_is_met_at_its_limit_and_missed_above_it() -> None:
    scorecard = target("scorecard")
    assert verdict(scorecard, 50) == ("met", "")
    state, gap = verdict(scorecard, 75)
    assert state == "missed"
    assert gap == "by 25 ms (50% of the target)"
    assert verdict(scorecard, None) == ("not measured", "")


def test_a_throughput_target_is_missed_below_its_limit() -> None:
    throughput = target("throughput")
    assert verdict(throughput, 25)[0] == "met"
    assert verdict(throughput, 5) == ("missed", "by 15 % (75% of the target)")


WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8123/healthz
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.53ms    0.80ms  20.11ms   92.10%
    Req/Sec     1.35k   120.00     1.60k    70.00%
  26871 requests in 10.01s, 5.51MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   2684.71
Transfer/sec:    563.64KB
"""


def test_wrk_output_gives_the_rate_and_the_failures() -> None:
    parsed = parse_wrk(WRK_OUTPUT)
    assert parsed["requests_per_second"] == 2684.71
    assert parsed["non_2xx"] == 3
    assert parsed["mean_latency"] == "1.53ms"


def test_wrk_output_without_a_rate_is_an_error() -> None:
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def run(database: str, size: int, **changes: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "measured_at": "2026-11-22T16:00:00+00:00",
        "database": database,
        "python": "3.11.7",
        "machine": "x86_64",
        "large_sites": size,
        "sites": size + 3,
        "interactions_total": size * 10_000,
        "site": "bench-001",
        "interactions": 10_000,
        "seed_seconds": 30.0,
        "pages": {
            "scorecard": {"title": "scorecard", "p50_ms": 40, "p95_ms": 60, "queries": 20},
            "dashboard": {"title": "dashboard", "p50_ms": 120, "p95_ms": 150, "queries": 22},
        },
        "pdf": {"manager": {"median_seconds": 1.5, "max_seconds": 1.6, "peak_mib": 30}},
        "import": {"seconds": 4.0, "interactions": 10_000, "checkins": 300, "bytes": 10},
        "throughput": {
            "healthz": {"requests_per_second": 1000.0, "non_2xx": 0},
            "dashboard": {"requests_per_second": 10.0, "non_2xx": 0},
            "ratio": 0.01,
        },
    }
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = figures
        for key in parents:
            node = node[key]
        node[last] = value
    return figures


def test_query_counts_are_compared_per_database_and_page() -> None:
    runs = [run("postgresql", 5), run("postgresql", 50, pages__dashboard__queries=23)]
    rows = {(db, page): (counts, equal) for db, page, counts, equal in query_counts_equal(runs)}
    assert rows[("postgresql", "scorecard")] == ([20, 20], True)
    assert rows[("postgresql", "dashboard")] == ([22, 23], False)


def test_the_report_states_each_target_met_or_missed_with_the_gap_and_why() -> None:
    runs = [run("postgresql", 5), run("postgresql", 50, pages__scorecard__p50_ms=80)]

    text = render_markdown(runs)

    scorecard = next(line for line in text.splitlines() if line.startswith("| scorecard page"))
    assert "**missed** by 30 ms (60% of the target)" in scorecard
    assert "gathering 24 months" in scorecard  # the reason, from profiling
    dashboard = next(line for line in text.splitlines() if line.startswith("| dashboard page"))
    assert "**met**" in dashboard
    throughput = next(line for line in text.splitlines() if "share of /healthz" in line)
    assert "**missed**" in throughput
    assert "| query counts equal at N=5 and N=50 | equal | see above | **met** |" in text


def test_a_database_that_was_not_there_is_reported_not_hidden() -> None:
    sqlite = [run("sqlite", 5), run("sqlite", 50)]
    skipped = {"database": "postgresql", "skipped": "PostgreSQL is not reachable at …"}

    text = render_markdown([skipped, *copy.deepcopy(sqlite)])

    assert "**Not measured: postgresql** — PostgreSQL is not reachable" in text
    # The targets are set on PostgreSQL: without it they are not measured, not met.
    assert text.count("**not measured**") == len(TARGETS)


def test_a_run_on_a_busy_machine_says_so_beside_the_targets() -> None:
    busy = run("postgresql", 50, load_before=7.5, load_after=6.0, cpus=2)
    quiet = run("postgresql", 50, load_before=0.4, load_after=0.6, cpus=2)

    assert "load average of 7.5 on 2 CPUs" in render_markdown([busy])
    assert "7.5 → 6.0" in render_markdown([busy])
    assert "Hold the targets" not in render_markdown([quiet])
