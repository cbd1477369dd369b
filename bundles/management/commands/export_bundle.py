"""export_bundle SLUG [-o PATH] | --all --output-dir DIR: write sites' whole records as
bundles (SPEC §7), one file per site."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements import audit
from agreements.audit import Action
from agreements.models import Site
from bundles.bundle import BundleError, dump_bundle, export_bundle


class Command(BaseCommand):
    help = (
        "Write one site's whole record (site, officers, assignments, engagement, support "
        "statements, protocols, check-ins, interactions with their narratives, attendance) as "
        "a JSON bundle, format hr-police-bundle/1 (see docs/bundle.md), to standard output or "
        "to -o PATH; or, with --all --output-dir DIR, every site to DIR/<slug>.json (a "
        "backup that import_bundle restores). Bundles hold sensitive narratives: keep the "
        "files accordingly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG", nargs="?")
        parser.add_argument("-o", "--output", metavar="PATH", help="Write here, not to stdout.")
        parser.add_argument(
            "--all", action="store_true", help="Every site, one file each (needs --output-dir)."
        )
        parser.add_argument(
            "--output-dir", metavar="DIR", help="With --all: the folder for <slug>.json files."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            if options["slug"] or options["output"]:
                raise CommandError("--all exports every site: give no SLUG and no -o.")
            if not options["output_dir"]:
                raise CommandError("--all needs --output-dir DIR (one file per site).")
            self._export_all(Path(options["output_dir"]))
            return
        if not options["slug"]:
            raise CommandError("Give the SLUG of a site, or --all --output-dir DIR.")
        if options["output_dir"]:
            raise CommandError("--output-dir goes with --all; for one site use -o PATH.")
        site = Site.objects.filter(slug=options["slug"]).first()
        if site is None:
            raise CommandError(f"No site with slug {options['slug']!r}.")
        text = _bundle_text(site)
        audit.record(Action.EXPORT, actor="export_bundle", site=site,
                     detail=f"bundle to {options['output'] or 'standard output'}")  # fmt: skip
        if not options["output"]:
            self.stdout.write(text)
            return
        _write(Path(options["output"]), text)
        self.stdout.write(f"Exported site {site.slug} to {options['output']}.")

    def _export_all(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {folder}: {exc.strerror or exc}.") from None
        sites = list(Site.objects.order_by("slug"))
        for site in sites:
            path = folder / f"{site.slug}.json"
            _write(path, _bundle_text(site))
            audit.record(Action.EXPORT, actor="export_bundle", site=site,
                         detail=f"bundle to {path}"[:200])  # fmt: skip
        plural = "s" if len(sites) != 1 else ""
        self.stdout.write(f"Exported {len(sites)} site{plural} to {folder}.")


def _bundle_text(site: Site) -> str:
    try:
        return dump_bundle(export_bundle(site))
    except BundleError as exc:
        raise CommandError(f"Cannot export {site.slug}: " + " ".join(exc.messages)) from None


def _write(path: Path, text: str) -> None:
    """Write through a temporary file and rename it, so that a file with the bundle's name
    is always a whole bundle, even if the disk fills or the command is stopped."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from None
