"""site_report SLUG --edition manager|liaison|research -o PATH.pdf (SPEC §7)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements import audit
from agreements.audit import Action
from agreements.dates import EARLIEST
from agreements.models import Site
from reports.editions import TITLES, build_report


class Command(BaseCommand):
    help = (
        "Write a site's PDF report: the manager edition (everything for the site, no "
        "narratives), the liaison edition (no interaction data) or the research edition "
        "(suppressed counts)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--edition", required=True, choices=sorted(TITLES))
        parser.add_argument("-o", "--output", required=True, metavar="PATH.pdf")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="Default: today at the site.")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(slug=options["slug"]).first()
        if site is None:
            raise CommandError(f"No site with slug {options['slug']!r}.")
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(f"--as-of: {options['as_of']!r} is not a date.") from None
            if not EARLIEST <= as_of <= site.today():
                raise CommandError(f"--as-of: choose a day from {EARLIEST} to today.")
        pdf = build_report(site, options["edition"], as_of, by="the command line")
        try:
            Path(options["output"]).write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.") from None
        audit.record(Action.DOWNLOAD, actor="site_report", site=site,
                     detail=f"{options['edition']} edition PDF")  # fmt: skip
        self.stdout.write(f"Wrote the {options['edition']} edition of {site.slug} "
                          f"to {options['output']}.")  # fmt: skip
