"""Time and peak Python memory of each PDF edition of one site."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from typing import Any

from agreements.models import Site
from reports.editions import TITLES, build_report


def measure_pdfs(site: Site, *, runs: int = 3) -> dict[str, dict[str, Any]]:
    build_report(site, "liaison")  # warm up fonts and templates
    return {edition: _measure(site, edition, runs) for edition in TITLES}


def _measure(site: Site, edition: str, runs: int) -> dict[str, Any]:
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(build_report(site, edition))
        times.append(time.perf_counter() - started)
    # Memory in a run of its own: tracing allocations slows Python down severalfold.
    tracemalloc.start()
    try:
        build_report(site, edition)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return {
        "median_seconds": round(statistics.median(times), 3),
        "max_seconds": round(max(times), 3),
        "peak_mib": round(peak, 1),
        "bytes": size,
        "runs": runs,
    }
