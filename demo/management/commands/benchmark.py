"""benchmark: pages, PDFs, import, CSV export and throughput on the current database.

`make bench` runs it once per database and size (through `demo.bench.suite`) with
`--out`, then writes docs/benchmarks.md and docs/benchmarks.json from all the runs.
Without `--out` it writes those two files from this run alone. It needs the demo data
(`seed_demo`, and `seed_demo --large N` for the large sites). Speed is held by these
figures, not by timed tests.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agreements.models import Interaction, Site
from demo.bench import report
from demo.bench.imports import measure_import
from demo.bench.load import measure_throughput
from demo.bench.pages import Page, measure_page
from demo.bench.pdfs import measure_pdfs
from demo.bench.sessions import benchmark_sessions
from demo.large import SLUG_PREFIX, large_slug


class Command(BaseCommand):
    help = (
        "Measure server time and queries of the scorecard, dashboard, score API and "
        "interaction list, the PDF editions, a bundle import, the CSV export and the "
        "dashboard's throughput under gunicorn, on the current database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="The site to measure (default bench-001).")
        parser.add_argument("--runs", type=int, default=25, help="Timed requests per page.")
        parser.add_argument("--pdf-runs", type=int, default=3)
        parser.add_argument("--wrk-seconds", type=int, default=10)
        parser.add_argument("--seed-seconds", type=float, help="Recorded as given (by the suite).")
        parser.add_argument("--out", help="Write this run's figures to this JSON file only.")
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            choices=["pdf", "import", "load"],
            help="Leave out a slow part (repeatable).",
        )
        parser.add_argument("--markdown", default=str(settings.BASE_DIR / "docs/benchmarks.md"))
        parser.add_argument("--json", default=str(settings.BASE_DIR / "docs/benchmarks.json"))

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["site"] or large_slug(1)
        site = Site.objects.filter(slug=slug).first()
        if site is None:
            raise CommandError(f"No site {slug!r}: run seed_demo --large 1 (or more) first.")
        users = get_user_model().objects.in_bulk(
            ["demo-manager", "demo-researcher"], field_name="username"
        )
        if len(users) != 2:
            raise CommandError("The demo users are missing: run seed_demo first.")
        with benchmark_sessions(users["demo-manager"], users["demo-researcher"]) as sessions:
            manager, researcher = sessions
            figures = self._facts(site)
            figures["seed_seconds"] = options["seed_seconds"]
            figures["pages"] = {}
            for page in self._pages(site, manager, researcher):
                self.stdout.write(f"Measuring {page.title}…")
                runs = 5 if page.key == "csv_export" else options["runs"]
                figures["pages"][page.key] = measure_page(
                    page, runs=runs, warmup=1 if runs < 10 else 3
                )
            if "pdf" not in options["skip"]:
                self.stdout.write("Measuring the PDF editions…")
                figures["pdf"] = measure_pdfs(site, runs=options["pdf_runs"])
            if "import" not in options["skip"]:
                self.stdout.write("Measuring a bundle import…")
                figures["import"] = measure_import(site)
            if "load" not in options["skip"]:
                self.stdout.write("Measuring throughput under gunicorn with wrk…")
                figures["throughput"] = measure_throughput(
                    researcher, seconds=options["wrk_seconds"]
                )
                if skipped := figures["throughput"].get("skipped"):
                    self.stderr.write(f"Throughput not measured: {skipped}")
            figures["load_after"] = round(os.getloadavg()[0], 1)
            self.stdout.write(report.summary_line(figures))
            if options["out"]:
                Path(options["out"]).write_text(json.dumps(figures, indent=1) + "\n")
            else:
                report.write(
                    [figures], markdown=Path(options["markdown"]), json_path=Path(options["json"])
                )

    def _facts(self, site: Site) -> dict[str, Any]:
        return {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            # The machine's 1-minute load average: figures taken on a busy machine are
            # slower than the code is, and the report shows it beside each run.
            "load_before": round(os.getloadavg()[0], 1),
            "large_sites": Site.objects.filter(slug__startswith=SLUG_PREFIX).count(),
            "sites": Site.objects.count(),
            "interactions_total": Interaction.objects.count(),
            "site": site.slug,
            "interactions": Interaction.objects.filter(site=site).count(),
        }

    def _pages(self, site: Site, manager: str, researcher: str) -> list[Page]:
        slug = {"slug": site.slug}
        score = reverse("agreements:site_score", kwargs=slug)
        listing = reverse("agreements:interactions_list", kwargs=slug)
        export = reverse("agreements:site_export_interactions", kwargs=slug)
        return [
            Page("scorecard", "scorecard (manager)", score, manager),
            Page("dashboard", "dashboard (researcher, every consenting site)",
                 reverse("agreements:dashboard"), researcher),
            Page("score_api", "score API (manager)", f"/api/v1/sites/{site.slug}/score", manager),
            Page("interactions_list", "interaction list, first page (manager)", listing, manager),
            Page("csv_export", "interaction log CSV export (manager)", export, manager),
        ]  # fmt: skip
