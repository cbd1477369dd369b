"""benchmark: time and memory of the PDF editions, written to docs/benchmarks.md and JSON.

Meant for `make bench`, on a database holding the demo data (a site with six and a half
years of history). Speed is held by these figures, not by timed tests.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from agreements.models import Interaction, Site
from agreements.reports import TITLES, build_report

TARGET_MANAGER_SECONDS = 2.0


class Command(BaseCommand):
    help = "Measure each PDF edition for one site (median of runs, peak Python memory)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", default="harbourview")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--markdown", default=str(settings.BASE_DIR / "docs/benchmarks.md"))
        parser.add_argument("--json", default=str(settings.BASE_DIR / "docs/benchmarks.json"))

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"No site {options['site']!r}: run seed_demo first.")
        build_report(site, "liaison")  # warm up fonts and templates
        results = {edition: self._measure(site, edition, options["runs"]) for edition in TITLES}
        facts = {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "site": site.slug,
            "interactions": Interaction.objects.filter(site=site).count(),
            "history_years": round((site.today() - (site.opened_on or site.today())).days / 365, 1),
            "pdf": results,
        }
        Path(options["json"]).write_text(json.dumps(facts, indent=1) + "\n")
        Path(options["markdown"]).write_text(_markdown(facts))
        for edition, figures in results.items():
            self.stdout.write(f"{edition}: {figures['median_seconds']:.2f} s, "
                              f"{figures['peak_mib']:.1f} MiB peak")  # fmt: skip

    def _measure(self, site: Site, edition: str, runs: int) -> dict[str, float]:
        times, size = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            size = len(build_report(site, edition))
            times.append(time.perf_counter() - started)
        # Memory in a run of its own: tracing allocations slows Python down severalfold.
        tracemalloc.start()
        build_report(site, edition)
        peaks = [tracemalloc.get_traced_memory()[1] / 2**20]
        tracemalloc.stop()
        return {
            "median_seconds": round(statistics.median(times), 3),
            "max_seconds": round(max(times), 3),
            "peak_mib": round(max(peaks), 1),
            "bytes": size,
            "runs": runs,
        }


def _markdown(facts: dict[str, Any]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`manage.py benchmark`); do not edit by hand.",
        "",
        f"Measured {facts['measured_at']} on {facts['database']}, Python {facts['python']} "
        f"({facts['machine']}), site `{facts['site']}`: {facts['history_years']} years of "
        f"history, {facts['interactions']} interactions.",
        "",
        "## PDF reports",
        "",
        "| edition | median (s) | slowest (s) | peak Python memory (MiB) | size (bytes) |",
        "|---|---|---|---|---|",
    ]
    for edition, f in facts["pdf"].items():
        lines.append(f"| {edition} | {f['median_seconds']:.2f} | {f['max_seconds']:.2f} | "
                     f"{f['peak_mib']:.1f} | {f['bytes']} |")  # fmt: skip
    manager = facts["pdf"]["manager"]["median_seconds"]
    verdict = "met" if manager <= TARGET_MANAGER_SECONDS else "missed"
    lines += [
        "",
        f"Target: the manager edition under {TARGET_MANAGER_SECONDS:.0f} s — {verdict} "
        f"({manager:.2f} s).",
        "",
        "Peak memory is what Python allocates (tracemalloc); WeasyPrint's Pango and Cairo "
        "allocations in C are not counted.",
        "",
    ]
    return "\n".join(lines)
