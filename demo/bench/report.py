"""docs/benchmarks.md and docs/benchmarks.json from the figures of one or more runs.

Plain functions over dictionaries (what `manage.py benchmark --out` writes), so the
suite can combine runs made on different databases without Django settings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Run = dict[str, Any]

TARGET_SIZE = 50
TARGET_DATABASE = "postgresql"


@dataclass(frozen=True)
class Target:
    key: str
    text: str
    limit: float
    unit: str
    value: Callable[[Run], float | None]
    higher_is_better: bool = False
    # Why a miss happens, from profiling (docs/performance.md); printed only when missed.
    why: str = ""


def _page(key: str) -> Callable[[Run], float | None]:
    return lambda run: run.get("pages", {}).get(key, {}).get("p50_ms")


def _ratio(run: Run) -> float | None:
    value = run.get("throughput", {}).get("ratio")
    return None if value is None else value * 100


TARGETS = (
    Target("scorecard", "scorecard page, server time p50", 50, "ms", _page("scorecard"),
           why="no single cause: gathering 24 months of inputs (10 queries, under 2 ms of "
               "database time with the breach index), 24 scorecards in Python and the "
               "template share it; at a lower machine load the page takes half the target "
               "(breakdown in docs/performance.md)."),
    Target("dashboard", "dashboard page, server time p50", 150, "ms", _page("dashboard"),
           why="gather_inputs for 52 sites (about 3,000 check-ins and the breaches of 90 "
               "days turned into scoring inputs) and rendering 52 rows; scoring itself is "
               "about 12 ms. At a lower machine load it meets the target (breakdown in "
               "docs/performance.md)."),
    Target("throughput", "dashboard throughput, share of /healthz under gunicorn", 20, "%",
           _ratio, higher_is_better=True,
           why="/healthz does no work at all (no session, no query, no template: "
               "thousands a second). With the scorecards cached (docs/performance.md, "
               "score cache) a warm dashboard still reads the session and the user, finds "
               "the sites the researcher may see (12 queries in all) and renders a 52-row "
               "table, so two workers serve about 2 / p50 dashboards a second. 20 % would "
               "need the whole page in about 2 ms: a cached rendered page, which would "
               "have to be keyed by every site's revision and the reader's access; not "
               "done (docs/decisions.md)."),
    Target("manager_pdf", "manager PDF edition, median", 2, "s",
           lambda run: run.get("pdf", {}).get("manager", {}).get("median_seconds"),
           why="WeasyPrint layout of the charts and tables dominates (C and Python)."),
    Target("import", "import of a 10,000-interaction bundle", 5, "s",
           lambda run: run.get("import", {}).get("seconds"),
           why="every record is validated with full_clean() (the PII guard on each "
               "narrative), and DailyAttendance.clean asks the database once per day of "
               "attendance whether that day is taken (1,826 queries); see "
               "docs/performance.md."),
)  # fmt: skip


def target_run(runs: Sequence[Run]) -> Run | None:
    for run in runs:
        if run.get("database") == TARGET_DATABASE and run.get("large_sites") == TARGET_SIZE:
            return run
    return None


def verdict(target: Target, value: float | None) -> tuple[str, str]:
    """("met" / "missed" / "not measured", how far from the limit)."""
    if value is None:
        return "not measured", ""
    met = value >= target.limit if target.higher_is_better else value <= target.limit
    if met:
        return "met", ""
    gap = abs(value - target.limit)
    return "missed", f"by {gap:.3g} {target.unit} ({gap / target.limit:.0%} of the target)"


def query_counts_equal(runs: Sequence[Run]) -> list[tuple[str, str, list[int], bool]]:
    """For each database and page: the query counts at each size, and whether equal."""
    rows = []
    for database in sorted({r["database"] for r in runs if "pages" in r}):
        measured = sorted(
            (r for r in runs if r.get("database") == database and "pages" in r),
            key=lambda r: r["large_sites"],
        )
        pages = measured[0]["pages"] if measured else {}
        for key in pages:
            counts = [r["pages"][key]["queries"] for r in measured if key in r["pages"]]
            rows.append((database, key, counts, len(set(counts)) == 1))
    return rows


def _label(run: Run) -> str:
    return f"{run['database']} N={run.get('large_sites', '?')}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def render_markdown(
    runs: Sequence[Run], notes: Sequence[str] = (), pii: dict[str, Any] | None = None
) -> str:
    measured = [r for r in runs if "pages" in r]
    skipped = [r for r in runs if "skipped" in r]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`demo/bench/`, `manage.py benchmark`); do not edit "
        "by hand. Each run has a fresh database with the demo data and N large sites "
        "(`seed_demo --large N`: five years, about 10,000 interactions and 300 check-ins "
        "per site). Server times are measured in-process with Django's test Client "
        "(warm-up, then repeated requests; p50 and p95), queries with "
        "CaptureQueriesContext, with debug off as in production.",
        "",
    ]
    if measured:
        first = measured[0]
        lines += [f"Measured {first['measured_at']}, Python {first['python']} "
                  f"({first['machine']}).", ""]  # fmt: skip
    lines += [*notes, ""] if notes else []
    for run in skipped:
        lines += [f"**Not measured: {run['database']}** — {run['skipped']}", ""]
    if pii:
        lines += _pii_lines(pii)
    if not measured:
        return "\n".join(lines)
    labels = [_label(r) for r in measured]
    lines += ["## Runs", ""]
    lines += _table(
        ["run", "sites", "interactions (all sites)", "measured site", "its interactions",
         "seed_demo --large N (s)", "load average, start → end"],
        [[_label(r), str(r["sites"]), str(r["interactions_total"]), f"`{r['site']}`",
          str(r["interactions"]),
          f"{r['seed_seconds']:.1f}" if r.get("seed_seconds") is not None else "—",
          _load(r)]
         for r in measured],
    )  # fmt: skip
    lines += ["", "The load average is the machine's 1-minute figure over "
              f"{measured[0].get('cpus', '?')} CPUs: on a busy machine every time here is "
              "slower than the code itself."]  # fmt: skip
    lines += ["", "## Pages: server time p50 / p95 in ms (queries)", ""]
    keys = list(measured[0]["pages"])
    lines += _table(
        ["page", *labels],
        [[measured[0]["pages"][k]["title"],
          *(_page_cell(r["pages"].get(k)) for r in measured)] for k in keys],
    )  # fmt: skip
    lines += ["", "Query counts at both sizes:", ""]
    for database, key, counts, equal in query_counts_equal(measured):
        state = "equal" if equal else "**differ**"
        lines.append(f"- {database}, {key}: {' / '.join(map(str, counts))} — {state}")
    if any("pdf" in r for r in measured):
        lines += ["", "## PDF editions: median s (slowest) / peak Python MiB", ""]
        editions = next(r["pdf"] for r in measured if "pdf" in r)
        lines += _table(
            ["edition", *labels],
            [[e, *(_pdf_cell(r.get("pdf", {}).get(e)) for r in measured)] for e in editions],
        )
        lines += ["", "Peak memory is what Python allocates (tracemalloc); WeasyPrint's "
                  "Pango and Cairo allocations in C are not counted."]  # fmt: skip
    if any("import" in r for r in measured):
        lines += ["", "## Bundle import (`import_bundle` on a file)", ""]
        lines += _table(
            ["run", "seconds", "interactions", "check-ins", "file size (bytes)"],
            [[_label(r), f"{r['import']['seconds']:.2f}", str(r["import"]["interactions"]),
              str(r["import"]["checkins"]), str(r["import"]["bytes"])]
             for r in measured if "import" in r],
        )  # fmt: skip
    if any("throughput" in r for r in measured):
        lines += ["", "## Throughput under gunicorn (2 workers; wrk, 4 connections, loopback)", ""]
        lines += _table(
            ["run", "/healthz req/s", "/dashboard/ req/s", "dashboard / healthz",
             "non-2xx"],
            [_throughput_row(r) for r in measured if "throughput" in r],
        )  # fmt: skip
    lines += ["", f"## Targets ({TARGET_DATABASE}, N={TARGET_SIZE})", ""]
    chosen = target_run(measured)
    rows = []
    for target in TARGETS:
        value = target.value(chosen) if chosen else None
        state, gap = verdict(target, value)
        sign = "≥" if target.higher_is_better else "≤"
        figure = "—" if value is None else f"{value:.3g} {target.unit}"
        why = target.why if state == "missed" else ""
        rows.append([target.text, f"{sign} {target.limit:g} {target.unit}", figure,
                     f"**{state}** {gap}".strip(), why])  # fmt: skip
    equal_rows = query_counts_equal(measured)
    all_equal = bool(equal_rows) and all(equal for *_, equal in equal_rows)
    rows.append(["query counts equal at N=5 and N=50", "equal", "see above",
                 "**met**" if all_equal else "**missed**", ""])  # fmt: skip
    lines += _table(["target", "limit", "measured", "verdict", "why, where missed"], rows)
    if chosen and chosen.get("load_before", 0) > chosen.get("cpus", 1):
        lines += ["", f"This run started with a load average of {chosen['load_before']:.1f} "
                  f"on {chosen.get('cpus')} CPUs: other work shared the machine, and every "
                  "time above is slower than the code itself. Hold the targets to a run on a "
                  "quiet machine."]  # fmt: skip
    lines.append("")
    return "\n".join(lines)


def _pii_lines(pii: dict[str, Any]) -> list[str]:
    """The PII guard's section: time per narrative against its target, and the corpus
    table (demo/bench/pii.py)."""
    timing = pii["timing"]
    limit = pii["p95_limit_ms"]
    state = "met" if timing["p95_ms"] <= limit else "missed"
    return [
        "## PII guard on the labelled corpus",
        "",
        f"`privacy.pii.assess` on each of the {pii['texts']} corpus texts "
        f"(tests/privacy/pii_corpus/), {pii['repetitions']} times each, given the corpus's "
        "police roster; one sample per check.",
        "",
        *_table(
            ["p50 ms", "p95 ms", "slowest ms", "target: p95", "verdict"],
            [
                [
                    f"{timing['p50_ms']:.1f}",
                    f"{timing['p95_ms']:.1f}",
                    f"{timing['max_ms']:.1f}",
                    f"≤ {limit:g} ms",
                    f"**{state}**",
                ]
            ],
        ),
        "",
        f"Recall {pii['recall']:.0%} with descriptions, "
        f"{pii['recall_without_descriptions']:.0%} without them (descriptions are warned "
        f"about by privacy/pii_descriptions.py); false refusals "
        f"{pii['false_refusal_rate']:.0%}.",
        "",
        "```",
        pii["table"],
        "```",
        "",
    ]


def _load(run: Run) -> str:
    if "load_before" not in run:
        return "—"
    return f"{run['load_before']:.1f} → {run.get('load_after', run['load_before']):.1f}"


def _page_cell(figures: dict[str, Any] | None) -> str:
    if not figures:
        return "—"
    return f"{figures['p50_ms']:.0f} / {figures['p95_ms']:.0f} ({figures['queries']})"


def _pdf_cell(figures: dict[str, Any] | None) -> str:
    if not figures:
        return "—"
    return (f"{figures['median_seconds']:.2f} ({figures['max_seconds']:.2f}) / "
            f"{figures['peak_mib']:.0f}")  # fmt: skip


def _throughput_row(run: Run) -> list[str]:
    t = run["throughput"]
    if "skipped" in t:
        return [_label(run), "—", "—", f"not measured: {t['skipped']}", "—"]
    return [
        _label(run),
        f"{t['healthz']['requests_per_second']:.0f}",
        f"{t['dashboard']['requests_per_second']:.1f}",
        f"{t['ratio']:.1%}",
        str(t["dashboard"]["non_2xx"] + t["healthz"]["non_2xx"]),
    ]


def summary_line(run: Run) -> str:
    parts = [_label(run)]
    for key, figures in run.get("pages", {}).items():
        parts.append(f"{key} {figures['p50_ms']:.0f} ms ({figures['queries']} q)")
    if "pdf" in run:
        parts.append(f"manager PDF {run['pdf']['manager']['median_seconds']:.2f} s")
    if "import" in run:
        parts.append(f"import {run['import']['seconds']:.2f} s")
    if "ratio" in run.get("throughput", {}):
        parts.append(f"throughput {run['throughput']['ratio']:.1%} of /healthz")
    return "; ".join(parts)


def write(
    runs: Sequence[Run],
    *,
    markdown: Path,
    json_path: Path,
    notes: Sequence[str] = (),
    pii: dict[str, Any] | None = None,
) -> None:
    figures: dict[str, Any] = {"notes": list(notes), "runs": list(runs)}
    if pii:
        figures["pii"] = pii
    json_path.write_text(json.dumps(figures, indent=1) + "\n")
    markdown.write_text(render_markdown(runs, notes, pii))
