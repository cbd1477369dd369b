"""export_bundle SLUG [-o PATH]: write one site's whole record as a bundle (SPEC §7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements import audit
from agreements.audit import Action
from agreements.bundle import BundleError, dump_bundle, export_bundle
from agreements.models import Site


class Command(BaseCommand):
    help = (
        "Write one site's whole record (site, officers, assignments, engagement, support "
        "statements, protocols, check-ins, interactions with their narratives, attendance) as "
        "a JSON bundle, format hr-police-bundle/1 (see docs/bundle.md), to standard output or "
        "to -o PATH. The bundle holds sensitive narratives: keep the file accordingly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("-o", "--output", metavar="PATH", help="Write here, not to stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(slug=options["slug"]).first()
        if site is None:
            raise CommandError(f"No site with slug {options['slug']!r}.")
        try:
            text = dump_bundle(export_bundle(site))
        except BundleError as exc:
            raise CommandError("Cannot export: " + " ".join(exc.messages)) from None
        audit.record(Action.EXPORT, actor="export_bundle", site=site,
                     detail=f"bundle to {options['output'] or 'standard output'}")  # fmt: skip
        if not options["output"]:
            self.stdout.write(text)
            return
        try:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                f"Cannot write {options['output']}: {exc.strerror or exc}."
            ) from None
        self.stdout.write(f"Exported site {site.slug} to {options['output']}.")
